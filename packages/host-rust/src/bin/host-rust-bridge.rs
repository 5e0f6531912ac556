//! host-rust-bridge: loads the plugin folders given as arguments and speaks the bridge protocol
//! (`packages/spec/src/schemas/bridge.ts`) over stdio, one JSON document per line:
//! it prints `{"type":"hello",...}` first, then every frontend event as `{"type":"event",...}`,
//! and answers each request read from stdin (`{"id":1,"op":"load","plugin_id":"echo"}`) with a
//! `{"type":"result","id":1,"ok":...}` line. A malformed line gets a `{"type":"error"}` line and
//! is otherwise ignored. Requests for one instance run in order on that instance's queue; other
//! instances and host-wide requests run concurrently (a pending message does not block the rest).
//! Every event a request caused is printed before its result.
//!
//! Usage: `host-rust-bridge [--app-config key=json]... <plugin-dir>...`

use plugin_interfaces_host::discovery::DiscoveredPlugin;
use plugin_interfaces_host::{HostError, HostOptions, PluginHost, UiEvent};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

enum Out {
    Event(plugin_interfaces_host::Delivered),
    Frame(Value),
}

fn plugin_info(p: &DiscoveredPlugin) -> Value {
    let mut info = json!({
        "id": p.id,
        "dir": p.dir.display().to_string(),
        "status": if p.error.is_some() { "error" } else { "ready" },
        "isolation": "in-process",
    });
    let o = info.as_object_mut().expect("object");
    match &p.config {
        Some(c) => {
            o.insert("name".into(), json!(c.plugin.name));
            o.insert("version".into(), json!(c.plugin.version));
            o.insert("description".into(), json!(c.plugin.description));
            if let Some(a) = &c.plugin.author {
                o.insert("author".into(), json!(a));
            }
            o.insert("require_history".into(), json!(c.plugin.require_history));
            let specs = c.setting_specs();
            if !specs.is_empty() {
                o.insert("settings".into(), Value::Object(specs));
            }
        }
        None => {
            for k in ["name", "version", "description"] {
                o.insert(k.into(), json!(if k == "name" { p.id.clone() } else { String::new() }));
            }
            o.insert("require_history".into(), json!(false));
        }
    }
    if let Some(e) = &p.error {
        o.insert("error".into(), serde_json::to_value(e).unwrap_or(Value::Null));
    }
    info
}

fn snapshot(host: &PluginHost) -> Value {
    json!({
        "plugins": host.plugins().iter().map(plugin_info).collect::<Vec<_>>(),
        "instances": host.instances(),
        "app_config": host.app_config(),
    })
}

fn str_of<'a>(r: &'a Value, k: &str) -> Result<&'a str, HostError> {
    r.get(k).and_then(Value::as_str).ok_or_else(|| HostError::new("BRIDGE_BAD_FRAME", format!("{k} must be a string")))
}

/// Run one request; the value of a successful result.
fn handle(host: &PluginHost, r: &Value) -> Result<Value, HostError> {
    let inst = || str_of(r, "instance_id");
    match str_of(r, "op")? {
        "snapshot" => Ok(snapshot(host)),
        "rescan" => Ok(Value::Array(host.rescan().iter().map(plugin_info).collect())),
        "load" => {
            let settings = r.get("settings").and_then(Value::as_object).cloned();
            let info = host.load(str_of(r, "plugin_id")?, r.get("instance_id").and_then(Value::as_str), settings)?;
            Ok(serde_json::to_value(info).unwrap_or(Value::Null))
        }
        "unload" => host.unload(inst()?).map(|_| Value::Null),
        "reload" => Ok(serde_json::to_value(host.reload(str_of(r, "plugin_id")?)?).unwrap_or(Value::Null)),
        "connect" => host.connect(inst()?).map(|_| Value::Null),
        "disconnect" => host.disconnect(inst()?).map(|_| Value::Null),
        "send_message" => {
            let id = inst()?;
            let m = host.handle_message(id, str_of(r, "message")?)?;
            let revision = host.instance(id).map(|i| i.revision).ok();
            Ok(json!({ "request_id": m.request_id, "reply": m.reply, "revision": revision }))
        }
        "ui_event" => {
            let event: UiEvent = serde_json::from_value(r.get("event").cloned().unwrap_or(Value::Null))
                .map_err(|e| HostError::new("BRIDGE_BAD_FRAME", format!("event: {e}")))?;
            host.dispatch_ui_event(inst()?, event).map(|_| Value::Null)
        }
        "stream_control" => host.control_stream(inst()?, str_of(r, "stream_id")?, str_of(r, "control")?).map(|_| Value::Null),
        "set_app_config" => {
            host.set_app_config(str_of(r, "key")?, r.get("value").cloned().unwrap_or(Value::Null));
            Ok(Value::Null)
        }
        "set_settings" => {
            let id = inst()?;
            let values = r.get("settings").and_then(Value::as_object).cloned().unwrap_or_default();
            host.set_settings(id, values)?;
            Ok(Value::Object(host.instance(id).map(|i| i.settings).unwrap_or_default()))
        }
        other => Err(HostError::new("BRIDGE_BAD_FRAME", format!("unknown op {other:?}"))),
    }
}

