//! Keys to intents, in one place: the rest of the TUI never sees a key code.
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What the runner means by a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Enter: start the timer, tick the step off, finish a range early, or make the selected
    /// step current.
    Go,
    /// Space: pause or resume.
    PauseResume,
    /// `s`: skip the current step.
    Skip,
    /// `y`: yes, in a confirmation.
    Yes,
    /// `n` or Esc: no, or close an overlay.
    Back,
    /// `u`: undo the last step change.
    Undo,
    /// Up / `k`.
    Up,
    /// Down / `j`.
    Down,
    /// `+`: 30 s more.
    More,
    /// `-`: 30 s less.
    Less,
    /// `?`: the keys.
    Help,
    /// `q`, Ctrl-C.
    Quit,
    /// Ctrl-Z.
    Suspend,
}

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
        KeyCode::Char('y') => Intent::Yes,
        KeyCode::Char('n') | KeyCode::Esc => Intent::Back,
        KeyCode::Char('u') => Intent::Undo,
        KeyCode::Up | KeyCode::Char('k') => Intent::Up,
        KeyCode::Down | KeyCode::Char('j') => Intent::Down,
        KeyCode::Char('+') | KeyCode::Char('=') => Intent::More,
        KeyCode::Char('-') => Intent::Less,
        KeyCode::Char('?') => Intent::Help,
        KeyCode::Char('q') => Intent::Quit,
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
            (KeyCode::Char('u'), Intent::Undo),
            (KeyCode::Up, Intent::Up),
            (KeyCode::Char('k'), Intent::Up),
            (KeyCode::Down, Intent::Down),
            (KeyCode::Char('j'), Intent::Down),
            (KeyCode::Char('+'), Intent::More),
            (KeyCode::Char('-'), Intent::Less),
            (KeyCode::Char('?'), Intent::Help),
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
    fn releases_and_repeats_do_nothing() {
        let mut key = press(KeyCode::Enter, KeyModifiers::NONE);
        key.kind = KeyEventKind::Release;
        assert_eq!(intent(key), None);
        key.kind = KeyEventKind::Repeat;
        assert_eq!(intent(key), None);
    }
}
