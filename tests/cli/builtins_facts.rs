//! Fact tests for the two built-in protocols.
//!
//! Every fact the source articles give (seeds 000 and 003) must be in the step where a runner
//! needs it. The files are read as plain TOML, not through the postrun library, so these tests
//! pin the content independently of the parser.

use toml::{Table, Value};

const OPTIMAL: &str = include_str!("../../protocols/optimal-recovery.toml");
const SOOTHE: &str = include_str!("../../protocols/soothe-sore-muscles.toml");

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

struct Protocol {
    file: &'static str,
    source: &'static str,
    table: Table,
}

fn optimal() -> Protocol {
    load("optimal-recovery.toml", OPTIMAL)
}

fn soothe() -> Protocol {
    load("soothe-sore-muscles.toml", SOOTHE)
}

fn load(file: &'static str, source: &'static str) -> Protocol {
    let table =
        toml::from_str::<Table>(source).unwrap_or_else(|e| panic!("{file}: not valid TOML: {e}"));
    Protocol {
        file,
        source,
        table,
    }
}

/// Every string anywhere inside `value`, recursively, appended to `out`.
fn collect_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items.iter().for_each(|v| collect_text(v, out)),
        Value::Table(table) => table.values().for_each(|v| collect_text(v, out)),
        _ => {}
    }
}

impl Protocol {
    fn steps(&self) -> Vec<&Table> {
        let steps = self
            .table
            .get("steps")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{}: no [[steps]] array", self.file));
        steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.as_table()
                    .unwrap_or_else(|| panic!("{}: step #{} is not a table", self.file, i + 1))
            })
            .collect()
    }

    fn ids(&self) -> Vec<&str> {
        self.steps()
            .iter()
            .map(|s| s.get("id").and_then(Value::as_str).unwrap_or("<no id>"))
            .collect()
    }

    fn step(&self, id: &str) -> &Table {
        self.steps()
            .into_iter()
            .find(|s| s.get("id").and_then(Value::as_str) == Some(id))
            .unwrap_or_else(|| panic!("{}: no step with id `{id}`", self.file))
    }

    /// All text of a step, lowercased: title, do, details, tips, holds, cues, everything.
    fn text(&self, id: &str) -> String {
        let mut out = String::new();
        collect_text(&Value::Table(self.step(id).clone()), &mut out);
        out.to_lowercase()
    }

    /// The step's tips only, lowercased.
    fn tips(&self, id: &str) -> String {
        let mut out = String::new();
        if let Some(tips) = self.step(id).get("tips") {
            collect_text(tips, &mut out);
        }
        out.to_lowercase()
    }

    /// Panics listing every fact (lowercase substring) missing from the step's text.
    fn assert_facts(&self, id: &str, facts: &[&str]) {
        let text = self.text(id);
        let missing: Vec<&str> = facts
            .iter()
            .copied()
            .filter(|f| !text.contains(&f.to_lowercase()))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: step `{id}` is missing the fact(s) {missing:?}\n--- its text ---\n{text}",
            self.file
        );
    }

    fn assert_tip_facts(&self, id: &str, facts: &[&str]) {
        let tips = self.tips(id);
        let missing: Vec<&str> = facts
            .iter()
            .copied()
            .filter(|f| !tips.contains(&f.to_lowercase()))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: the tips of step `{id}` are missing {missing:?}\n--- its tips ---\n{tips}",
            self.file
        );
    }

    fn str_key(&self, id: &str, key: &str) -> Option<&str> {
        self.step(id).get(key).and_then(Value::as_str)
    }

    fn optional(&self, id: &str) -> bool {
        match self.step(id).get("optional") {
            None => false,
            Some(v) => v
                .as_bool()
                .unwrap_or_else(|| panic!("{}: step `{id}`: optional is not a bool", self.file)),
        }
    }

    fn drop_order(&self, id: &str) -> Option<i64> {
        self.step(id).get("drop_order").and_then(Value::as_integer)
    }

    fn assert_optional(&self, id: &str, expected: bool) {
        assert_eq!(
            self.optional(id),
            expected,
            "{}: step `{id}` should {}be optional",
            self.file,
            if expected { "" } else { "not " }
        );
    }

    /// The step's window must equal `expected`, written as the inside of an inline table.
    fn assert_window(&self, id: &str, expected: &str) {
        let want = toml::from_str::<Table>(expected)
            .unwrap_or_else(|e| panic!("bad expected window {expected:?}: {e}"));
        let got = self
            .step(id)
            .get("window")
            .and_then(Value::as_table)
            .unwrap_or_else(|| panic!("{}: step `{id}` has no window table", self.file));
        assert_eq!(
            got, &want,
            "{}: step `{id}` window is {got:?}, expected {{ {expected} }}",
            self.file
        );
    }

    fn assert_no_window(&self, id: &str) {
        assert!(
            self.step(id).get("window").is_none(),
            "{}: step `{id}` should have no window (the article gives no time for it)",
            self.file
        );
    }

    fn assert_estimate(&self, id: &str, expected: &str) {
        assert_eq!(
            self.str_key(id, "estimate"),
            Some(expected),
            "{}: step `{id}` estimate",
            self.file
        );
    }

    fn timer(&self, id: &str) -> &Table {
        self.step(id)
            .get("timer")
            .and_then(Value::as_table)
            .unwrap_or_else(|| panic!("{}: step `{id}` has no [steps.timer]", self.file))
    }

    fn assert_timer_length(&self, id: &str, expected: &str) {
        assert_eq!(
            self.timer(id).get("length").and_then(Value::as_str),
            Some(expected),
            "{}: step `{id}` timer length",
            self.file
        );
    }

    /// (name, time, sides, how) of each hold, in order.
    fn holds(&self, id: &str) -> Vec<(String, String, Option<Vec<String>>, String)> {
        let holds = self
            .step(id)
            .get("holds")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{}: step `{id}` has no [[steps.holds]]", self.file));
        holds
            .iter()
            .map(|h| {
                let h = h
                    .as_table()
                    .unwrap_or_else(|| panic!("{}: `{id}`: a hold is not a table", self.file));
                let s = |k: &str| h.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let sides = h.get("sides").map(|v| {
                    v.as_array()
                        .unwrap_or_else(|| panic!("{}: `{id}`: sides not an array", self.file))
                        .iter()
                        .map(|x| x.as_str().unwrap_or("<not a string>").to_string())
                        .collect()
                });
                (s("name"), s("time"), sides, s("how"))
            })
            .collect()
    }
}

