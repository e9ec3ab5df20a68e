//! Micro-benchmarks (`cargo bench -p postrun-micro`): parsing protocols, drawing a frame,
//! replaying a session log, summarising a long history. `bench/run` reads the medians and checks
//! the targets in BENCHMARKS.md. A package of its own, so `cargo test` never builds criterion.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use postrun::core::clock::Zone;
use postrun::core::guide::{Guide, Intent};
use postrun::core::protocol::{BUILTINS, DEFAULT, builtin, parse};
use postrun::core::session::{Event, Session, Timestamp};
use postrun::front::tui::view;
use postrun::store::begin;
use postrun::store::{Body, Opening, Record, Store, VERSION, replay_bytes};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap()
}

/// A protocol of `n` steps: ticks, timers with cues, and two-sided holds, in turn.
fn long_protocol(n: usize) -> String {
    let mut s = String::from("name = \"Long\"\nsummary = \"Many steps.\"\n");
    for i in 0..n {
        s.push_str(&format!(
            "\n[[steps]]\nid = \"step-{i}\"\ntitle = \"Step {i}\"\ndo = \"Do thing {i}.\"\n"
        ));
        match i % 3 {
            0 => s.push_str("estimate = \"5m\"\nwindow = { within = \"10m-15m\" }\n"),
            1 => s.push_str(
                "optional = true\n[steps.timer]\nlength = \"10m-15m\"\ncues = [{ at = \"3m\", say = \"Halfway.\" }]\n",
            ),
            _ => s.push_str(
                "gap = \"5s\"\n[[steps.holds]]\nname = \"Calf\"\ntime = \"20s-30s\"\nsides = [\"left\", \"right\"]\n",
            ),
        }
    }
    s
}

fn protocol(c: &mut Criterion) {
    let mut g = c.benchmark_group("protocol");
    g.bench_function("parse the built-ins", |b| {
        b.iter(|| {
            for p in BUILTINS {
                black_box(p.parse().unwrap());
            }
        })
    });
    let long = long_protocol(1000);
    assert_eq!(parse("long.toml", "long", &long).unwrap().steps.len(), 1000);
    g.bench_function("parse 1,000 steps", |b| {
        b.iter(|| black_box(parse("long.toml", "long", black_box(&long)).unwrap()))
    });
    g.finish();
}

fn opening() -> Opening {
    let b = builtin(DEFAULT).unwrap();
    Opening {
        protocol: b.parse().unwrap(),
        origin: "built-in:optimal-recovery".into(),
        source: b.source.into(),
        finished_at: t0(),
        bedtime: t0() + TimeDelta::minutes(12 * 60 + 30),
        bedtime_is_default: false,
        dropped: Vec::new(),
        too_late: Vec::new(),
        budget_s: None,
        late: false,
        run: None,
    }
}

fn render(c: &mut Criterion) {
    let mut ui = Guide::new(
        begin(&opening()),
        Zone::Fixed(FixedOffset::east_opt(0).unwrap()),
    );
    let at = |s| t0() + TimeDelta::seconds(s);
    // Hydrate done, the stretch's holds running: the busiest screen.
    for change in [Intent::Go, Intent::Go] {
        let change = ui.handle(change, at(600));
        let _ = ui.commit(change);
    }
    let change = ui.wake(at(617));
    let _ = ui.commit(change);
    let mut g = c.benchmark_group("render");
    for (w, h) in [(80, 24), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut s = 617;
        g.bench_function(format!("one frame {w}x{h}"), |b| {
            b.iter(|| {
                // A new second each frame, as the countdown draws it.
                s += 1;
                terminal
                    .draw(|f| view::render(f, &ui, view::Theme::new(true), at(s % 20 + 617)))
                    .unwrap();
            })
        });
    }
    g.finish();
}

/// A log of an opening and `n` events the session accepts, one a second.
fn long_log(n: usize) -> Vec<u8> {
    let opening = opening();
    let mut session = Session::new(opening.protocol.clone(), t0(), opening.bedtime);
    let mut out = Vec::new();
    let mut line = |seq: u64, at: Timestamp, body: Body| {
        let record = Record {
            v: VERSION,
            seq,
            at,
            body,
        };
        out.extend(serde_json::to_vec(&record).unwrap());
        out.push(b'\n');
    };
    line(0, t0(), Body::Open(Box::new(opening)));
    let cycle = [
        Event::Select { step: 3 },
        Event::Start,
        Event::Pause,
        Event::Resume,
        Event::Extend,
        Event::Shorten,
        Event::Pause,
        Event::Select { step: 0 },
        Event::Complete,
        Event::Undo,
    ];
    let (mut seq, mut i) = (1u64, 0usize);
    while (seq as usize) <= n {
        let at = t0() + TimeDelta::seconds(i as i64);
        let event = cycle[i % cycle.len()].clone();
        i += 1;
        if session.apply(event.clone(), at).is_ok() {
            line(seq, at, Body::Event(event));
            seq += 1;
        }
        assert!(i < 10 * n, "the cycle stopped applying");
    }
    out
}

fn store(c: &mut Criterion) {
    let log = long_log(10_000);
    let path = Path::new("bench.jsonl");
    let replayed = replay_bytes(path, &log).unwrap();
    assert_eq!(replayed.events.len(), 10_000);
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    let mut g = c.benchmark_group("store");
    g.bench_function("replay 10,000 events", |b| {
        b.iter(|| black_box(replay_bytes(path, black_box(&log)).unwrap()))
    });
    g.finish();
}

/// A data folder with `n` small finished sessions, one a day: a runner's 27 years.
fn long_history(data: &Path, n: usize) {
    let dir = Store::new(data).dir().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let template = opening();
    for i in 0..n {
        let start = t0() - TimeDelta::days(i as i64 + 2);
        let mut opening = template.clone();
        opening.finished_at = start;
        opening.bedtime = start + TimeDelta::hours(12);
        let mut out = Vec::new();
        let mut line = |seq: u64, at: Timestamp, body: Body| {
            let record = Record {
                v: VERSION,
                seq,
                at,
                body,
            };
            out.extend(serde_json::to_vec(&record).unwrap());
            out.push(b'\n');
        };
        line(0, start, Body::Open(Box::new(opening)));
        line(
            1,
            start + TimeDelta::minutes(5),
            Body::Event(Event::Complete),
        );
        line(
            2,
            start + TimeDelta::minutes(6),
            Body::Event(Event::Skip { confirmed: true }),
        );
        line(3, start + TimeDelta::minutes(7), Body::Close);
        let name = start.format("%Y%m%dT%H%M%S%.3fZ.jsonl").to_string();
        std::fs::write(dir.join(name), out).unwrap();
    }
}

fn history(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    long_history(dir.path(), 10_000);
    let store = Store::new(dir.path());
    let now = t0();
    let (text, warnings) = postrun::cli::history::summarise(&store, now).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(text.contains("10000 sessions"), "{text}");
    let mut g = c.benchmark_group("history");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("summarise 10,000 sessions", |b| {
        b.iter(|| black_box(postrun::cli::history::summarise(&store, now).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, protocol, render, store, history);
criterion_main!(benches);
