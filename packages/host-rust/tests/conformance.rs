//! Runs every scenario file of packages/spec/conformance against host-rust (in process), with the
//! C and Rust examples, and writes the results to <spec>/conformance/.test-results/host-rust.json for
//! the merged table (scripts/conformance-table.mjs). The same files run on host-node
//! (packages/host-node/test/conformance/scenarios.test.ts).

mod support;

use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::runner::run_scenario;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec")
        .join("conformance")
}

#[test]
fn every_conformance_scenario_passes_in_process_with_the_c_and_rust_examples() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("conformance-plugins");
    let mut roots: HashMap<&str, PathBuf> = HashMap::new();
    roots.insert(
        "c",
        support::plugins::build_c(&out).expect("build the C examples"),
    );
    roots.insert(
        "rust",
        support::plugins::build_rust(&out).expect("build the Rust examples"),
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no scenario files in {}",
        scenario_dir().display()
    );
    let mut results = Vec::new();
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for file in &files {
        let scenario: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for lang in scenario["languages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let started = Instant::now();
            let r = run_scenario(&scenario, lang, &roots, &mut seen);
            let name = scenario["name"].as_str().unwrap_or("?");
            println!(
                "{} {name} ({lang}, host-rust in-process){}",
                if r.is_ok() { "ok  " } else { "FAIL" },
                r.as_ref()
                    .err()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            );
            if let Err(e) = &r {
                failures.push(format!("{name} ({lang}): {e}"));
            }
            let ms = started.elapsed().as_millis() as u64;
            let (ok, error, frames) = match r {
                Ok(frames) => (true, None, frames),
                Err(e) => (false, Some(e), Map::new()),
            };
            results.push(json!({
                "scenario": name, "lang": lang, "host": "host-rust", "mode": "in-process",
                "ok": ok, "error": error, "ms": ms, "frames": frames,
            }));
        }
    }
    let dir = std::env::var_os("PI_CONFORMANCE_RESULTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| scenario_dir().join(".test-results"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("host-rust.json"),
        serde_json::to_string_pretty(&results).unwrap() + "\n",
    )
    .unwrap();
    let lines: Vec<String> = seen.iter().map(Value::to_string).collect();
    std::fs::write(dir.join("host-rust-events.jsonl"), lines.join("\n") + "\n").unwrap();
    assert!(
        failures.is_empty(),
        "{} scenario run(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matcher_follows_the_spec_rules_like_the_typescript_one() {
    use support::matcher::{match_pattern, substitute};
    let m = |p: Value, v: Value| match_pattern(&p, Some(&v), "");
    assert_eq!(m(json!({ "a": 1 }), json!({ "a": 1, "b": 2 })), None);
    assert_eq!(
        m(
            json!({ "a": { "b": true } }),
            json!({ "a": { "b": false } })
        )
        .as_deref(),
        Some("/a/b: expected true, got false")
    );
    assert!(
        m(json!([1, 2]), json!([1, 2, 3]))
            .unwrap()
            .contains("expected 2 items")
    );
    assert_eq!(
        m(json!({ "a": null }), json!({})).as_deref(),
        Some("/a: expected null, got undefined")
    );
    assert_eq!(m(json!({ "$contains": "ell" }), json!("hello")), None);
    assert_eq!(m(json!({ "$startsWith": "he" }), json!("hello")), None);
    assert!(
        m(json!({ "$endsWith": "lo" }), json!("help"))
            .unwrap()
            .contains("$endsWith")
    );
    assert_eq!(m(json!({ "$oneOf": ["a", "b"] }), json!("b")), None);
    assert!(
        m(json!({ "$oneOf": ["a", "b"] }), json!("c"))
            .unwrap()
            .contains("matches none")
    );
    assert_eq!(
        m(
            json!({ "$allOf": [{ "$startsWith": "x" }, { "$endsWith": "z" }] }),
            json!("xyz")
        ),
        None
    );
    assert_eq!(m(json!({ "a": { "$any": true } }), json!({ "a": 0 })), None);
    assert!(
        m(json!({ "a": { "$any": true } }), json!({}))
            .unwrap()
            .contains("expected a value")
    );
    assert_eq!(m(json!(1), json!(1.0)), None, "numbers compare by value");
    let placeholder = ["$", "{id:echo}"].concat();
    assert_eq!(
        substitute(
            &json!(format!("call {placeholder} hi")),
            &|e: &str| format!("rust-{e}")
        ),
        json!("call rust-echo hi")
    );
}
