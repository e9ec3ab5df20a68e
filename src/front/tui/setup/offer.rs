//! The run from the watch folder, offered on the start screen: its end fills the finish, and
//! the day begins with its figures unless the runner types another finish.
use super::Setup;
use crate::core::clock::clock_in;
use crate::core::watch::Run;

/// A run offered as today's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The run.
    pub run: Run,
    /// Its distance in the runner's units ("21.1 km"), where the file says.
    pub distance: Option<String>,
    /// The file's name, as shown.
    pub file: String,
    /// Its end as written in the finish field; while the field says this, the offer stands.
    pub shown: String,
}

impl Setup {
    /// Offers `run`, read from `file`: the finish is prefilled with its end.
    pub fn with_run(mut self, run: Run, distance: Option<String>, file: String) -> Setup {
        let shown = clock_in(run.ended_at, &self.zone, self.hours);
        self.finished = shown.clone();
        self.offer = Some(Offer {
            run,
            distance,
            file,
            shown,
        });
        self
    }

    /// The offer, while the finish is still the run's end: typing another drops it.
    pub fn offered(&self) -> Option<&Offer> {
        self.offer.as_ref().filter(|o| o.shown == self.finished)
    }
}

impl Offer {
    /// "Use your 07:42 run (21.1 km)?"
    pub fn question(&self) -> String {
        let distance = self
            .distance
            .as_ref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        format!("Use your {} run{distance}?", self.shown)
    }
}
