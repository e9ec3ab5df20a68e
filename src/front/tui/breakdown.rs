//! Breakdowns on purpose, for the end-to-end tests that prove the terminal comes back: with
//! `POSTRUN_TEST_PANIC=1` the `!` key panics, with `POSTRUN_TEST_PANIC=abort` it aborts. A
//! runner never sets it, and without it the key does nothing.
use crossterm::event::KeyCode;

/// The environment variable that arms [`KEY`].
const ENV: &str = "POSTRUN_TEST_PANIC";
/// The key that breaks down on purpose.
const KEY: KeyCode = KeyCode::Char('!');

/// What [`KEY`] does: nothing, a panic, or an abort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnPurpose(Option<Breakdown>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breakdown {
    Panic,
    Abort,
}

impl OnPurpose {
    /// As [`ENV`] says.
    pub fn from_env() -> OnPurpose {
        OnPurpose(match std::env::var_os(ENV) {
            Some(v) if v == "1" => Some(Breakdown::Panic),
            Some(v) if v == "abort" => Some(Breakdown::Abort),
            _ => None,
        })
    }

    /// Breaks down if armed and `key` is [`KEY`].
    pub fn on_key(self, key: KeyCode) {
        match (self.0, key) {
            (Some(Breakdown::Panic), KEY) => panic!("{ENV} is set and {KEY} was pressed"),
            (Some(Breakdown::Abort), KEY) => std::process::abort(),
            _ => {}
        }
    }
}
