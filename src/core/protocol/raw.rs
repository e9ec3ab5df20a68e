//! The protocol as serde reads it: every field optional and spanned, so validation can say
//! what is missing or wrong, and where. Unknown keys are caught by `keys`, not here, so a type
//! error and an unknown key can both be reported.
use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub type Text = Spanned<String>;

/// A spanned duration as written: text like `90s`, or anything else, which validation refuses
/// with a hint (serde's own "expected a string" would not say why).
pub type Dur = Spanned<DurationInput>;

/// A duration as written.
#[derive(Debug)]
pub enum DurationInput {
    Text(String),
    /// A bare number, as text, to say "add a unit".
    Number(String),
    /// A boolean, a table, ...
    Other,
}

/// A spanned count: validation, not serde, says what a count must be.
pub type Count = Spanned<CountInput>;

/// A count as written.
#[derive(Debug)]
pub enum CountInput {
    Integer(i64),
    /// Not an integer, or one too large for 64 bits.
    Other,
}

/// Accepts any TOML value, sorting it into text, number or other, so that no value is a
/// serde error with Rust's type names in it.
struct AnyValue;

#[derive(Debug)]
enum Seen {
    Text(String),
    Int(i64),
    Number(String),
    Other,
}

impl<'de> serde::de::Visitor<'de> for AnyValue {
    type Value = Seen;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Seen, E> {
        Ok(Seen::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Seen, E> {
        Ok(Seen::Text(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Seen, E> {
        Ok(Seen::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Seen, E> {
        Ok(i64::try_from(v).map_or(Seen::Number(v.to_string()), Seen::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Seen, E> {
        Ok(Seen::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Seen, E> {
        Ok(Seen::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Seen, E> {
        Ok(Seen::Number(v.to_string()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Seen, E> {
        Ok(Seen::Other)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Seen::Other)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Seen::Other)
    }
}

impl<'de> Deserialize<'de> for DurationInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match d.deserialize_any(AnyValue)? {
            Seen::Text(t) => DurationInput::Text(t),
            Seen::Int(n) => DurationInput::Number(n.to_string()),
            Seen::Number(n) => DurationInput::Number(n),
            Seen::Other => DurationInput::Other,
        })
    }
}

impl<'de> Deserialize<'de> for CountInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match d.deserialize_any(AnyValue)? {
            Seen::Int(n) => CountInput::Integer(n),
            _ => CountInput::Other,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table")]
pub struct RawProtocol {
    pub name: Option<Text>,
    pub summary: Option<Text>,
    pub hot_above: Option<Text>,
    pub steps: Option<Spanned<Vec<Spanned<RawStep>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like [[steps]]")]
pub struct RawStep {
    pub id: Option<Text>,
    pub title: Option<Text>,
    #[serde(rename = "do")]
    pub what: Option<Text>,
    pub details: Option<Text>,
    pub tips: Option<Vec<Text>>,
    pub when_hot: Option<Text>,
    pub optional: Option<Spanned<bool>>,
    pub drop_order: Option<Count>,
    pub budget: Option<Spanned<bool>>,
    pub window: Option<Spanned<RawWindow>>,
    pub estimate: Option<Dur>,
    pub daily_limit: Option<Count>,
    pub gap: Option<Dur>,
    pub timer: Option<Spanned<RawTimer>>,
    pub holds: Option<Spanned<Vec<Spanned<RawHold>>>>,
    pub ask: Option<Spanned<RawAsk>>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like [steps.ask]")]
pub struct RawAsk {
    pub what: Option<Text>,
    pub unit: Option<Text>,
    pub range: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like { within = \"15m\" }")]
pub struct RawWindow {
    pub within: Option<Dur>,
    pub from: Option<Dur>,
    pub to: Option<Dur>,
    pub before_bed: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like [steps.timer]")]
pub struct RawTimer {
    pub length: Option<Dur>,
    pub target: Option<Dur>,
    pub cues: Option<Vec<Spanned<RawCue>>>,
    pub hard_max: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like { at = \"3m\", say = \"...\" }")]
pub struct RawCue {
    pub at: Option<Dur>,
    pub say: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table like [[steps.holds]]")]
pub struct RawHold {
    pub name: Option<Text>,
    pub time: Option<Dur>,
    pub sides: Option<Spanned<Vec<Text>>>,
    pub how: Option<Text>,
}