/// Seconds in a duration such as `90s`, `12m`, `1h30m`, `0m`.
fn secs(text: &str) -> u64 {
    let mut total = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let n: u64 = number
                .parse()
                .unwrap_or_else(|_| panic!("bad duration {text:?}"));
            number.clear();
            total += n * match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => panic!("bad unit {c:?} in duration {text:?}"),
            };
        }
    }
    assert!(
        number.is_empty(),
        "duration {text:?} has no unit at the end"
    );
    total
}

/// (min, max) seconds of a duration or a range (`20s-30s`; `10-15m` borrows the top's unit).
fn range(text: &str) -> (u64, u64) {
    match text.split_once('-') {
        None => (secs(text), secs(text)),
        Some((lo, hi)) => {
            let lo = if lo.chars().all(|c| c.is_ascii_digit()) {
                let unit: String = hi.chars().skip_while(char::is_ascii_digit).collect();
                format!("{lo}{unit}")
            } else {
                lo.to_string()
            };
            (secs(&lo), secs(hi))
        }
    }
}

const FIVE_STRETCHES: [(&str, &str, &[&str]); 5] = [
    ("Quadriceps", "20s-30s", &["left leg", "right leg"]),
    ("Hip flexor", "30s-40s", &["left side", "right side"]),
    ("IT band", "20s-30s", &["left leg", "right leg"]),
    ("Hamstring", "20s-30s", &["left leg", "right leg"]),
    ("Calf", "30s-40s", &["left foot", "right foot"]),
];

