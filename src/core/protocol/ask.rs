//! A value a step asks for when it ends: what (water temperature), its unit (C) and the range
//! the routine expects (12-15). Values are kept in tenths, so `12.5` is exact and the types
//! stay comparable; a value outside the range is called out in the runner's words.
use serde::{Deserialize, Serialize};

/// What a step asks for: `[steps.ask] what = "water temperature", unit = "C", range = "12-15"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    /// What is asked, in a few words.
    pub what: String,
    /// Its unit, as the runner writes it ("C", "ml", "minutes").
    pub unit: String,
    /// The range the routine expects, in tenths, low then high.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(i64, i64)>,
}

/// The largest value, in tenths, postrun takes: far past any temperature or volume, and far
/// from overflowing.
const LARGEST: i64 = 1_000_000_000;

/// A number like `12`, `12.5` or `-3`, in tenths; more than one decimal is refused.
pub fn tenths(text: &str) -> Result<i64, String> {
    let t = text.trim().replace(',', ".");
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    let (whole, part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let well_formed = !whole.is_empty() && all_digits(whole) && all_digits(part) && part.len() <= 1;
    let not_a_number = || format!("'{text}' is not a number like 12 or 12.5");
    if !well_formed || (digits.contains('.') && part.is_empty()) {
        return Err(not_a_number());
    }
    let whole: i64 = whole.parse().map_err(|_| not_a_number())?;
    let part: i64 = part.parse().unwrap_or(0);
    let value = whole
        .checked_mul(10)
        .and_then(|w| w.checked_add(part))
        .filter(|v| *v <= LARGEST)
        .ok_or_else(|| format!("'{text}' is too large"))?;
    Ok(if negative { -value } else { value })
}

/// A value in tenths as written: `12`, `12.5`, `-3`.
pub fn shown(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.unsigned_abs();
    match a % 10 {
        0 => format!("{sign}{}", a / 10),
        d => format!("{sign}{}.{d}", a / 10),
    }
}

/// A range like `12-15`, `12 - 15`, `-5-0` or `400-600`, in tenths.
pub fn range(text: &str) -> Result<(i64, i64), String> {
    let t = text.trim();
    // The dash between the two, not a minus sign in front of the first.
    let cut = t
        .char_indices()
        .skip(1)
        .find(|(i, c)| *c == '-' && t[..*i].trim_end().ends_with(|d: char| d.is_ascii_digit()));
    let Some((i, _)) = cut else {
        return Err(format!("'{text}' is not a range like \"12-15\""));
    };
    let (low, high) = (tenths(&t[..i])?, tenths(&t[i + 1..])?);
    if low > high {
        return Err(format!(
            "the range \"{text}\" goes down; write the lower number first"
        ));
    }
    Ok((low, high))
}

impl Ask {
    /// The question: `Water temperature, in C (12-15)?`.
    pub fn question(&self) -> String {
        let mut what = self.what.clone();
        if let Some(first) = what.get(..1) {
            what.replace_range(..1, &first.to_uppercase());
        }
        let range = self
            .range
            .map(|(l, h)| format!(" ({}-{})", shown(l), shown(h)))
            .unwrap_or_default();
        format!("{what}, in {}{range}?", self.unit)
    }

    /// Reads an answer: a number, with the unit after it or not; `Ok(None)` for nothing.
    pub fn read(&self, text: &str) -> Result<Option<i64>, String> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let unit = self.unit.to_lowercase();
        let lower = t.to_lowercase();
        let number = match lower.strip_suffix(&unit) {
            Some(rest) if !unit.is_empty() => &t[..rest.len()],
            _ => t,
        };
        tenths(number).map(Some)
    }

    /// A value outside the range, called out: `10 C is colder than the 12-15 C the routine
    /// asks for`; `None` inside it, or with no range.
    pub fn call_out(&self, value: i64) -> Option<String> {
        let (low, high) = self.range?;
        let temperature = matches!(self.unit.as_str(), "C" | "F" | "°C" | "°F");
        let word = match (value < low, value > high, temperature) {
            (true, _, true) => "colder than",
            (true, _, false) => "less than",
            (_, true, true) => "warmer than",
            (_, true, false) => "more than",
            _ => return None,
        };
        let unit = &self.unit;
        Some(format!(
            "{} {unit} is {word} the {}-{} {unit} the routine asks for",
            shown(value),
            shown(low),
            shown(high)
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn water() -> Ask {
        Ask {
            what: "water temperature".into(),
            unit: "C".into(),
            range: Some((120, 150)),
        }
    }

    #[test]
    fn numbers_and_ranges_read_in_tenths() {
        assert_eq!(tenths("12"), Ok(120));
        assert_eq!(tenths("12.5"), Ok(125));
        assert_eq!(tenths("12,5"), Ok(125));
        assert_eq!(tenths("-3"), Ok(-30));
        for bad in ["", "x", "1.25", "12.", ".5", "1e3", "99999999999"] {
            assert!(tenths(bad).is_err(), "{bad}");
        }
        assert_eq!(range("12-15"), Ok((120, 150)));
        assert_eq!(range("12 - 15"), Ok((120, 150)));
        assert_eq!(range("-5-0"), Ok((-50, 0)));
        assert!(range("15-12").unwrap_err().contains("lower number first"));
        assert!(range("12").is_err());
        assert_eq!(shown(125), "12.5");
        assert_eq!(shown(-30), "-3");
    }

    #[test]
    fn a_value_outside_the_range_is_called_out() {
        let w = water();
        assert_eq!(
            w.call_out(100).as_deref(),
            Some("10 C is colder than the 12-15 C the routine asks for")
        );
        assert_eq!(
            w.call_out(170).as_deref(),
            Some("17 C is warmer than the 12-15 C the routine asks for")
        );
        assert_eq!(w.call_out(120), None);
        assert_eq!(w.call_out(150), None);
        let drunk = Ask {
            what: "millilitres drunk".into(),
            unit: "ml".into(),
            range: Some((4000, 6000)),
        };
        assert_eq!(
            drunk.call_out(2000).as_deref(),
            Some("200 ml is less than the 400-600 ml the routine asks for")
        );
    }

    #[test]
    fn an_answer_may_carry_its_unit_and_enter_skips() {
        let w = water();
        assert_eq!(w.read("10"), Ok(Some(100)));
        assert_eq!(w.read("10 C"), Ok(Some(100)));
        assert_eq!(w.read("10c"), Ok(Some(100)));
        assert_eq!(w.read("  "), Ok(None));
        assert!(w.read("cold").is_err());
        assert_eq!(w.question(), "Water temperature, in C (12-15)?");
    }
}
