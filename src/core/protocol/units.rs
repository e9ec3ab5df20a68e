//! Quantities marked in a protocol's text, `{12-15 C}` or `{500 ml}`, written in the runner's
//! units: metric (as most files are written) or US (`units = "us"`: `54-59 F`, `17 fl oz`).
//! A mark is a number or a range and a unit in braces; `{{` and `}}` are braces.

/// The units quantities are shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Units {
    /// Celsius, millilitres and litres, grams and kilograms.
    #[default]
    Metric,
    /// Fahrenheit, fluid ounces, ounces and pounds.
    Us,
}

/// What a quantity measures; a mark converts only within its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Temperature,
    Volume,
    Weight,
}

/// A unit a mark may name, with how it is written and how it goes to the kind's base unit
/// (degrees Celsius, millilitres, grams).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Unit {
    names: &'static [&'static str],
    shown: &'static str,
    kind: Kind,
    metric: bool,
    /// To the base unit: `base = value * scale + offset`.
    scale: f64,
    offset: f64,
}

const UNITS: [Unit; 9] = [
    Unit {
        names: &["C", "°C"],
        shown: "C",
        kind: Kind::Temperature,
        metric: true,
        scale: 1.0,
        offset: 0.0,
    },
    Unit {
        names: &["F", "°F"],
        shown: "F",
        kind: Kind::Temperature,
        metric: false,
        scale: 5.0 / 9.0,
        offset: -32.0 * 5.0 / 9.0,
    },
    Unit {
        names: &["ml", "mL"],
        shown: "ml",
        kind: Kind::Volume,
        metric: true,
        scale: 1.0,
        offset: 0.0,
    },
    Unit {
        names: &["l", "L"],
        shown: "l",
        kind: Kind::Volume,
        metric: true,
        scale: 1000.0,
        offset: 0.0,
    },
    Unit {
        names: &["fl oz", "fl. oz"],
        shown: "fl oz",
        kind: Kind::Volume,
        metric: false,
        scale: 29.5735,
        offset: 0.0,
    },
    Unit {
        names: &["g"],
        shown: "g",
        kind: Kind::Weight,
        metric: true,
        scale: 1.0,
        offset: 0.0,
    },
    Unit {
        names: &["kg"],
        shown: "kg",
        kind: Kind::Weight,
        metric: true,
        scale: 1000.0,
        offset: 0.0,
    },
    Unit {
        names: &["oz"],
        shown: "oz",
        kind: Kind::Weight,
        metric: false,
        scale: 28.3495,
        offset: 0.0,
    },
    Unit {
        names: &["lb", "lbs"],
        shown: "lb",
        kind: Kind::Weight,
        metric: false,
        scale: 453.592,
        offset: 0.0,
    },
];

/// A marked quantity: a value or a range, in a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Quantity {
    low: f64,
    high: Option<f64>,
    unit: Unit,
}

