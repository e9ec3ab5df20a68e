//! Windows over the main screen: the keys, a step's details, and the questions.
use super::Canvas;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use crate::core::guide::{CardLine, Guide, card};
use crate::core::session::Timestamp;
use crate::front::tui::input::{HELP, KeyHelp};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// All keys; Esc closes it. A narrow screen gets the short wording, one line a key, so every
/// key fits in 40 columns.
pub fn help(frame: &mut impl Canvas, area: Rect) {
    let wide = area.width >= 80;
    // "?" itself is in the title; a narrow screen has no row to spare, so Ctrl-Z goes on the
    // row of the other ways out.
    let narrow_quit = KeyHelp {
        keys: "q/^C, ^Z",
        what: "",
        short: "quit (saved), suspend",
    };
    // Nor for `>` alone: it shares the row of `s`.
    let narrow_skip = KeyHelp {
        keys: "s, >",
        what: "",
        short: "skip step (asks) / hold",
    };
    let keys: Vec<KeyHelp> = HELP
        .iter()
        .filter(|k| k.keys != "?" && (wide || !matches!(k.keys, "Ctrl-Z" | ">")))
        .map(|k| match k.keys {
            "q, Ctrl-C" if !wide => narrow_quit,
            "s" if !wide => narrow_skip,
            _ => *k,
        })
        .collect();
    let lines: Vec<Line> = keys
        .iter()
        .map(
            |KeyHelp {
                 keys: k,
                 what,
                 short,
             }| {
                if wide {
                    Line::from(format!("{k:>13}  {what}"))
                } else {
                    Line::from(format!("{k:>12} {short}"))
                }
            },
        )
        .collect();
    let width = if wide { 78 } else { 38 };
    let box_area = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Keys · Esc closes "),
        ),
        box_area,
    );
}

/// Where the details window goes: all the screen but a margin where there is room for one.
fn details_area(area: Rect) -> Rect {
    let width = area.width.min(78);
    let height = if area.height >= 16 {
        area.height - 2
    } else {
        area.height
    };
    centered(area, width, height)
}

/// A step's card as wrapped lines: the title in bold, the facts, what to do, the details, each
/// tip and hold as a bullet, a blank line before the details.
fn details_text(ui: &Guide, step: usize, theme: Theme, now: Timestamp) -> Paragraph<'static> {
    let mut lines = Vec::new();
    for line in card(ui.session(), step, *ui.zone(), ui.hours(), now) {
        match line {
            CardLine::Title(t) => lines.push(Line::styled(t, theme.bold())),
            CardLine::Fact(t) => lines.push(Line::styled(t, theme.fg(Color::Cyan))),
            CardLine::Do(t) => {
                lines.push(Line::from(""));
                lines.push(Line::styled(t, theme.bold()));
            }
            CardLine::Details(t) => {
                lines.push(Line::from(""));
                lines.push(Line::from(t));
            }
            CardLine::Tip(t) | CardLine::Hold(t) => lines.push(Line::from(format!("· {t}"))),
        }
    }
    Paragraph::new(lines).wrap(Wrap { trim: true })
}

/// How far the details of `step` can scroll in `area`: the lines past what fits.
pub fn details_scroll_max(area: Rect, ui: &Guide, step: usize, now: Timestamp) -> u16 {
    let inner = details_area(area);
    let (w, h) = (
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(2),
    );
    let text = details_text(ui, step, Theme::new(false), now);
    u16::try_from(text.line_count(w))
        .unwrap_or(u16::MAX)
        .saturating_sub(h)
}

/// Everything the protocol says of a step, current or not, scrolled by `scroll` lines.
pub fn details(
    frame: &mut impl Canvas,
    area: Rect,
    ui: &Guide,
    step: usize,
    scroll: u16,
    theme: Theme,
    now: Timestamp,
) {
    let box_area = details_area(area);
    let scroll = scroll.min(details_scroll_max(area, ui, step, now));
    let hint = if box_area.width >= 40 {
        " Up/Down scroll · Esc closes "
    } else {
        " Esc closes "
    };
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        details_text(ui, step, theme, now)
            .scroll((scroll, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Details ")
                    .title_bottom(hint),
            ),
        box_area,
    );
}

/// "Skip a required step?"
pub fn confirm_skip(frame: &mut impl Canvas, area: Rect, title: &str) {
    let lines = vec![
        Line::from(format!("{title} is not optional.")),
        Line::from("Skip it anyway?  y yes · n no"),
    ];
    let box_area = centered(area, 40, 4);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Skip ")),
        box_area,
    );
}

/// "Sleep opens at 22:30. Mark it done now anyway?"
pub fn confirm_early(frame: &mut impl Canvas, area: Rect, question: &str) {
    let lines = vec![
        Line::from(question.to_string()),
        Line::from("y yes, done · n not yet"),
    ];
    let width = 44.min(area.width);
    let text = Paragraph::new(lines).wrap(Wrap { trim: true });
    let rows = u16::try_from(text.line_count(width.saturating_sub(2))).unwrap_or(4) + 2;
    let box_area = centered(area, width, rows);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        text.block(Block::default().borders(Borders::ALL).title(" Not yet ")),
        box_area,
    );
}

/// "Past the top: add 30 s anyway?"
pub fn confirm_extend(frame: &mut impl Canvas, area: Rect, title: &str, top: std::time::Duration) {
    let lines = vec![
        Line::from(format!(
            "{title} tops out at {}. Staying longer is not advised.",
            crate::core::protocol::Short(top)
        )),
        Line::from("Add 30 s anyway?  y yes · n no"),
    ];
    let width = 44.min(area.width);
    // Room for the wrapped question plus the border.
    let text = Paragraph::new(lines.clone()).wrap(Wrap { trim: true });
    let rows = u16::try_from(text.line_count(width.saturating_sub(2))).unwrap_or(4) + 2;
    let box_area = centered(area, width, rows);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Longer? ")),
        box_area,
    );
}

/// A form's last lines: why the last answer was refused, if it was, in red, then its keys in
/// grey, spelled out (`long`) where the screen is wide.
pub fn refusal_and_keys(
    lines: &mut Vec<Line<'_>>,
    refused: Option<&str>,
    (long, short): (&'static str, &'static str),
    wide: bool,
    theme: Theme,
) {
    if let Some(why) = refused {
        lines.push(Line::styled(format!("! {why}"), theme.fg(Color::Red)));
    }
    lines.push(Line::styled(
        if wide { long } else { short },
        theme.fg(Color::DarkGray),
    ));
}

/// A question in a bordered box across the foot of the screen, as tall as its wrapped lines:
/// the end of the day's "How sore", a step's value.
pub fn at_foot(frame: &mut impl Canvas, area: Rect, lines: Vec<Line>, title: &str) {
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = u16::try_from(text.line_count(area.width.saturating_sub(2))).unwrap_or(4) + 2;
    let [_, cell] = Layout::vertical([Constraint::Min(0), Constraint::Length(rows)]).areas(area);
    frame.render_widget(Clear, cell);
    frame.render_widget(
        text.block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {title} ")),
        ),
        cell,
    );
}
