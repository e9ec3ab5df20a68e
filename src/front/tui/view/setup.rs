//! The start screen: the routine, the run's finish, bedtime and a time budget, each editable,
//! with the day they make laid out below, so Enter begins a day the runner has already seen.
use super::Canvas;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

use super::Theme;
use crate::core::clock::clock_in;
use crate::core::plan::{window_text_in, words};
use crate::core::printable::{pad, printable};
use crate::core::protocol::Short;
use crate::front::tui::setup::{Field, Setup};

/// Draws the start screen.
pub fn render(frame: &mut impl Canvas, setup: &Setup, theme: Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let wide = area.width >= 60;
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(u16::from(area.height >= 6)),
        Constraint::Min(1),
        Constraint::Length(u16::from(area.height >= 6)),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled(" postrun · a new recovery day", theme.bold())),
        header,
    );
    let keys = if wide {
        " Enter begin · Up/Down field · Left/Right change · q quit"
    } else {
        " Enter begin · Tab field · q quit"
    };
    frame.render_widget(Paragraph::new(keys), footer);
    let inner = if body.height >= 10 && body.width >= 40 {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(" Start ")
            .padding(Padding::horizontal(1));
        let inner = block.inner(body);
        frame.render_widget(block, body);
        inner
    } else {
        body
    };
    let mut lines = Vec::new();
    if let Some(behind) = &setup.behind {
        lines.push(Line::styled(
            format!("{behind} A new day starts here."),
            theme.fg(Color::DarkGray),
        ));
    }
    if let Some(offer) = setup.offered() {
        let how = match wide {
            true => " Enter begins with it; type another finish to leave it.",
            false => "",
        };
        lines.push(Line::from(vec![
            Span::styled(printable(&offer.question()), theme.bold()),
            Span::raw(how),
        ]));
    }
    lines.extend(fields(setup, theme, wide));
    // The runner's record under the form, so a narrow screen still shows every field: how
    // sore the last days were, and what their own rule says of it.
    for line in &setup.record {
        lines.push(Line::styled(printable(line), theme.fg(Color::Magenta)));
    }
    if let Some(notice) = &setup.notice {
        lines.push(Line::styled(format!("! {notice}"), theme.fg(Color::Yellow)));
    }
    if let Some((_, why)) = &setup.problem {
        lines.push(Line::styled(
            format!("! {why}"),
            theme.bold().patch(theme.fg(Color::Red)),
        ));
    }
    lines.push(Line::from(""));
    let form = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = u16::try_from(form.line_count(inner.width)).unwrap_or(u16::MAX);
    let [top, rest] = Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(inner);
    frame.render_widget(form, top);
    // The day is a table: a line a step, cut rather than wrapped on a narrow screen.
    frame.render_widget(Paragraph::new(day(setup, theme, wide)), rest);
}

