//! The checks of what a step does and when: its timer and cues, its holds, its window.
use std::time::Duration;

use toml::Spanned;

use super::super::duration::Short;
use super::super::problem::Fault;
use super::super::raw::{Dur, RawCue, RawHold, RawTimer, RawWindow};
use super::super::{Activity, Cue, Hold, Holds, Timer, Window};
use super::{Check, DEFAULT_GAP};

impl Check {
    pub(super) fn activity(
        &mut self,
        timer: Option<Spanned<RawTimer>>,
        holds: Option<Spanned<Vec<Spanned<RawHold>>>>,
        gap: Option<Dur>,
    ) -> Activity {
        if let (Some(_), Some(h)) = (&timer, &holds) {
            self.fault(h.span(), Fault::TimerAndHolds);
        }
        if let (None, Some(g)) = (&holds, &gap) {
            self.fault(g.span(), Fault::GapWithoutHolds);
        }
        if let Some(t) = timer {
            return self.timer(t).map_or(Activity::Tick, Activity::Timer);
        }
        let Some(holds) = holds else {
            return Activity::Tick;
        };
        let gap = match gap {
            Some(g) => self.duration(g, "gap").unwrap_or(DEFAULT_GAP),
            None => DEFAULT_GAP,
        };
        if holds.get_ref().is_empty() {
            self.fault(holds.span(), Fault::NoHolds);
            return Activity::Tick;
        }
        let holds: Vec<Hold> = holds
            .into_inner()
            .into_iter()
            .filter_map(|h| self.hold(h))
            .collect();
        Activity::Holds(Holds { gap, holds })
    }

    fn timer(&mut self, raw: Spanned<RawTimer>) -> Option<Timer> {
        let span = raw.span();
        let raw = raw.into_inner();
        let Some(length) = raw.length else {
            self.fault(
                span,
                Fault::Missing {
                    key: "length",
                    place: "a timer",
                },
            );
            return None;
        };
        let length = self.length(length, "length")?;
        let target = match raw.target {
            None => length.max,
            Some(t) => {
                let at = t.span();
                let target = self.duration(t, "target")?;
                if target < length.min || target > length.max {
                    self.fault(
                        at,
                        Fault::TargetOutside {
                            target: Short(target).to_string(),
                            length: length.to_string(),
                        },
                    );
                }
                target
            }
        };
        let mut cues: Vec<Cue> = raw
            .cues
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| self.cue(c, target))
            .collect();
        cues.sort_by_key(|c| c.at);
        Some(Timer {
            length,
            target,
            cues,
            hard_max: raw.hard_max.unwrap_or(false),
        })
    }

    fn cue(&mut self, raw: Spanned<RawCue>, end: Duration) -> Option<Cue> {
        let span = raw.span();
        let raw = raw.into_inner();
        let say = self.required_text(raw.say, "say", "a cue", span.clone());
        let Some(at) = raw.at else {
            self.fault(
                span,
                Fault::Missing {
                    key: "at",
                    place: "a cue",
                },
            );
            return None;
        };
        let at_span = at.span();
        let at = self.duration(at, "at")?;
        if at > end {
            self.fault(
                at_span,
                Fault::CuePastEnd {
                    at: Short(at).to_string(),
                    end: Short(end).to_string(),
                },
            );
        }
        Some(Cue { at, say: say?.0 })
    }

    fn hold(&mut self, raw: Spanned<RawHold>) -> Option<Hold> {
        let span = raw.span();
        let raw = raw.into_inner();
        let name = self.required_text(raw.name, "name", "a hold", span.clone());
        let length = match raw.time {
            Some(t) => self.length(t, "time"),
            None => {
                self.fault(
                    span.clone(),
                    Fault::Missing {
                        key: "time",
                        place: "a hold",
                    },
                );
                None
            }
        };
        let sides = match raw.sides {
            Some(sides) if sides.get_ref().is_empty() => {
                self.fault(sides.span(), Fault::NoSides);
                Vec::new()
            }
            Some(sides) => sides
                .into_inner()
                .into_iter()
                .filter_map(|s| {
                    if s.get_ref().trim().is_empty() {
                        self.fault(s.span(), Fault::EmptySide);
                        return None;
                    }
                    self.text(s, "sides", false)
                })
                .collect(),
            None => Vec::new(),
        };
        let how = raw.how.and_then(|t| self.text(t, "how", true));
        Some(Hold {
            name: name?.0,
            length: length?,
            sides,
            how,
        })
    }

    pub(super) fn window(&mut self, raw: Spanned<RawWindow>) -> Option<Window> {
        let span = raw.span();
        let w = raw.into_inner();
        let before_bed = w.before_bed.as_ref().is_some_and(|b| *b.get_ref());
        if let Some(within) = w.within {
            if let Some(extra) = w.from.as_ref().or(w.to.as_ref()) {
                self.fault(extra.span(), Fault::WindowBoth);
            }
            if let (true, Some(b)) = (before_bed, &w.before_bed) {
                self.fault(b.span(), Fault::BeforeBedWithin);
            }
            return self.length(within, "within").map(Window::Within);
        }
        let (Some(from), Some(to)) = (w.from, w.to) else {
            let key = if before_bed {
                "from' and 'to"
            } else {
                "within' or 'from' and 'to"
            };
            self.fault(
                span,
                Fault::Missing {
                    key,
                    place: "a window",
                },
            );
            return None;
        };
        let to_span = to.span();
        let (from, to) = (self.duration(from, "from")?, self.duration(to, "to")?);
        let backwards = if before_bed { to > from } else { to < from };
        if backwards {
            let hint = if before_bed {
                "; before bed, 'from' is the earlier and so the larger time, like from = \"90m\", to = \"60m\""
            } else {
                ""
            };
            self.fault(
                to_span,
                Fault::WindowBackwards {
                    from: Short(from).to_string(),
                    to: Short(to).to_string(),
                    hint,
                },
            );
            return None;
        }
        Some(if before_bed {
            Window::BeforeBed { from, to }
        } else {
            Window::After { from, to }
        })
    }
}
