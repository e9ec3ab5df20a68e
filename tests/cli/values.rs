//! Issue 17, part 3: what was actually done. A step asks for a value as it ends; one outside
//! the routine's range is called out at once; values are events in the log, and history shows
//! them in text, JSON and CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use crate::home::Home;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn a_value_out_of_range_is_called_out_logged_and_shown_in_history() {
    let home = Home::new();
    let bed = crate::home::bedtime_far();
    let out = stdout(
        home.postrun()
            .args(["--plain", "--finished", "5m", "--bedtime", &bed])
            .write_stdin("\n300\nq\n"),
    );
    assert!(
        out.contains("Millilitres drunk, in ml (500-1000)? A number and Enter, or carry on.\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Hydrate: millilitres drunk 300 ml noted. 300 ml is less than the 500-1000 ml the routine asks for.\n"
        ),
        "{out}"
    );
    let log = fs::read_to_string(&home.logs()[0]).unwrap();
    let line = log.lines().find(|l| l.contains("\"value\"")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["v"], 3, "a line of format 3: {line}");
    assert_eq!(v["event"]["type"], "value");
    assert_eq!(v["event"]["step"], 0);
    assert_eq!(v["event"]["value"], "300");

    // Closed into history: the value beside the session, in text, JSON and CSV.
    home.postrun()
        .args(["--new", "--finished", "1m", "--plain"])
        .write_stdin("q\n")
        .assert()
        .success();
    let history = stdout(home.postrun().arg("history"));
    let first = history.lines().next().unwrap();
    assert!(first.ends_with("  values hydrate 300 ml"), "{history}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(home.postrun().args(["history", "--json"]))).unwrap();
    assert_eq!(
        json[0]["values"],
        serde_json::json!([{
            "step": "hydrate",
            "what": "millilitres drunk",
            "value": "300",
            "unit": "ml"
        }])
    );
    let csv = stdout(home.postrun().args(["history", "--csv"]));
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == "values").unwrap();
    let cells: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert!(
        cells.iter().any(|r| r.get(at) == Some(&"hydrate=300 ml")),
        "{csv}"
    );
}