/// How-to facts for each of the five stretches, from article 003.
const FIVE_HOW: [&[&str]; 5] = [
    &[
        "stand",
        "heel",
        "glutes",
        "front of the thigh",
        "hips forward",
    ],
    &[
        "lunge",
        "front knee",
        "back straight",
        "tuck",
        "hips forward",
        "back leg",
    ],
    &["crossed", "behind the other", "lean", "outside"],
    &[
        "sit",
        "one leg straight",
        "tucked in",
        "back straight",
        "toes",
    ],
    &[
        "wall",
        "tree",
        "arms",
        "step one leg back",
        "bend the front knee",
        "heels down",
        "calf",
    ],
];

fn assert_five_stretches(p: &Protocol, holds: &[(String, String, Option<Vec<String>>, String)]) {
    for (i, ((name, time, sides), how_facts)) in FIVE_STRETCHES.iter().zip(FIVE_HOW).enumerate() {
        let (got_name, got_time, got_sides, how) = &holds
            .get(i)
            .unwrap_or_else(|| panic!("{}: stretch has no hold #{}", p.file, i + 1));
        assert_eq!(got_name, name, "{}: stretch hold #{} name", p.file, i + 1);
        assert_eq!(got_time, time, "{}: stretch hold `{name}` time", p.file);
        let want_sides: Vec<String> = sides.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            got_sides.as_ref(),
            Some(&want_sides),
            "{}: stretch hold `{name}` sides",
            p.file
        );
        let how = how.to_lowercase();
        let missing: Vec<&str> = how_facts
            .iter()
            .copied()
            .filter(|f| !how.contains(f))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: stretch hold `{name}` how-to is missing {missing:?}: {how:?}",
            p.file
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Both files: shape and hygiene
// ---------------------------------------------------------------------------------------------

#[test]
fn optimal_recovery_has_the_nine_steps_in_order() {
    let p = optimal();
    assert_eq!(
        p.ids(),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath",
            "meal",
            "nap",
            "epsom-bath",
            "roll",
            "sleep"
        ],
        "{}: step ids or their order",
        p.file
    );
    assert_eq!(p.steps().len(), 9, "{}: step count", p.file);
    assert_eq!(
        p.table.get("name").and_then(Value::as_str),
        Some("Optimal recovery")
    );
    assert!(
        p.table
            .get("summary")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn soothe_sore_muscles_has_the_six_steps_in_order() {
    let p = soothe();
    assert_eq!(
        p.ids(),
        [
            "stretch",
            "foam-roll",
            "muscle-cream",
            "epsom-bath",
            "massage",
            "rest"
        ],
        "{}: step ids or their order",
        p.file
    );
    assert_eq!(p.steps().len(), 6, "{}: step count", p.file);
    assert_eq!(
        p.table.get("name").and_then(Value::as_str),
        Some("Soothe sore muscles")
    );
    assert!(
        p.table
            .get("summary")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    );
}

/// The format rules of docs/protocol.md that can be checked without the library.
fn assert_follows_the_format(p: &Protocol) {
    const TOP: &[&str] = &["name", "summary", "hot_above", "steps"];
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
    const TIMER: &[&str] = &["length", "target", "cues", "hard_max"];
    const CUE: &[&str] = &["at", "say"];
    const HOLD: &[&str] = &["name", "time", "sides", "how"];
    const WINDOW: &[&str] = &["within", "from", "to", "before_bed"];
    let unknown = |t: &Table, known: &[&str], what: &str| {
        for k in t.keys() {
            assert!(
                known.contains(&k.as_str()),
                "{}: unknown key `{k}` in {what}",
                p.file
            );
        }
    };
    unknown(&p.table, TOP, "the top level");
    for step in p.steps() {
        let id = step.get("id").and_then(Value::as_str).unwrap_or("<no id>");
        unknown(step, STEP, &format!("step `{id}`"));
        assert!(
            !id.is_empty()
                && !id.starts_with('-')
                && !id.ends_with('-')
                && !id.contains("--")
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: id `{id}` is not kebab-case",
            p.file
        );
        for key in ["title", "do"] {
            assert!(
                step.get(key)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty()),
                "{}: step `{id}` needs a non-empty `{key}`",
                p.file
            );
        }
        let timer = step.get("timer").and_then(Value::as_table);
        let holds = step.get("holds").and_then(Value::as_array);
        assert!(
            !(timer.is_some() && holds.is_some()),
            "{}: step `{id}` has both a timer and holds",
            p.file
        );
        if timer.is_some() || holds.is_some() {
            assert!(
                step.get("estimate").is_none(),
                "{}: step `{id}` has an estimate next to a timer or holds",
                p.file
            );
        } else if let Some(e) = step.get("estimate").and_then(Value::as_str) {
            range(e);
        }
        if step.get("gap").is_some() {
            assert!(
                holds.is_some(),
                "{}: step `{id}` has a gap but no holds",
                p.file
            );
        }
        if step.get("drop_order").is_some() {
            assert!(
                p.optional(id),
                "{}: step `{id}` has drop_order but is not optional",
                p.file
            );
            assert!(
                p.drop_order(id).is_some_and(|d| d >= 1),
                "{}: `{id}` drop_order",
                p.file
            );
        }
        if p.optional(id) {
            assert!(
                p.drop_order(id).is_some(),
                "{}: optional step `{id}` has no drop_order",
                p.file
            );
        }
        if let Some(d) = step.get("daily_limit") {
            assert!(
                d.as_integer().is_some_and(|d| d >= 1),
                "{}: `{id}` daily_limit",
                p.file
            );
        }
        if let Some(w) = step.get("window").and_then(Value::as_table) {
            unknown(w, WINDOW, &format!("the window of `{id}`"));
            let has_within = w.contains_key("within");
            let has_from_to = w.contains_key("from") && w.contains_key("to");
            assert!(
                has_within != has_from_to,
                "{}: window of `{id}` needs `within` or `from` + `to`",
                p.file
            );
            if let Some(within) = w.get("within").and_then(Value::as_str) {
                range(within);
            }
            if has_from_to {
                let from = secs(w["from"].as_str().unwrap_or("?"));
                let to = secs(w["to"].as_str().unwrap_or("?"));
                let before_bed = w
                    .get("before_bed")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                // Before bed, "from 90m to 60m" counts down toward bedtime.
                let ok = if before_bed { from >= to } else { from <= to };
                assert!(ok, "{}: window of `{id}` ends before it starts", p.file);
            }
        }
        if let Some(t) = timer {
            unknown(t, TIMER, &format!("the timer of `{id}`"));
            let length = t.get("length").and_then(Value::as_str);
            let (lo, hi) =
                range(length.unwrap_or_else(|| panic!("{}: `{id}` timer length", p.file)));
            assert!(lo <= hi, "{}: `{id}` timer range is upside down", p.file);
            let top = t.get("target").and_then(Value::as_str).map_or(hi, secs);
            for cue in t
                .get("cues")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let cue = cue
                    .as_table()
                    .unwrap_or_else(|| panic!("{}: `{id}` cue", p.file));
                unknown(cue, CUE, &format!("a cue of `{id}`"));
                let at = secs(cue.get("at").and_then(Value::as_str).unwrap_or("?"));
                assert!(
                    at <= top,
                    "{}: a cue of `{id}` is past the timer's top",
                    p.file
                );
            }
        }
        for hold in holds.into_iter().flatten() {
            let hold = hold
                .as_table()
                .unwrap_or_else(|| panic!("{}: `{id}` hold", p.file));
            unknown(hold, HOLD, &format!("a hold of `{id}`"));
            let (lo, hi) = range(hold.get("time").and_then(Value::as_str).unwrap_or("?"));
            assert!(
                lo <= hi,
                "{}: a hold of `{id}` has an upside-down range",
                p.file
            );
        }
    }
}

