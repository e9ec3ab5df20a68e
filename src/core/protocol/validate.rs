//! Raw serde types to a validated [`Protocol`], collecting every problem rather than stopping at
//! the first, each pointing at the key or value at fault.
use std::collections::HashMap;
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use super::duration::{DurationFault, Length, parse_duration, parse_length};
use super::problem::{Fault, Problem, Problems};
use super::raw::{Count, CountInput, Dur, DurationInput, RawProtocol, RawStep, Text};
use super::syntax::{self, one_line};
use super::units::{self, Units};
use super::{Activity, MAX_FILE_BYTES, Protocol, Step, keys};
use crate::core::printable;

/// The get-into-position time between holds when a step does not set `gap`.
const DEFAULT_GAP: Duration = Duration::from_secs(5);
/// The largest `drop_order` or `daily_limit`; a larger number is surely a typo.
const MAX_COUNT: i64 = 9999;

pub fn parse(path: &str, id: &str, source: &str, shown: Units) -> Result<Protocol, Problems> {
    let fail = |list: Vec<Problem>| {
        let mut list = list;
        list.sort_by_key(|p| (p.span.start, p.span.end));
        Problems {
            path: path.to_string(),
            source: source.to_string(),
            list,
        }
    };
    if source.len() > MAX_FILE_BYTES {
        return Err(fail(vec![Problem {
            span: 0..0,
            fault: Fault::TooLarge {
                bytes: source.len(),
            },
        }]));
    }
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(fail(syntax::problems(source, &errors)));
    }
    let mut list = keys::unknown(doc.get_ref());
    let raw = match RawProtocol::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(raw) => raw,
        Err(e) => {
            list.push(Problem {
                span: e.span().unwrap_or(0..0),
                fault: Fault::WrongType(one_line(e.message())),
            });
            return Err(fail(list));
        }
    };
    let mut check = Check { found: list, shown };
    let protocol = check.protocol(raw, id);
    match protocol {
        Some(p) if check.found.is_empty() => Ok(p),
        _ => Err(fail(check.found)),
    }
}

mod ask;
mod timing;

/// Collects problems while building the validated protocol. Its checks of what a step does
/// and when (timer, cues, holds, window) are in `timing`.
struct Check {
    found: Vec<Problem>,
    /// The units marked quantities are written in.
    shown: Units,
}

impl Check {
    fn fault(&mut self, span: Range<usize>, fault: Fault) {
        self.found.push(Problem { span, fault });
    }

    fn protocol(&mut self, raw: RawProtocol, id: &str) -> Option<Protocol> {
        let name = self.required_text(raw.name, "name", "the protocol", 0..0);
        let summary = self.required_text(raw.summary, "summary", "the protocol", 0..0);
        let hot_above_c = raw.hot_above.and_then(|t| self.temperature(t, "hot_above"));
        let steps = match raw.steps {
            None => {
                self.fault(0..0, Fault::NoSteps);
                Vec::new()
            }
            Some(steps) if steps.get_ref().is_empty() => {
                self.fault(steps.span(), Fault::NoSteps);
                Vec::new()
            }
            Some(steps) => self.steps(steps.into_inner()),
        };
        Some(Protocol {
            id: id.to_string(),
            name: name?.0,
            summary: summary?.0,
            steps,
            hot_above_c,
        })
    }

    fn steps(&mut self, raw: Vec<Spanned<RawStep>>) -> Vec<Step> {
        let mut first_use: HashMap<String, usize> = HashMap::new();
        let mut steps = Vec::new();
        for (i, step) in raw.into_iter().enumerate() {
            let span = step.span();
            let step = step.into_inner();
            if let Some(id) = &step.id {
                let text = id.get_ref().trim().to_string();
                match first_use.get(&text) {
                    Some(first) if !text.is_empty() => {
                        self.fault(
                            id.span(),
                            Fault::DuplicateId {
                                id: text,
                                first: first + 1,
                            },
                        );
                    }
                    _ => {
                        first_use.insert(text, i);
                    }
                }
            }
            if let Some(s) = self.step(step, span) {
                steps.push(s);
            }
        }
        steps
    }

    fn step(&mut self, raw: RawStep, span: Range<usize>) -> Option<Step> {
        let id = self.required_text(raw.id, "id", "a step", span.clone());
        if let Some((id, at)) = &id
            && !is_kebab(id)
            && !id.is_empty()
        {
            self.fault(at.clone(), Fault::BadId(id.clone()));
        }
        let title = self.required_text(raw.title, "title", "a step", span.clone());
        let what = self.required_text(raw.what, "do", "a step", span.clone());
        let details = raw.details.and_then(|t| self.text(t, "details", true));
        let tips = raw
            .tips
            .unwrap_or_default()
            .into_iter()
            .filter_map(|t| self.text(t, "tips", true))
            .collect();
        let when_hot = raw.when_hot.and_then(|t| self.nonempty(t, "when_hot"));
        let optional = raw.optional.as_ref().is_some_and(|o| *o.get_ref());
        let drop_order = raw.drop_order.and_then(|d| {
            if !optional {
                self.fault(d.span(), Fault::DropOrderRequired);
            }
            self.count(d, "drop_order")
        });
        let in_budget = raw.budget.as_ref().is_none_or(|b| *b.get_ref());
        let daily_limit = raw.daily_limit.and_then(|d| self.count(d, "daily_limit"));
        let window = raw.window.and_then(|w| self.window(w));
        let activity = self.activity(raw.timer, raw.holds, raw.gap);
        let ask = raw.ask.and_then(|a| self.ask(a));
        let estimate = raw.estimate.and_then(|e| {
            if !matches!(activity, Activity::Tick) {
                self.fault(e.span(), Fault::EstimateTimed);
            }
            self.length(e, "estimate")
        });
        Some(Step {
            id: id?.0,
            title: title?.0,
            what: what?.0,
            details,
            tips,
            when_hot,
            optional,
            drop_order,
            in_budget,
            window,
            activity,
            estimate,
            daily_limit,
            ask,
        })
    }

