//! The scenario runner of host-rust: drives a `PluginHost` through one scenario file's steps and
//! checks its expectations with the spec's matching rules (see packages/spec/src/schemas/conformance.ts).

use super::matcher::{match_pattern, substitute};
use plugin_interfaces_host::{Delivered, HostOptions, PluginHost, UiEvent};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A host under test plus every event it emitted, as JSON. Events are taken from the
/// subscription whenever the runner looks at them (and dropped at once, which gives stream credit
/// back): everything a finished call emitted is there, and a producer outruns the runner by at
/// most the credit window.
struct Target {
    host: PluginHost,
    rx: Receiver<Delivered>,
    events: Mutex<Vec<Value>>,
    alias: HashMap<String, String>,
    wait: Duration,
    quiet: Duration,
}

type Step = Map<String, Value>;

fn s<'a>(step: &'a Step, key: &str) -> &'a str {
    step.get(key).and_then(Value::as_str).unwrap_or("")
}

impl Target {
    fn id(&self, alias: &str) -> Result<String, String> {
        self.alias
            .get(alias)
            .cloned()
            .ok_or_else(|| format!("alias {alias} is not loaded"))
    }

    fn info(&self, alias: &str) -> Result<Value, String> {
        let info = self
            .host
            .instance(&self.id(alias)?)
            .map_err(|e| e.to_string())?;
        Ok(serde_json::to_value(info).unwrap())
    }

    fn events_of(
        &self,
        name: &str,
        alias: Option<&str>,
        filter: Option<&Value>,
    ) -> Result<Vec<Value>, String> {
        let id = alias.map(|a| self.id(a)).transpose()?;
        let mut events = self.events.lock().unwrap();
        while let Ok(d) = self.rx.try_recv() {
            events.push(d.event.to_json());
        }
        Ok(events
            .iter()
            .filter(|e| e["event"] == name)
            .map(|e| e["payload"].clone())
            .filter(|p| id.as_ref().is_none_or(|id| p["instance_id"] == id.as_str()))
            .filter(|p| filter.is_none_or(|f| match_pattern(f, Some(p), "").is_none()))
            .collect())
    }