/// Writes `text` with each mark in `units`; the message says what is wrong with the first bad
/// mark.
pub fn render(text: &str, units: Units) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let Some(end) = after.find('}') else {
                return Err("a '{' with no '}' after it; write '{{' for a brace".to_string());
            };
            let q = quantity(&after[..end])?;
            out.push_str(&shown(q, units));
            rest = &after[end + 1..];
        } else {
            return Err("a '}' with no '{' before it; write '}}' for a brace".to_string());
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// A temperature as a protocol's key gives it, `25 C` or `77 F` (braces or not), in whole
/// degrees Celsius.
pub fn celsius(text: &str) -> Result<i32, String> {
    let inside = text.trim().trim_start_matches('{').trim_end_matches('}');
    let q = quantity(inside)?;
    if q.unit.kind != Kind::Temperature || q.high.is_some() {
        return Err(format!(
            "'{}' is not a temperature; write one like \"25 C\" or \"77 F\"",
            text.escape_debug()
        ));
    }
    Ok(base(q.unit, q.low).round() as i32)
}

/// Reads a mark's inside: `12-15 C`, `500 ml`, `1.5 l`.
fn quantity(mark: &str) -> Result<Quantity, String> {
    let bad = |why: &str| {
        let names: Vec<&str> = UNITS.iter().map(|u| u.names[0]).collect();
        format!(
            "'{{{}}}' is not a quantity: {why}; write a number or a range and a unit, like {{12-15 C}} or {{500 ml}} (units: {})",
            mark.escape_debug(),
            names.join(", ")
        )
    };
    let mark = mark.trim();
    let split = mark
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(mark.len());
    let (number, unit_name) = (mark[..split].trim(), mark[split..].trim());
    let unit = UNITS
        .iter()
        .find(|u| u.names.contains(&unit_name))
        .copied()
        .ok_or_else(|| {
            bad(&format!(
                "'{}' is not a unit postrun knows",
                unit_name.escape_debug()
            ))
        })?;
    let value = |s: &str| -> Result<f64, String> {
        let plain = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
        match s.parse::<f64>() {
            Ok(v) if plain && v.is_finite() && v < 1e6 => Ok(v),
            _ => Err(bad(&format!("'{}' is not a number", s.escape_debug()))),
        }
    };
    let (low, high) = match number.split_once('-') {
        Some((a, b)) => (value(a.trim())?, Some(value(b.trim())?)),
        None => (value(number)?, None),
    };
    if high.is_some_and(|h| h <= low) {
        return Err(bad("a range goes from low to high"));
    }
    Ok(Quantity { low, high, unit })
}

/// A quantity in `units`: as written when it already is; else converted and rounded to what
/// a runner would read off a thermometer or a bottle.
fn shown(q: Quantity, units: Units) -> String {
    let want_metric = units == Units::Metric;
    let to = if q.unit.metric == want_metric {
        q.unit
    } else {
        target(
            q.unit.kind,
            want_metric,
            base(q.unit, q.high.unwrap_or(q.low)),
        )
    };
    let convert = |v: f64| {
        if to == q.unit {
            v
        } else {
            (base(q.unit, v) - to.offset) / to.scale
        }
    };
    let number = |v: f64| {
        if to == q.unit {
            trimmed(v)
        } else {
            rounded(convert(v), to)
        }
    };
    match q.high {
        Some(h) => format!("{}-{} {}", number(q.low), number(h), to.shown),
        None => format!("{} {}", number(q.low), to.shown),
    }
}

fn base(unit: Unit, v: f64) -> f64 {
    v * unit.scale + unit.offset
}

/// The unit a converted quantity is written in: the larger one for large amounts.
fn target(kind: Kind, metric: bool, base: f64) -> Unit {
    let name = match (kind, metric) {
        (Kind::Temperature, true) => "C",
        (Kind::Temperature, false) => "F",
        (Kind::Volume, true) if base >= 1000.0 => "l",
        (Kind::Volume, true) => "ml",
        (Kind::Volume, false) => "fl oz",
        (Kind::Weight, true) if base >= 1000.0 => "kg",
        (Kind::Weight, true) => "g",
        (Kind::Weight, false) if base >= 453.592 => "lb",
        (Kind::Weight, false) => "oz",
    };
    UNITS
        .iter()
        .find(|u| u.names[0] == name)
        .copied()
        .unwrap_or(UNITS[0])
}

/// A converted number: whole degrees; millilitres and grams to the nearest 10 from 100 up;
/// other amounts whole from 10 up, else to one decimal.
fn rounded(v: f64, to: Unit) -> String {
    let r = match to.kind {
        Kind::Temperature => v.round(),
        _ if v >= 100.0 && to.scale == 1.0 => (v / 10.0).round() * 10.0,
        _ if v >= 10.0 => v.round(),
        _ => (v * 10.0).round() / 10.0,
    };
    trimmed(r)
}

/// `15`, `1.5`: no trailing `.0`.
fn trimmed(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn us(text: &str) -> String {
        render(text, Units::Us).unwrap_or_else(|e| panic!("{e}"))
    }

    fn metric(text: &str) -> String {
        render(text, Units::Metric).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn metric_marks_read_as_written_and_convert_to_us() {
        assert_eq!(metric("Sit in {12-15 C} water"), "Sit in 12-15 C water");
        assert_eq!(us("Sit in {12-15 C} water"), "Sit in 54-59 F water");
        assert_eq!(us("Drink {500 ml}."), "Drink 17 fl oz.");
        assert_eq!(us("{1.5 l}"), "51 fl oz");
        assert_eq!(us("{250 g} of rice"), "8.8 oz of rice");
        assert_eq!(us("{70 kg}"), "154 lb");
        assert_eq!(us("{0.5 l}"), "17 fl oz");
        assert_eq!(us("{20 °C}"), "68 F");
        assert_eq!(metric("{1.5 l}"), "1.5 l");
        assert_eq!(us("{500 mL} and {2 L}"), "17 fl oz and 68 fl oz");
    }

    #[test]
    fn us_marks_convert_to_metric() {
        assert_eq!(metric("{54-59 F}"), "12-15 C");
        assert_eq!(metric("{17 fl oz}"), "500 ml");
        assert_eq!(metric("{40 fl oz}"), "1.2 l");
        assert_eq!(metric("{2 lb}"), "910 g");
        assert_eq!(us("{17 fl oz}"), "17 fl oz");
    }

    #[test]
    fn braces_and_plain_text_pass_through() {
        assert_eq!(us("no marks here"), "no marks here");
        assert_eq!(us("{{literal}} braces"), "{literal} braces");
        assert_eq!(us("°C without a mark"), "°C without a mark");
    }

    #[test]
    fn a_threshold_reads_in_either_scale() {
        assert_eq!(celsius("25 C"), Ok(25));
        assert_eq!(celsius("77 F"), Ok(25));
        assert_eq!(celsius("{30 °C}"), Ok(30));
        for bad in ["500 ml", "20-25 C", "warm"] {
            assert!(celsius(bad).is_err(), "{bad}");
        }
        assert_eq!(
            celsius("500 ml").unwrap_err(),
            "'500 ml' is not a temperature; write one like \"25 C\" or \"77 F\""
        );
    }

    #[test]
    fn bad_marks_are_named() {
        for (text, says) in [
            ("{12-15 K}", "'K' is not a unit postrun knows"),
            ("{warm C}", "'warm C' is not a unit"),
            ("{1.2.3 ml}", "'1.2.3' is not a number"),
            ("{-5 C}", "'' is not a number"),
            ("{15-12 C}", "a range goes from low to high"),
            ("{1e9 ml}", "'e9 ml' is not a unit"),
            ("{9999999 ml}", "'9999999' is not a number"),
            ("{12 C", "a '{' with no '}'"),
            ("12 C}", "a '}' with no '{'"),
        ] {
            let e = render(text, Units::Metric).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
