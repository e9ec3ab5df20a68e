//! Text from a hand-edited session log on the full-screen guide (issue 16): titles, words and
//! a protocol name holding escape sequences, C1 controls, direction overrides, line
//! separators and wide characters. Drawn through the painter, as the guide draws: no cell may
//! hold a character that drives the terminal, and the layout must stand where it stands for
//! plain titles (a wide title stops short of the state column; a separator shifts nothing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::guide::Guide;
use postrun::core::session::Timestamp;
use postrun::front::tui::paint::Painter;
use postrun::front::tui::screen::Screen;
use postrun::front::tui::view::{self, Theme};
use postrun::store::begin;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::fixture::{self, at};

/// Whether a terminal would act on `c` or reorder the line round it (written out here, not
/// taken from the library, so the rule is not graded by itself).
fn drives_the_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// The default routine, as a log edited by hand could hold it.
fn hostile_guide() -> Guide {
    let mut opening = fixture::opening();
    let p = &mut opening.protocol;
    p.name = "Opt\u{1b}]0;pwned\u{7}imal\u{202E}".into();
    p.steps[0].title = "Hyd\u{2028}rate\u{202E}\u{2066}x\u{2029}".into();
    p.steps[0].what = "Drink\u{9b}2J at least\u{2028}500 ml\u{202E}, now.".into();
    p.steps[1].title = "足".repeat(16);
    p.steps[2].title = "Sn\u{1b}[2Jack\u{85}\u{9b}31m".into();
    Guide::new(begin(&opening), fixture::utc())
}

/// A frame as the guide draws it: through the painter.
fn painted(guide: &Guide, now: Timestamp, width: u16, height: u16) -> Buffer {
    let theme = Theme::new(true);
    let mut terminal = Screen::new(TestBackend::new(width, height)).unwrap();
    Painter::new(theme)
        .full(&mut terminal, now, |f| {
            view::render_frame(f, guide, theme, now)
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Where the panels' borders are on each row.
fn borders(b: &Buffer) -> Vec<Vec<u16>> {
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .filter(|x| ["│", "┌", "┐", "└", "┘"].contains(&b[(*x, y)].symbol()))
                .collect()
        })
        .collect()
}

#[test]
fn hostile_titles_reach_no_cell_and_move_nothing() {
    let now = at(300);
    let plain = fixture::guide();
    let hostile = hostile_guide();
    for (w, h) in [(80, 24), (40, 12), (120, 40)] {
        let want = painted(&plain, now, w, h);
        let got = painted(&hostile, now, w, h);
        for y in 0..h {
            for x in 0..w {
                let s = got[(x, y)].symbol();
                assert!(
                    !s.chars().any(drives_the_terminal),
                    "{w}x{h}: {s:?} at {x},{y}:\n{got:?}"
                );
            }
        }
        assert_eq!(
            borders(&got),
            borders(&want),
            "{w}x{h}: the panels' borders stand where they do for plain titles:\n{got:?}"
        );
        if w >= 72 {
            // The checklist's state column (the last 8 columns inside its frame) is the same
            // on every row: the wide title stopped short of it.
            let list = (w / 3).clamp(30, 44);
            for y in 2..11 {
                let row = |b: &Buffer| {
                    (list - 9..list)
                        .map(|x| b[(x, y)].symbol().to_string())
                        .collect::<String>()
                };
                assert_eq!(row(&got), row(&want), "{w}x{h} row {y}:\n{got:?}");
            }
        }
    }
}