    /// Poll `check` until it holds (None) or the wait tolerance passes.
    fn until(
        &self,
        mut check: impl FnMut(&Self) -> Result<Option<String>, String>,
    ) -> Result<(), String> {
        let end = Instant::now() + self.wait;
        loop {
            match check(self)? {
                None => return Ok(()),
                Some(why) if Instant::now() > end => {
                    return Err(format!("after {} ms: {why}", self.wait.as_millis()));
                }
                Some(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }
}

fn nodes(tree: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for n in tree.as_array().into_iter().flatten() {
        out.push(n.clone());
        if let Some(children) = n.get("children") {
            out.extend(nodes(children));
        }
    }
    out
}

fn texts(tree: &Value) -> Vec<Value> {
    nodes(tree)
        .into_iter()
        .filter(|n| n["type"] == "label" || n["type"] == "heading")
        .map(|n| n["text"].clone())
        .collect()
}

fn widget(tree: &Value, r: &Value) -> Option<Value> {
    nodes(tree).into_iter().find(|n| match r.get("id") {
        Some(id) => &n["id"] == id,
        None => n.get("text").is_some() && n["text"] == r["text"],
    })
}

/// Check an action's outcome against the step's `expect`.
fn outcome(
    step: &Step,
    result: Result<Value, plugin_interfaces_host::HostError>,
) -> Result<(), String> {
    let expect = step.get("expect");
    match (expect.and_then(|e| e.get("error")), result) {
        (Some(want), Err(e)) => {
            if e.code != s(want.as_object().unwrap(), "code") {
                return Err(format!(
                    "expected {}, got {}: {}",
                    want["code"], e.code, e.message
                ));
            }
            if let Some(part) = want.get("messageContains").and_then(Value::as_str) {
                if !e.message.contains(part) {
                    return Err(format!("error message {:?} lacks {part:?}", e.message));
                }
            }
            if let Some(status) = want.get("status").and_then(Value::as_str) {
                if e.status() != Some(status) {
                    return Err(format!("expected status {status}, got {:?}", e.detail));
                }
            }
            Ok(())
        }
        (Some(want), Ok(v)) => Err(format!("expected error {}, got {v}", want["code"])),
        (None, Err(e)) => Err(e.to_string()),
        (None, Ok(v)) => match expect.and_then(|e| e.get("reply")) {
            Some(p) => match_pattern(p, v.get("reply"), "")
                .map_or(Ok(()), |bad| Err(format!("reply: {bad}"))),
            None => Ok(()),
        },
    }
}

fn run_step(t: &mut Target, step: &Step, plugin_id: &dyn Fn(&str) -> String) -> Result<(), String> {
    let inst = || t.id(s(step, "instance"));
    let host = &t.host;
    let ok = |_| json!({});
    match s(step, "op") {
        "load" => {
            let settings = step.get("settings").and_then(Value::as_object).cloned();
            let r = host.load(
                &plugin_id(s(step, "plugin")),
                step.get("instanceId").and_then(Value::as_str),
                settings,
            );
            if let Ok(info) = &r {
                t.alias
                    .insert(s(step, "as").to_string(), info.instance_id.clone());
            }
            outcome(step, r.map(|i| serde_json::to_value(i).unwrap()))
        }
        "connect" => outcome(step, host.connect(&inst()?).map(ok)),
        "disconnect" => outcome(step, host.disconnect(&inst()?).map(ok)),
        "unload" => outcome(step, host.unload(&inst()?).map(ok)),
        "refresh" => outcome(step, host.refresh(&inst()?).map(ok)),
        "reload" => outcome(
            step,
            host.reload(&plugin_id(s(step, "plugin")))
                .map(|_| json!({})),
        ),
        "message" => outcome(
            step,
            host.handle_message(&inst()?, s(step, "text"))
                .map(|r| json!({ "reply": r.reply })),
        ),
        "set_settings" => outcome(
            step,
            host.set_settings(
                &inst()?,
                step["values"].as_object().cloned().unwrap_or_default(),
            )
            .map(ok),
        ),
        "stream_control" => {
            let info = t.info(s(step, "instance"))?;
            let idx = step["stream"].as_u64().unwrap_or(0) as usize;
            let sid = info["streams"][idx]["stream_id"]
                .as_str()
                .ok_or(format!("no stream #{idx}"))?
                .to_string();
            outcome(
                step,
                host.control_stream(&inst()?, &sid, s(step, "action"))
                    .map(ok),
            )
        }
        "ui_event" => {
            let info = t.info(s(step, "instance"))?;
            let r = &step["widget"];
            let found = widget(&info["tree"], r);
            let widget_id = match r.get("id") {
                Some(id) => id.as_str().unwrap_or("").to_string(),
                None => found
                    .as_ref()
                    .and_then(|w| w["id"].as_str())
                    .ok_or(format!("no widget {r}"))?
                    .to_string(),
            };
            let e = &step["event"];
            let event = match e["kind"].as_str().unwrap_or("") {
                "click" => UiEvent::Click { widget_id },
                "text" => UiEvent::Text {
                    widget_id,
                    value: e["value"].as_str().unwrap_or("").into(),
                },
                "toggle" => UiEvent::Toggle {
                    widget_id,
                    value: e["value"].as_bool().unwrap_or(false),
                },
                _ => {
                    let options = found
                        .as_ref()
                        .and_then(|w| w["options"].as_array().cloned())
                        .unwrap_or_default();
                    let value = options
                        .iter()
                        .position(|o| o == &e["option"])
                        .ok_or(format!("no option {} in {found:?}", e["option"]))?;
                    UiEvent::Select {
                        widget_id,
                        value: value as i32,
                    }
                }
            };
            outcome(step, host.dispatch_ui_event(&inst()?, event).map(ok))
        }
        "wait_for" => {
            let min = step.get("count").and_then(Value::as_u64).unwrap_or(1) as usize;
            t.until(|t| {
                let n = t
                    .events_of(
                        s(step, "event"),
                        step.get("instance").and_then(Value::as_str),
                        step.get("match"),
                    )?
                    .len();
                Ok((n < min).then(|| {
                    format!(
                        "{n} {} event(s) match {:?}",
                        s(step, "event"),
                        step.get("match")
                    )
                }))
            })
        }
        "expect_events" => {
            let got = t.events_of(
                s(step, "event"),
                step.get("instance").and_then(Value::as_str),
                step.get("where"),
            )?;
            let items = step["items"].as_array().cloned().unwrap_or_default();
            if s(step, "order") == "exact" {
                return match_pattern(&Value::Array(items), Some(&Value::Array(got)), "")
                    .map_or(Ok(()), |b| Err(format!("{}: {b}", s(step, "event"))));
            }
            let mut i = 0;
            for p in &got {
                if i < items.len() && match_pattern(&items[i], Some(p), "").is_none() {
                    i += 1;
                }
            }
            if i < items.len() {
                Err(format!(
                    "{}: item {i} {} not found in order",
                    s(step, "event"),
                    items[i]
                ))
            } else {
                Ok(())
            }
        }
        "expect_quiet" => {
            let count = |t: &Target| {
                t.events_of(
                    s(step, "event"),
                    step.get("instance").and_then(Value::as_str),
                    step.get("where"),
                )
                .map(|v| v.len())
            };
            let before = count(t)?;
            std::thread::sleep(t.quiet);
            let after = count(t)?;
            if after != before {
                Err(format!(
                    "{} new {} event(s) in {} ms",
                    after - before,
                    s(step, "event"),
                    t.quiet.as_millis()
                ))
            } else {
                Ok(())
            }
        }
        "expect_ui" => t.until(|t| {
            let info = t.info(s(step, "instance"))?;
            let shown = Value::Array(texts(&info["tree"]));
            if let Some(eq) = step.get("texts").and_then(|x| x.get("equals")) {
                if let Some(bad) = match_pattern(eq, Some(&shown), "") {
                    return Ok(Some(format!("texts {shown}: {bad}")));
                }
            }
            for want in step
                .get("texts")
                .and_then(|x| x.get("contains"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !shown.as_array().unwrap().contains(want) {
                    return Ok(Some(format!("texts {shown} lack {want}")));
                }
            }
            for w in step
                .get("widgets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(bad) =
                    match_pattern(&w["match"], widget(&info["tree"], &w["ref"]).as_ref(), "")
                {
                    return Ok(Some(format!("widget {}: {bad}", w["ref"])));
                }
            }
            if step.get("revisionIsLatestEvent") == Some(&Value::Bool(true)) {
                let last = t
                    .events_of("plugin-ui-updated", Some(s(step, "instance")), None)?
                    .last()
                    .map(|e| e["revision"].clone());
                if last.as_ref() != Some(&info["revision"]) {
                    return Ok(Some(format!(
                        "revision {}, last event {last:?}",
                        info["revision"]
                    )));
                }
            }
            Ok(None)
        }),
        "expect_history" => t.until(|t| {
            let info = t.info(s(step, "instance"))?;
            let history = &info["history"];
            if let Some(entries) = step.get("entries") {
                if let Some(bad) = match_pattern(entries, Some(history), "") {
                    return Ok(Some(format!("history: {bad}")));
                }
            }
            if let Some(n) = step.get("length").and_then(Value::as_u64) {
                let len = history.as_array().map_or(0, Vec::len) as u64;
                if len != n {
                    return Ok(Some(format!("history has {len} entries, expected {n}")));
                }
            }
            for p in step
                .get("includes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !history
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|h| match_pattern(p, Some(h), "").is_none())
                {
                    return Ok(Some(format!("no history entry {p}")));
                }
            }
            Ok(None)
        }),
        "expect_stream" => t.until(|t| {
            let info = t.info(s(step, "instance"))?;
            let idx = step["stream"].as_u64().unwrap_or(0) as usize;
            let Some(stream) = info["streams"].get(idx).cloned() else {
                return Ok(Some(format!("no stream #{idx}")));
            };
            if let Some(m) = step.get("match") {
                if let Some(bad) = match_pattern(m, Some(&stream), "") {
                    return Ok(Some(format!("stream: {bad}")));
                }
            }
            let Some(c) = step.get("chunks") else {
                return Ok(None);
            };
            let chunks: Vec<String> = t
                .events_of(
                    "plugin-stream",
                    Some(s(step, "instance")),
                    Some(&json!({ "type": "stream_data" })),
                )?
                .iter()
                .filter(|p| p["data"]["stream_id"] == stream["stream_id"])
                .map(|p| p["data"]["chunk"].as_str().unwrap_or("").to_string())
                .collect();
            let format = c["format"].as_str().unwrap_or("");
            let first = c["firstIn"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_i64)
                .find(|n| {
                    chunks.first().map(String::as_str)
                        == Some(format.replace("{n}", &n.to_string()).as_str())
                });
            let Some(first) = first else {
                return Ok(Some(format!(
                    "first chunk {:?} is not {format:?}",
                    chunks.first()
                )));
            };
            let want: Vec<Value> = (0..c["count"].as_i64().unwrap_or(0))
                .map(|i| Value::String(format.replace("{n}", &(i + first).to_string())))
                .collect();
            let got: Vec<Value> = chunks.iter().cloned().map(Value::String).collect();
            if let Some(bad) = match_pattern(&Value::Array(want), Some(&Value::Array(got)), "") {
                return Ok(Some(format!("chunks: {bad}")));
            }
            if c["contentIsChunks"] == true {
                let all = chunks.concat();
                if stream["content"] != all.as_str() {
                    return Ok(Some("stream content is not the chunks joined".into()));
                }
                let entry = info["history"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|h| h["id"] == stream["stream_id"])
                    .cloned();
                let good = entry.as_ref().is_some_and(|e| {
                    e["type"] == "streaming"
                        && e["content"] == all.as_str()
                        && e["status"] == stream["state"]
                });
                if !good {
                    return Ok(Some(format!("history entry of the stream: {entry:?}")));
                }
            }
            Ok(None)
        }),
        "expect_state" => {
            let info = t.info(s(step, "instance"))?;
            if info["state"] != step["state"] {
                Err(format!(
                    "state {}, expected {}",
                    info["state"], step["state"]
                ))
            } else {
                Ok(())
            }
        }
        "expect_instances" => {
            let n = host.instances().len() as u64;
            let want = step["count"].as_u64().unwrap_or(0);
            if n != want {
                Err(format!("{n} instances, expected {want}"))
            } else {
                Ok(())
            }
        }
        other => Err(format!("unknown op {other}")),
    }
}

/// Run one scenario in one language; Ok holds the last frames by alias, Err names the failing step. Every event it saw is appended
/// to `seen` (the spec's JSON, checked against the FrontendEvent schema by scripts/check-events.ts).
pub fn run_scenario(
    scenario: &Value,
    lang: &str,
    roots: &HashMap<&str, PathBuf>,
    seen: &mut Vec<Value>,
) -> Result<Map<String, Value>, String> {
    let plugins = scenario["plugins"].as_array().cloned().unwrap_or_default();
    let lang_of = |p: &Value| {
        p.get("lang")
            .and_then(Value::as_str)
            .unwrap_or(lang)
            .to_string()
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    for p in &plugins {
        let root = roots
            .get(lang_of(p).as_str())
            .ok_or(format!("no {} plugins", lang_of(p)))?
            .clone();
        if !dirs.contains(&root) {
            dirs.push(root);
        }
    }
    let plugin_id = |example: &str| {
        let p = plugins.iter().find(|p| p["example"] == example);
        let prefix = if p.map(lang_of).as_deref().unwrap_or(lang) == "rust" {
            "rust-"
        } else {
            ""
        };
        format!("{prefix}{example}")
    };
    let mut options = HostOptions::new(dirs);
    options.app_config = scenario
        .get("appConfig")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    options.logger = Box::new(|_, _| {});
    let host = PluginHost::new(options);
    let rx = host.subscribe();
    let tol = &scenario["tolerances"];
    let mut t = Target {
        host,
        rx,
        events: Mutex::new(Vec::new()),
        alias: HashMap::new(),
        wait: Duration::from_millis(tol["waitMs"].as_u64().unwrap_or(0)),
        quiet: Duration::from_millis(tol["quietMs"].as_u64().unwrap_or(0)),
    };
    let steps = substitute(&scenario["steps"], &plugin_id);
    let mut result = Ok(());
    for (i, step) in steps.as_array().into_iter().flatten().enumerate() {
        let step = step.as_object().cloned().unwrap_or_default();
        if let Err(e) = run_step(&mut t, &step, &plugin_id) {
            result = Err(format!("step {i} ({}): {e}", s(&step, "op")));
            break;
        }
    }
    let _ = t.events_of("", None, None);
    seen.extend(t.events.lock().unwrap().drain(..));
    // The last frame of every instance still loaded, by alias (compared across hosts).
    let mut frames = Map::new();
    for (alias, id) in &t.alias {
        if let Ok(info) = t.host.instance(id) {
            frames.insert(alias.clone(), serde_json::to_value(info.tree).unwrap());
        }
    }
    drop(t);
    result.map(|()| frames)
}
