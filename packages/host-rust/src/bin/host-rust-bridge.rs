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

use plugin_interfaces_host::bridge::{handle_request, snapshot};
use plugin_interfaces_host::{HostOptions, PluginHost};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

enum Out {
    Event(plugin_interfaces_host::Delivered),
    Frame(Value),
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
            app_config.insert(
                k.to_string(),
                serde_json::from_str(v).unwrap_or(Value::String(v.to_string())),
            );
        } else {
            dirs.push(a.into());
        }
    }
    let mut options = HostOptions::new(dirs);
    options.app_config = app_config;
    let host = Arc::new(PluginHost::new(options));
    let (tx, rx) = channel::<Out>();
    let out = std::thread::spawn(move || writer(rx));
    let _ = tx.send(Out::Frame(
        json!({ "type": "hello", "protocol": 1, "snapshot": snapshot(&host) }),
    ));
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
        let key = request
            .get("instance_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let queue = queues.entry(key).or_insert_with(|| {
            let (qtx, qrx) = channel::<(u64, Value)>();
            let (host, tx) = (host.clone(), tx.clone());
            workers.push(std::thread::spawn(move || {
                for (id, request) in qrx {
                    let frame = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle_request(&host, &request))) {
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
