//! A step's question as it ends, in a box at the foot of the screen: the day stays in sight
//! above it, and the next step can be started with any key.
use ratatui::Frame;
use ratatui::style::Color;
use ratatui::text::Line;

use super::Theme;
use crate::core::guide::Guide;
use crate::core::printable::printable;
use crate::front::value::ValueAsk;

/// Draws the open question over the foot of the screen.
pub fn render(frame: &mut Frame, ask: &ValueAsk, guide: &Guide, theme: Theme) {
    let area = frame.area();
    let Some((step, question)) = ask.open(guide) else {
        return;
    };
    if area.width < 4 || area.height < 3 {
        return;
    }
    let wide = area.width >= 60;
    let title = guide
        .session()
        .protocol
        .steps
        .get(step)
        .map(|s| printable(&s.title))
        .unwrap_or_default();
    let mut lines = vec![
        Line::styled(printable(&question.question()), theme.bold()),
        Line::from(format!("> {}_ {}", ask.text, printable(&question.unit))),
    ];
    if let Some(why) = &ask.problem {
        lines.push(Line::styled(
            format!("! {}", printable(why)),
            theme.fg(Color::Red),
        ));
    }
    lines.push(Line::styled(
        if wide {
            "Type the number and Enter · any other key carries on"
        } else {
            "A number and Enter, or carry on"
        },
        theme.fg(Color::DarkGray),
    ));
    super::overlay::at_foot(frame, area, lines, &title);
}
