//! Keys to intents, in one place: the rest of the TUI never sees a key code.
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::core::guide::Intent;

/// The intent of a key press; `None` for keys that mean nothing here, and for releases and
/// repeats, so a key never acts twice.
pub fn intent(key: KeyEvent) -> Option<Intent> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Intent::Quit,
        KeyCode::Char('z') if ctrl => Intent::Suspend,
        _ if ctrl => return None,
        KeyCode::Enter => Intent::Go,
        KeyCode::Char(' ') => Intent::PauseResume,
        KeyCode::Char('s') => Intent::Skip,
        KeyCode::Char('>') => Intent::SkipHold,
        KeyCode::Char('y') => Intent::Yes,
        KeyCode::Char('n') | KeyCode::Esc => Intent::Back,
        KeyCode::Char('u') => Intent::Undo,
        KeyCode::Up | KeyCode::Char('k') => Intent::Up,
        KeyCode::Down | KeyCode::Char('j') => Intent::Down,
        KeyCode::Char('+') | KeyCode::Char('=') => Intent::More,
        KeyCode::Char('-') => Intent::Less,
        KeyCode::Char('?') => Intent::Help,
        KeyCode::Char('i') => Intent::Details,
        KeyCode::Char('q') => Intent::Quit,
        _ => return None,
    })
}

/// Whether a key opens the "change the day" form (`c`; Ctrl-C quits).
pub fn opens_change(key: KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && key.code == KeyCode::Char('c')
        && !key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Whether a key opens the weeks at a glance (`h`).
pub fn opens_weeks(key: KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && key.code == KeyCode::Char('h')
        && !key.modifiers.contains(KeyModifiers::CONTROL)
}

/// A key over the weeks at a glance: `Some(true)` quits (`q`, Ctrl-C), `Some(false)` closes
/// (`h`, Esc), `None` does nothing.
pub fn weeks_key(key: KeyEvent) -> Option<bool> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    match (key.code, key.modifiers.contains(KeyModifiers::CONTROL)) {
        (KeyCode::Char('c'), true) | (KeyCode::Char('q'), false) => Some(true),
        (KeyCode::Char('h') | KeyCode::Esc, false) => Some(false),
        _ => None,
    }
}

/// A key of the guide as the `?` window and the man page list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHelp {
    /// The key or keys.
    pub keys: &'static str,
    /// What it does.
    pub what: &'static str,
    /// The same, for a narrow screen.
    pub short: &'static str,
}

/// The guide's keys, as [`intent`] reads them.
pub const HELP: [KeyHelp; 13] = [
    KeyHelp {
        keys: "Enter",
        what: "start the timer, tick off, or finish a range past its minimum",
        short: "start / done / finish",
    },
    KeyHelp {
        keys: "Space",
        what: "pause or resume the timer",
        short: "pause, resume",
    },
    KeyHelp {
        keys: "s",
        what: "skip the step (a required one asks to confirm)",
        short: "skip (asks if required)",
    },
    KeyHelp {
        keys: ">",
        what: "skip the hold or side under way (a sore leg, say)",
        short: "skip one hold/side",
    },
    KeyHelp {
        keys: "u",
        what: "undo the last done or skip",
        short: "undo done or skip",
    },
    KeyHelp {
        keys: "Up/Down, k/j",
        what: "select a step; Enter makes it current",
        short: "pick a step",
    },
    KeyHelp {
        keys: "+ / -",
        what: "30 seconds more or less",
        short: "30 s more or less",
    },
    KeyHelp {
        keys: "i",
        what: "the details of the selected step: when, how, why, tips",
        short: "a step's details",
    },
    KeyHelp {
        keys: "c",
        what: "change the day: when the run finished, bedtime, your budget",
        short: "change the day",
    },
    KeyHelp {
        keys: "?",
        what: "these keys; Esc closes",
        short: "keys; Esc closes",
    },
    KeyHelp {
        keys: "h",
        what: "the weeks at a glance; h or Esc closes",
        short: "weeks",
    },
    KeyHelp {
        keys: "q, Ctrl-C",
        what: "quit; the session is saved",
        short: "quit, saved",
    },
    KeyHelp {
        keys: "Ctrl-Z",
        what: "suspend; fg comes back",
        short: "suspend",
    },
];

/// The start screen's keys, as [`form_key`] reads them.
pub const FORM_HELP: [KeyHelp; 5] = [
    KeyHelp {
        keys: "Up/Down, Tab",
        what: "move between the fields",
        short: "field",
    },
    KeyHelp {
        keys: "Left/Right, - / +",
        what: "pick another routine, or move a time",
        short: "change",
    },
    KeyHelp {
        keys: "Esc",
        what: "put the field back as it was",
        short: "reset",
    },
    KeyHelp {
        keys: "Enter",
        what: "begin the day",
        short: "begin",
    },
    KeyHelp {
        keys: "q, Ctrl-C",
        what: "leave without starting anything",
        short: "quit",
    },
];