/// One line a field: a marker and the label, then the value (with a cursor where typing goes)
/// and a word on where it came from.
fn fields(setup: &Setup, theme: Theme, wide: bool) -> Vec<Line<'static>> {
    let (zone, hours) = (setup.zone, setup.hours);
    let routine = match setup.routines.get(setup.routine) {
        Some(r) => match &r.protocol {
            Ok(p) => (
                format!("◂ {} ▸", p.name),
                // The built-in standing in for the runner's broken copy says which it is.
                match r.name.strip_prefix(crate::store::catalog::BUILTIN_PREFIX) {
                    Some(_) => format!("{} steps, built in", p.steps.len()),
                    None => format!("{} steps", p.steps.len()),
                },
            ),
            Err(_) => (format!("◂ {} ▸", r.name), "has problems".to_string()),
        },
        None => (String::new(), String::new()),
    };
    let finished = if setup.finished.is_empty() {
        (
            format!("now, {}", clock_in(setup.now, &zone, hours)),
            "or type a time, or 25m for 25 minutes ago".to_string(),
        )
    } else {
        let offered = setup.offered().map(|o| printable(&o.file));
        let read = match setup.finished_at() {
            Ok(_) if offered.is_some() => {
                format!("your run's end, from {}", offered.unwrap_or_default())
            }
            Ok(at)
                if at.with_timezone(&zone).date_naive()
                    == setup.now.with_timezone(&zone).date_naive() =>
            {
                format!("{} today", clock_in(at, &zone, hours))
            }
            Ok(at) => format!("{} yesterday", clock_in(at, &zone, hours)),
            Err(_) => "like 9:40 or 25m".to_string(),
        };
        (setup.finished.clone(), read)
    };
    let bedtime = (setup.bedtime.clone(), setup.bedtime_label());
    let budget = if setup.budget.is_empty() {
        (
            "all day".to_string(),
            "or how long you have, like 20m".to_string(),
        )
    } else {
        (
            setup.budget.clone(),
            "optional steps that don't fit drop".to_string(),
        )
    };
    let rows = [
        (Field::Routine, "Routine", "Routine", routine),
        (Field::Finished, "Run finished", "Finished", finished),
        (Field::Bedtime, "Bedtime", "Bed", bedtime),
        (Field::Budget, "Time you have", "Time", budget),
    ];
    rows.into_iter()
        .map(|(field, label, short, (value, note))| {
            let focused = setup.focus == field;
            let typing = focused && field != Field::Routine;
            let placeholder = value == "all day" || value.starts_with("now");
            let shown = if typing && !placeholder {
                format!("{value}_")
            } else {
                value
            };
            let label = if wide {
                format!("{label:<15}")
            } else {
                format!("{short:<9}")
            };
            let mut value_style = theme.bold();
            if focused {
                value_style = value_style.patch(theme.fg(Color::Cyan));
                if !theme.color {
                    value_style = value_style.add_modifier(Modifier::UNDERLINED);
                }
            }
            let bad = setup.problem.as_ref().is_some_and(|(f, _)| *f == field);
            let mut spans = vec![
                Span::raw(if focused { "▶ " } else { "  " }),
                Span::raw(label),
                Span::styled(shown, value_style),
            ];
            if wide {
                spans.push(Span::styled(
                    format!("  {note}"),
                    if bad {
                        theme.fg(Color::Red)
                    } else {
                        theme.fg(Color::DarkGray)
                    },
                ));
            }
            Line::from(spans)
        })
        .collect()
}

/// The day these choices make: each step's window as clock times, and what a budget drops.
fn day(setup: &Setup, theme: Theme, wide: bool) -> Vec<Line<'static>> {
    let (Some(plan), Ok(protocol)) = (setup.preview(), setup.protocol()) else {
        return Vec::new();
    };
    let (indent, title_width) = if wide { ("  · ", 18) } else { ("· ", 16) };
    let mut lines = vec![Line::styled("Your day", theme.bold())];
    for entry in &plan.entries {
        let Some(step) = protocol.steps.get(entry.step) else {
            continue;
        };
        // Cut and padded by the columns it takes: a wide (CJK) title keeps the times lined up.
        let title = pad(&step.title, title_width);
        let line = if let Some(dropped) = entry.dropped {
            let word = words::dropped_word(&dropped);
            Line::styled(
                format!("{indent}{title} {word}").replacen('·', "–", 1),
                theme.fg(Color::DarkGray),
            )
        } else {
            let when = entry
                .times
                .map(|t| window_text_in(&t, &setup.zone, setup.hours))
                .unwrap_or_default();
            Line::from(format!("{indent}{title} {when}"))
        };
        lines.push(line);
    }
    let clock = |t| clock_in(t, &setup.zone, setup.hours);
    for clash in &plan.clashes {
        lines.push(Line::styled(
            words::clash(clash, &plan, protocol, &clock),
            theme.fg(Color::Yellow),
        ));
    }
    if let Some(budget) = plan.budget {
        lines.push(Line::from(if plan.required > budget {
            format!(
                "The required steps alone take {}, more than {}",
                Short(plan.required),
                Short(budget)
            )
        } else {
            format!(
                "The kept steps take {} of your {}",
                Short(plan.kept),
                Short(budget)
            )
        }));
    }
    lines
}
