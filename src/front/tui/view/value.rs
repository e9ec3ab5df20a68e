//! A step's question as it ends, in a box at the foot of the screen: the day stays in sight
//! above it, and the next step can be started with any key.
use super::Canvas;
use ratatui::text::Line;

use super::Theme;
use crate::core::guide::Guide;
use crate::core::printable::printable;
use crate::front::value::ValueAsk;

/// Draws the open question over the foot of the screen.
pub fn render(frame: &mut impl Canvas, ask: &ValueAsk, guide: &Guide, theme: Theme) {
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
    super::overlay::refusal_and_keys(
        &mut lines,
        ask.problem.as_deref().map(printable).as_deref(),
        (
            "Type the number and Enter · any other key carries on",
            "A number and Enter, or carry on",
        ),
        wide,
        theme,
    );
    super::overlay::at_foot(frame, area, lines, &title);
}