#[test]
fn both_files_follow_the_protocol_format() {
    assert_follows_the_format(&optimal());
    assert_follows_the_format(&soothe());
}

#[test]
fn both_files_use_plain_ascii_text_and_no_brand_names() {
    for p in [optimal(), soothe()] {
        let mut text = String::new();
        collect_text(&Value::Table(p.table.clone()), &mut text);
        for (i, c) in text.chars().enumerate() {
            assert!(
                c == '\n' || (' '..='~').contains(&c),
                "{}: character {c:?} at text offset {i} is not plain printable ASCII",
                p.file
            );
        }
        for (n, line) in p.source.lines().enumerate() {
            assert!(!line.contains('\t'), "{}: line {} has a tab", p.file, n + 1);
            assert!(
                !line.contains('\\'),
                "{}: line {} has an escape",
                p.file,
                n + 1
            );
        }
        for brand in [
            "Amped",
            "IsaLean",
            "Kalaya",
            "GRID",
            "Trigger Point",
            "Goodness Me",
        ] {
            assert!(
                !p.source.contains(brand),
                "{}: mentions the brand name {brand:?}",
                p.file
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Optimal recovery, step by step
// ---------------------------------------------------------------------------------------------

#[test]
fn optimal_hydrate_facts() {
    let p = optimal();
    p.assert_facts(
        "hydrate",
        &[
            "500 ml",
            "electrolyte",
            "heat",
            "humid",
            "10-15 min",
            "small glass",
            "fresh orange juice",
        ],
    );
    p.assert_window("hydrate", r#"within = "10m-15m""#);
    p.assert_estimate("hydrate", "5m");
    p.assert_optional("hydrate", false);
}

#[test]
fn optimal_stretch_facts() {
    let p = optimal();
    p.assert_facts(
        "stretch",
        &[
            "10-15 minutes",
            "quads",
            "hamstrings",
            "calves",
            "hips",
            "sore",
            "25-30 min",
        ],
    );
    p.assert_tip_facts("stretch", &["foam roll"]);
    p.assert_window("stretch", r#"within = "25m-30m""#);
    p.assert_optional("stretch", false);
    assert_eq!(
        p.str_key("stretch", "gap"),
        Some("5s"),
        "{}: stretch gap",
        p.file
    );
    assert!(
        p.step("stretch").get("timer").is_none(),
        "stretch is holds, not a timer"
    );

    let holds = p.holds("stretch");
    assert_eq!(
        holds.len(),
        6,
        "{}: stretch should have five stretches + sore spots",
        p.file
    );
    assert_five_stretches(&p, &holds);
    let (name, time, sides, how) = &holds[5];
    assert_eq!(name, "Sore spots", "{}: last stretch hold name", p.file);
    assert_eq!(time, "6m-8m", "{}: `Sore spots` time", p.file);
    assert_eq!(sides, &None, "{}: `Sore spots` has no sides", p.file);
    assert!(
        how.to_lowercase().contains("sore or tight"),
        "{}: `Sore spots` how",
        p.file
    );
}

#[test]
fn optimal_stretch_takes_ten_to_fifteen_minutes() {
    let p = optimal();
    let gap = secs(p.str_key("stretch", "gap").unwrap_or("5s"));
    let (mut lo, mut hi) = (0, 0);
    for (_, time, sides, _) in p.holds("stretch") {
        let n = sides.map_or(1, |s| s.len() as u64);
        let (a, b) = range(&time);
        lo += n * (a + gap);
        hi += n * (b + gap);
    }
    // Article 000: the stretch routine should last 10-15 minutes. Holds may end at their
    // minimum, so the short end may dip a few seconds under ten minutes.
    assert!(
        (540..=900).contains(&lo),
        "stretch minimum is {lo}s, not about 10 minutes"
    );
    assert!(
        (600..=900).contains(&hi),
        "stretch at the top of its ranges is {hi}s, not 10-15 min"
    );
}

#[test]
fn optimal_snack_facts() {
    let p = optimal();
    p.assert_facts(
        "snack",
        &[
            "4:1",
            "carbohydrates",
            "protein",
            "chocolate milk",
            "protein shake",
            "yogurt",
            "berries",
            "granola",
            "bagel",
            "peanut butter",
            "orange juice",
            "25-30 min",
        ],
    );
    p.assert_tip_facts("snack", &["glucose tablets"]);
    p.assert_window("snack", r#"within = "25m-30m""#);
    p.assert_estimate("snack", "5m");
    p.assert_optional("snack", false);
}

#[test]
fn optimal_ice_bath_facts() {
    let p = optimal();
    p.assert_facts(
        "ice-bath",
        &[
            "12-15 c",
            "thermometer",
            "ice cube",
            "3-5 min",
            "melt",
            "lower body",
            "hips",
            "first 3 min",
            "hardest",
            "10-15 min",
            "drain",
            "shower",
            "in your legs for a few hours",
        ],
    );
    p.assert_optional("ice-bath", true);
    p.assert_timer_length("ice-bath", "10m-15m");
    let cues = p
        .timer("ice-bath")
        .get("cues")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{}: ice-bath timer has no cues", p.file));
    let at_3m = cues
        .iter()
        .filter_map(Value::as_table)
        .find(|c| c.get("at").and_then(Value::as_str) == Some("3m"))
        .unwrap_or_else(|| panic!("{}: ice-bath timer has no cue at 3m", p.file));
    let say = at_3m
        .get("say")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    assert!(
        say.contains("hardest"),
        "{}: the 3m cue should say the hardest part is over: {say:?}",
        p.file
    );
    assert!(
        p.step("ice-bath").get("estimate").is_none(),
        "ice-bath has a timer, no estimate"
    );
    assert_eq!(
        p.timer("ice-bath").get("hard_max").and_then(Value::as_bool),
        Some(true),
        "{}: 15 minutes in cold water is a limit, not only a target",
        p.file
    );
}

#[test]
fn optimal_meal_facts() {
    let p = optimal();
    p.assert_facts(
        "meal",
        &[
            "carbohydrates",
            "protein",
            "fat",
            "1-2 hours",
            "breakfast",
            "eggs",
            "vegetables",
            "wholewheat toast",
            "oatmeal with fruit",
            "pancakes",
            "fruit on top",
            "lunch or dinner",
            "salad",
            "sandwich",
            "pasta",
            "leftovers",
        ],
    );
    p.assert_window(
        "meal",
        r#"from = "1h"
to = "2h""#,
    );
    p.assert_estimate("meal", "30m");
    // Refuelling is a priority after every run (article 000); the meal completes it.
    p.assert_optional("meal", false);
}

#[test]
fn optimal_nap_facts() {
    let p = optimal();
    p.assert_facts("nap", &["feet up", "nap", "massage", "luxury"]);
    p.assert_optional("nap", true);
    p.assert_estimate("nap", "30m");
}

#[test]
fn optimal_epsom_bath_facts() {
    let p = optimal();
    p.assert_facts(
        "epsom-bath",
        &[
            "warm",
            "hot",
            "60-90 minutes before bed",
            "4 cups of epsom salt",
            "1 cup of baking soda",
            "10-15 minutes",
            "dry off",
            "roll",
            "stretch gently",
            "sleep",
        ],
    );
    p.assert_optional("epsom-bath", true);
    p.assert_timer_length("epsom-bath", "10m-15m");
    p.assert_window(
        "epsom-bath",
        r#"from = "90m"
to = "60m"
before_bed = true"#,
    );
}

#[test]
fn optimal_roll_facts() {
    let p = optimal();
    p.assert_facts("roll", &["foam roller", "gentle stretch"]);
    p.assert_optional("roll", true);
    p.assert_estimate("roll", "10m");
    p.assert_window(
        "roll",
        r#"from = "60m"
to = "0m"
before_bed = true"#,
    );
}

#[test]
fn optimal_sleep_facts() {
    let p = optimal();
    p.assert_facts("sleep", &["plenty of sleep"]);
    p.assert_optional("sleep", false);
    p.assert_window(
        "sleep",
        r#"from = "0m"
to = "0m"
before_bed = true"#,
    );
    // A night's sleep is not budgeted time; see the comment in the file.
    assert!(
        p.step("sleep").get("estimate").is_none(),
        "sleep should carry no estimate"
    );
}

#[test]
fn optimal_priorities_and_drop_order() {
    let p = optimal();
    for id in ["hydrate", "stretch", "snack", "meal", "sleep"] {
        p.assert_optional(id, false);
        assert!(
            p.drop_order(id).is_none(),
            "{}: required `{id}` has a drop_order",
            p.file
        );
    }
    for id in ["ice-bath", "nap", "epsom-bath", "roll"] {
        p.assert_optional(id, true);
    }
    let order = |id| {
        p.drop_order(id)
            .unwrap_or_else(|| panic!("{}: optional `{id}` has no drop_order", p.file))
    };
    // The luxury goes first, the bedtime roll next, then the Epsom bath; the ice bath last.
    assert!(order("nap") < order("roll"), "nap should drop before roll");
    assert!(
        order("roll") < order("epsom-bath"),
        "roll should drop before the Epsom bath"
    );
    assert!(
        order("epsom-bath") < order("ice-bath"),
        "Epsom bath should drop before ice bath"
    );
}

#[test]
fn optimal_file_explains_its_choices_in_comments() {
    let p = optimal();
    let comments: String = p
        .source
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    for fact in ["priority", "treat", "luxury", "drop order", "our reading"] {
        assert!(
            comments.contains(fact),
            "{}: comments never mention {fact:?}",
            p.file
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Soothe sore muscles, step by step
// ---------------------------------------------------------------------------------------------

#[test]
fn soothe_stretch_facts() {
    let p = soothe();
    p.assert_facts(
        "stretch",
        &["injury", "bit longer", "quads", "hamstrings", "it band"],
    );
    p.assert_optional("stretch", false);
    assert_eq!(
        p.str_key("stretch", "gap"),
        Some("5s"),
        "{}: stretch gap",
        p.file
    );
    let holds = p.holds("stretch");
    assert_eq!(
        holds.len(),
        5,
        "{}: stretch should have exactly the five stretches",
        p.file
    );
    assert_five_stretches(&p, &holds);
}

#[test]
fn soothe_foam_roll_facts() {
    let p = soothe();
    p.assert_facts(
        "foam-roll",
        &[
            "legs",
            "calves",
            "back",
            "shoulders",
            "arms",
            "tender",
            "tightness",
        ],
    );
    p.assert_optional("foam-roll", true);
    p.assert_estimate("foam-roll", "5m-10m");
}

#[test]
fn soothe_muscle_cream_facts() {
    let p = soothe();
    p.assert_facts(
        "muscle-cream",
        &[
            "3-4 times a day",
            "broken skin",
            "rinse with water for 15 minutes",
            "7 days",
            "gets worse",
            "doctor",
        ],
    );
    assert_eq!(
        p.step("muscle-cream")
            .get("daily_limit")
            .and_then(Value::as_integer),
        Some(4),
        "{}: muscle-cream daily_limit",
        p.file
    );
    p.assert_optional("muscle-cream", true);
}

#[test]
fn soothe_epsom_bath_facts() {
    let p = soothe();
    p.assert_facts(
        "epsom-bath",
        &["2 cups of epsom salt", "warm bath", "20-30 minutes"],
    );
    p.assert_tip_facts("epsom-bath", &["lavender oil"]);
    p.assert_timer_length("epsom-bath", "20m-30m");
    p.assert_optional("epsom-bath", true);
}

#[test]
fn soothe_massage_facts() {
    let p = soothe();
    p.assert_facts(
        "massage",
        &[
            "relaxation",
            "spa",
            "may not be certified",
            "therapeutic",
            "sports massage",
            "clinic",
            "registered massage therapist",
            "more intense",
            "hurt",
            "certified therapist",
        ],
    );
    p.assert_optional("massage", true);
}

#[test]
fn soothe_rest_facts() {
    let p = soothe();
    p.assert_facts("rest", &["couple of days off", "listen to your body"]);
    p.assert_optional("rest", false);
}

#[test]
fn soothe_windows_and_drop_order() {
    let p = soothe();
    // Article 003 gives no clock times, so no step has a window.
    for id in p.ids() {
        p.assert_no_window(id);
    }
    let order = |id| {
        p.drop_order(id)
            .unwrap_or_else(|| panic!("{}: optional `{id}` has no drop_order", p.file))
    };
    assert!(
        order("massage") < order("epsom-bath"),
        "massage should drop before the bath"
    );
    assert!(
        order("epsom-bath") < order("muscle-cream"),
        "bath should drop before the cream"
    );
    assert!(
        order("muscle-cream") < order("foam-roll"),
        "cream should drop before the roller"
    );
}
