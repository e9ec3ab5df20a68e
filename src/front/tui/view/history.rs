//! The weeks at a glance over the guide (`h`): the same calendar as `postrun history
//! --calendar`, a cell a day; the narrow form on a screen under 60 columns.
use std::collections::BTreeMap;

use super::Canvas;
use chrono::NaiveDate;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::core::weeks::{self, Mark};

/// The calendar the guide shows: each day's mark, and today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weeks {
    /// Each day with a session or a soreness noted.
    pub days: BTreeMap<NaiveDate, Mark>,
    /// Today, on the runner's calendar.
    pub today: NaiveDate,
}

/// Draws the calendar over the whole screen, as many weeks as fit.
pub fn render(frame: &mut impl Canvas, weeks: &Weeks, theme: Theme) {
    let area = frame.area();
    if area.width < 4 || area.height < 3 {
        return;
    }
    let wide = area.width >= 60;
    // Rows left for weeks: the borders, the header, the key (three lines when wide, then the
    // totals) and the footer line.
    let around = if wide {
        2 + 1 + 4 + 1 + 1
    } else {
        2 + 1 + 1 + 1
    };
    let shown = u32::from(area.height.saturating_sub(around)).clamp(1, 8);
    let text = match wide {
        true => weeks::render(&weeks.days, weeks.today, shown),
        false => weeks::render_narrow(&weeks.days, weeks.today, shown),
    };
    let mut lines: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
    super::overlay::refusal_and_keys(
        &mut lines,
        None,
        (
            "h or Esc closes · postrun history --calendar shows more weeks",
            "h or Esc closes",
        ),
        wide,
        theme,
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" The weeks at a glance "),
        ),
        area,
    );
}