fn writer(rx: std::sync::mpsc::Receiver<Out>) {
    let stdout = std::io::stdout();
    for out in rx {
        let line = match &out {
            Out::Event(d) => json!({ "type": "event", "event": d.event.to_json() }),
            Out::Frame(v) => v.clone(),
        };
        let mut lock = stdout.lock();
        // stdout closed: the parent is gone, and so is the point of running.
        if writeln!(lock, "{line}").and_then(|_| lock.flush()).is_err() {
            std::process::exit(0);
        }
        drop(out); // after the line is written: that returns a stream chunk's credit
    }
}

fn main() {
    let mut dirs = Vec::new();
    let mut app_config = Map::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--app-config" {
            let kv = args.next().unwrap_or_default();
            let (k, v) = kv.split_once('=').unwrap_or((&kv, "null"));
            app_config.insert(k.to_string(), serde_json::from_str(v).unwrap_or(Value::String(v.to_string())));
        } else {
            dirs.push(a.into());
        }
    }
    let mut options = HostOptions::new(dirs);
    options.app_config = app_config;
    let host = Arc::new(PluginHost::new(options));
    let (tx, rx) = channel::<Out>();
    let out = std::thread::spawn(move || writer(rx));
    let _ = tx.send(Out::Frame(json!({ "type": "hello", "protocol": 1, "snapshot": snapshot(&host) })));
    let events: Sender<Out> = tx.clone();
    host.subscribe_with(Box::new(move |d| events.send(Out::Event(d)).is_ok()));
    // One queue (and thread) per instance id, and one for host-wide requests.
    let mut queues: HashMap<String, Sender<(u64, Value)>> = HashMap::new();
    let mut workers = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let request: Value = match serde_json::from_str(&line) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) | Err(_) => {
                let _ = tx.send(Out::Frame(json!({ "type": "error", "error": { "code": "BRIDGE_BAD_FRAME", "message": "a request is one JSON object per line" } })));
                continue;
            }
        };
        let Some(id) = request.get("id").and_then(Value::as_u64) else {
            let _ = tx.send(Out::Frame(json!({ "type": "error", "error": { "code": "BRIDGE_BAD_FRAME", "message": "the request has no integer id" } })));
            continue;
        };
        let key = request.get("instance_id").and_then(Value::as_str).unwrap_or("").to_string();
        let queue = queues.entry(key).or_insert_with(|| {
            let (qtx, qrx) = channel::<(u64, Value)>();
            let (host, tx) = (host.clone(), tx.clone());
            workers.push(std::thread::spawn(move || {
                for (id, request) in qrx {
                    let frame = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(&host, &request))) {
                        Ok(Ok(value)) => json!({ "type": "result", "id": id, "ok": true, "value": value }),
                        Ok(Err(e)) => json!({ "type": "result", "id": id, "ok": false, "error": e }),
                        Err(_) => json!({ "type": "result", "id": id, "ok": false, "error": { "code": "INTERNAL", "message": "the host panicked handling this request" } }),
                    };
                    let _ = tx.send(Out::Frame(frame));
                }
            }));
            qtx
        });
        let _ = queue.send((id, request));
    }
    drop(queues);
    for w in workers {
        let _ = w.join();
    }
    host.close();
    drop(host);
    drop(tx);
    let _ = out.join();
}