/// A key on the start screen, where letters and digits are typed into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// A character for the focused field: a digit, `:`, a unit letter (`h`, `m`, `s`), or
    /// what a 12-hour time needs (`a`, `p`, `.`, a space; `10:30 PM`).
    Char(char),
    /// Backspace.
    Backspace,
    /// Esc: the field back to its first value.
    Clear,
    /// Up, Shift-Tab: the field above.
    Up,
    /// Down, Tab: the field below.
    Down,
    /// Left: the previous routine, or a time earlier.
    Left,
    /// Right: the next routine, or a time later.
    Right,
    /// Enter: begin the day.
    Begin,
    /// `q`, Ctrl-C.
    Quit,
    /// Ctrl-Z.
    Suspend,
}

/// The start screen's reading of a key press; `None` for keys that mean nothing there.
pub fn form_key(key: KeyEvent) -> Option<FormKey> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => FormKey::Quit,
        KeyCode::Char('z') if ctrl => FormKey::Suspend,
        _ if ctrl => return None,
        KeyCode::Enter => FormKey::Begin,
        KeyCode::Esc => FormKey::Clear,
        KeyCode::Backspace | KeyCode::Delete => FormKey::Backspace,
        KeyCode::Up | KeyCode::BackTab => FormKey::Up,
        KeyCode::Down | KeyCode::Tab => FormKey::Down,
        KeyCode::Left | KeyCode::Char('-') => FormKey::Left,
        KeyCode::Right | KeyCode::Char('+') | KeyCode::Char('=') => FormKey::Right,
        KeyCode::Char('q') => FormKey::Quit,
        KeyCode::Char(c)
            if c.is_ascii_digit()
                || matches!(
                    c,
                    ':' | 'h' | 'm' | 's' | 'a' | 'p' | 'A' | 'P' | 'M' | '.' | ' '
                ) =>
        {
            FormKey::Char(c)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn keys_of_the_contract() {
        let none = KeyModifiers::NONE;
        for (code, want) in [
            (KeyCode::Enter, Intent::Go),
            (KeyCode::Char(' '), Intent::PauseResume),
            (KeyCode::Char('s'), Intent::Skip),
            (KeyCode::Char('>'), Intent::SkipHold),
            (KeyCode::Char('u'), Intent::Undo),
            (KeyCode::Up, Intent::Up),
            (KeyCode::Char('k'), Intent::Up),
            (KeyCode::Down, Intent::Down),
            (KeyCode::Char('j'), Intent::Down),
            (KeyCode::Char('+'), Intent::More),
            (KeyCode::Char('-'), Intent::Less),
            (KeyCode::Char('?'), Intent::Help),
            (KeyCode::Char('i'), Intent::Details),
            (KeyCode::Esc, Intent::Back),
            (KeyCode::Char('q'), Intent::Quit),
        ] {
            assert_eq!(intent(press(code, none)), Some(want), "{code:?}");
        }
        assert_eq!(
            intent(press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Intent::Quit)
        );
        assert_eq!(
            intent(press(KeyCode::Char('z'), KeyModifiers::CONTROL)),
            Some(Intent::Suspend)
        );
        assert_eq!(intent(press(KeyCode::Char('x'), none)), None);
    }

    #[test]
    fn the_start_screen_types_times_and_never_control_characters() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            form_key(press(KeyCode::Char('9'), none)),
            Some(FormKey::Char('9'))
        );
        assert_eq!(
            form_key(press(KeyCode::Char(':'), none)),
            Some(FormKey::Char(':'))
        );
        assert_eq!(
            form_key(press(KeyCode::Char('m'), none)),
            Some(FormKey::Char('m'))
        );
        for c in ['a', 'p', 'P', 'M', ' ', '.'] {
            assert_eq!(
                form_key(press(KeyCode::Char(c), none)),
                Some(FormKey::Char(c))
            );
        }
        assert_eq!(form_key(press(KeyCode::Char('x'), none)), None);
        assert_eq!(form_key(press(KeyCode::Char('\u{1b}'), none)), None);
        assert_eq!(form_key(press(KeyCode::Enter, none)), Some(FormKey::Begin));
        assert_eq!(form_key(press(KeyCode::Tab, none)), Some(FormKey::Down));
        assert_eq!(
            form_key(press(KeyCode::Char('q'), none)),
            Some(FormKey::Quit)
        );
        assert_eq!(
            form_key(press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(FormKey::Quit)
        );
    }

    #[test]
    fn releases_and_repeats_do_nothing() {
        let mut key = press(KeyCode::Enter, KeyModifiers::NONE);
        key.kind = KeyEventKind::Release;
        assert_eq!(intent(key), None);
        key.kind = KeyEventKind::Repeat;
        assert_eq!(intent(key), None);
    }
}
