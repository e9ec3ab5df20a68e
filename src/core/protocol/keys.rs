//! Unknown keys, found by walking the parsed TOML before serde sees it, so that every unknown
//! key in a file is reported (serde stops at the first) with the nearest known key suggested.
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{Fault, Problem};

const PROTOCOL: &[&str] = &["name", "summary", "hot_above", "steps"];
const STEP: &[&str] = &[
    "id",
    "title",
    "do",
    "details",
    "tips",
    "when_hot",
    "optional",
    "drop_order",
    "budget",
    "window",
    "estimate",
    "daily_limit",
    "gap",
    "timer",
    "holds",
    "ask",
];
const ASK: &[&str] = &["what", "unit", "range"];
const WINDOW: &[&str] = &["within", "from", "to", "before_bed"];
const TIMER: &[&str] = &["length", "target", "cues", "hard_max"];
const CUE: &[&str] = &["at", "say"];
const HOLD: &[&str] = &["name", "time", "sides", "how"];

/// Every unknown key in the document.
pub fn unknown(root: &DeTable<'_>) -> Vec<Problem> {
    let mut found = Vec::new();
    check(root, PROTOCOL, "the protocol", &mut found);
    for step in tables(root.get("steps")) {
        check(step, STEP, "a step", &mut found);
        if let Some(DeValue::Table(w)) = root_value(step, "window") {
            check(w, WINDOW, "a window", &mut found);
        }
        if let Some(DeValue::Table(t)) = root_value(step, "timer") {
            check(t, TIMER, "a timer", &mut found);
            for cue in tables(t.get("cues")) {
                check(cue, CUE, "a cue", &mut found);
            }
        }
        if let Some(DeValue::Table(a)) = root_value(step, "ask") {
            check(a, ASK, "an ask", &mut found);
        }
        for hold in tables(step.get("holds")) {
            check(hold, HOLD, "a hold", &mut found);
        }
    }
    found
}

fn root_value<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a DeValue<'i>> {
    table.get(key).map(Spanned::get_ref)
}

/// The tables of an array of tables; anything else is serde's to complain about.
fn tables<'a, 'i>(
    value: Option<&'a Spanned<DeValue<'i>>>,
) -> impl Iterator<Item = &'a DeTable<'i>> {
    let items: &[Spanned<DeValue<'i>>] = match value.map(Spanned::get_ref) {
        Some(DeValue::Array(a)) => a,
        _ => &[],
    };
    items.iter().filter_map(|v| match v.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    })
}

pub(crate) fn check(
    table: &DeTable<'_>,
    known: &'static [&'static str],
    place: &'static str,
    found: &mut Vec<Problem>,
) {
    for key in table.keys() {
        let name: &str = key.get_ref();
        if known.contains(&name) {
            continue;
        }
        let fault = match nearest(name, known) {
            Some(suggestion) => Fault::UnknownKeyNear {
                key: name.to_string(),
                place,
                suggestion,
            },
            None => Fault::UnknownKey {
                key: name.to_string(),
                place,
                known,
            },
        };
        found.push(Problem {
            span: key.span(),
            fault,
        });
    }
}

/// The known key closest to a typo, if any is close enough to be what was meant.
fn nearest(key: &str, known: &'static [&'static str]) -> Option<&'static str> {
    let lower = key.to_lowercase().replace('-', "_");
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1) + usize::from(k.len() > 6))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_keys() {
        assert_eq!(nearest("optinal", STEP), Some("optional"));
        assert_eq!(nearest("Title", STEP), Some("title"));
        assert_eq!(nearest("drop-order", STEP), Some("drop_order"));
        assert_eq!(nearest("dailylimit", STEP), Some("daily_limit"));
        assert_eq!(nearest("colour", STEP), None);
        assert_eq!(nearest("lenght", TIMER), Some("length"));
    }
}