    fn count(&mut self, raw: Count, key: &'static str) -> Option<u32> {
        let max = MAX_COUNT;
        match raw.get_ref() {
            CountInput::Integer(value) if (1..=max).contains(value) => u32::try_from(*value).ok(),
            CountInput::Integer(value) => {
                let value = *value;
                self.fault(raw.span(), Fault::OutOfRange { key, value, max });
                None
            }
            // Not an integer, or one too large for TOML's 64 bits.
            CountInput::Other => {
                self.fault(raw.span(), Fault::NotCount { key, max });
                None
            }
        }
    }

    fn duration(&mut self, raw: Dur, key: &'static str) -> Option<Duration> {
        match as_text(raw.get_ref()).and_then(|t| parse_duration(&t)) {
            Ok(d) => Some(d),
            Err(fault) => {
                self.fault(raw.span(), Fault::Duration { key, fault });
                None
            }
        }
    }

    fn length(&mut self, raw: Dur, key: &'static str) -> Option<Length> {
        match as_text(raw.get_ref()).and_then(|t| parse_length(&t)) {
            Ok(l) => Some(l),
            Err(fault) => {
                self.fault(raw.span(), Fault::Duration { key, fault });
                None
            }
        }
    }

    /// A temperature like `25 C` or `77 F`, in whole degrees Celsius.
    fn temperature(&mut self, raw: Text, key: &'static str) -> Option<i32> {
        match units::celsius(raw.get_ref()) {
            Ok(c) => Some(c),
            Err(why) => {
                self.fault(raw.span(), Fault::Quantity { key, why });
                None
            }
        }
    }

    /// A required, non-empty, plain text; a missing one points at its table.
    fn required_text(
        &mut self,
        raw: Option<Text>,
        key: &'static str,
        place: &'static str,
        table: Range<usize>,
    ) -> Option<(String, Range<usize>)> {
        let Some(raw) = raw else {
            self.fault(table, Fault::Missing { key, place });
            return None;
        };
        let span = raw.span();
        self.nonempty(raw, key).map(|t| (t, span))
    }

    fn nonempty(&mut self, raw: Text, key: &'static str) -> Option<String> {
        if raw.get_ref().trim().is_empty() {
            self.fault(raw.span(), Fault::Empty { key });
            return None;
        }
        self.text(raw, key, false)
    }

    /// Plain text only: no control characters (newlines only where `multiline`), no line
    /// separators or text direction controls, so no protocol file can write escape sequences
    /// to the terminal or reorder what it shows.
    fn text(&mut self, raw: Text, key: &'static str, multiline: bool) -> Option<String> {
        // Files saved on Windows end lines with CR LF; inside multi-line text that is a
        // line break, not a control character.
        let normalized = if multiline {
            raw.get_ref().replace("\r\n", "\n")
        } else {
            raw.get_ref().clone()
        };
        // The same rule as for everything shown on the terminal (core::printable).
        let bad = normalized
            .chars()
            .find(|&c| !(printable::shows(c) || multiline && c == '\n'));
        if let Some(c) = bad {
            let code = match c {
                '\u{1b}' => "U+001B (escape)".to_string(),
                '\u{7}' => "U+0007 (bell)".to_string(),
                '\n' => "U+000A (new line)".to_string(),
                '\t' => "U+0009 (tab)".to_string(),
                '\r' => "U+000D (carriage return)".to_string(),
                '\u{2028}' | '\u{2029}' => format!("U+{:04X} (a line break)", u32::from(c)),
                '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                    format!("U+{:04X} (a text direction override)", u32::from(c))
                }
                c if !c.is_control() => format!("U+{:04X} (a text direction mark)", u32::from(c)),
                c => format!("U+{:04X}", u32::from(c)),
            };
            self.fault(raw.span(), Fault::ControlChar { key, code });
            return None;
        }
        match units::render(normalized.trim(), self.shown) {
            Ok(text) => Some(text),
            Err(why) => {
                self.fault(raw.span(), Fault::Quantity { key, why });
                None
            }
        }
    }
}

/// A duration's text; a bare number is refused for want of a unit.
fn as_text(input: &DurationInput) -> Result<String, DurationFault> {
    match input {
        DurationInput::Text(t) => Ok(t.clone()),
        DurationInput::Number(n) if n.starts_with('-') => Err(DurationFault::Negative(n.clone())),
        DurationInput::Number(n) => Err(DurationFault::NoUnit(n.clone())),
        DurationInput::Other => Err(DurationFault::NotText),
    }
}

/// Lowercase ASCII letters and digits in groups joined by single dashes.
fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        for good in ["hydrate", "ice-bath", "step-2"] {
            assert!(is_kebab(good), "{good}");
        }
        for bad in [
            "",
            "Ice",
            "ice_bath",
            "-ice",
            "ice-",
            "ice--bath",
            "ice bath",
        ] {
            assert!(!is_kebab(bad), "{bad}");
        }
    }
}
