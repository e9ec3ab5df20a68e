//! The protocol as serde reads it: every field optional and spanned, so validation can say
//! what is missing or wrong, and where. Unknown keys are caught by `keys`, not here, so a type
//! error and an unknown key can both be reported.
use serde::Deserialize;
use toml::Spanned;

/// A spanned string.
pub type Text = Spanned<String>;

/// A spanned duration as written: text like `90s`, or a bare number, which validation refuses
/// with a hint to add a unit (serde's own "expected a string" would not say why).
pub type Dur = Spanned<DurationInput>;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DurationInput {
    Text(String),
    Integer(i64),
    Float(f64),
}

#[derive(Debug, Deserialize)]
pub struct RawProtocol {
    pub name: Option<Text>,
    pub summary: Option<Text>,
    pub steps: Option<Spanned<Vec<Spanned<RawStep>>>>,
}

#[derive(Debug, Deserialize)]
pub struct RawStep {
    pub id: Option<Text>,
    pub title: Option<Text>,
    #[serde(rename = "do")]
    pub what: Option<Text>,
    pub details: Option<Text>,
    pub tips: Option<Vec<Text>>,
    pub optional: Option<Spanned<bool>>,
    pub drop_order: Option<Spanned<i64>>,
    pub window: Option<Spanned<RawWindow>>,
    pub estimate: Option<Dur>,
    pub daily_limit: Option<Spanned<i64>>,
    pub gap: Option<Dur>,
    pub timer: Option<Spanned<RawTimer>>,
    pub holds: Option<Spanned<Vec<Spanned<RawHold>>>>,
}

#[derive(Debug, Deserialize)]
pub struct RawWindow {
    pub within: Option<Dur>,
    pub from: Option<Dur>,
    pub to: Option<Dur>,
    pub before_bed: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
pub struct RawTimer {
    pub length: Option<Dur>,
    pub target: Option<Dur>,
    pub cues: Option<Vec<Spanned<RawCue>>>,
}

#[derive(Debug, Deserialize)]
pub struct RawCue {
    pub at: Option<Dur>,
    pub say: Option<Text>,
}

#[derive(Debug, Deserialize)]
pub struct RawHold {
    pub name: Option<Text>,
    pub time: Option<Dur>,
    pub sides: Option<Vec<Text>>,
    pub how: Option<Text>,
}
