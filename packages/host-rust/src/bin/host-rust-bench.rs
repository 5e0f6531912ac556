//! host-rust-bench: handle_message round trip and stream chunks/s through the `PluginHost` facade
//! (in process), with the C and Rust echo and streamer examples, one subscriber draining events on
//! its own thread. Prints a table and writes target/bench-host-rust.json, which
//! bench/node-facade.ts prints beside host-node's figures for the same plugins and calls.

use plugin_interfaces_host::events::StreamEvent;
use plugin_interfaces_host::{FrontendEvent, HostOptions, PluginHost};
use serde_json::json;
use std::path::Path;
use std::sync::mpsc::{Sender, channel};
use std::time::Instant;

const MESSAGES: u32 = 5_000;
const CHUNKS: u32 = 100_000;

/// A host with one consumer thread that takes each event and drops it (returning stream credit);
/// `ended` receives a unit when a stream ends.
fn host_for(root: &Path, ended: Option<Sender<()>>) -> (PluginHost, std::thread::JoinHandle<u64>) {
    let mut options = HostOptions::new(vec![root.to_path_buf()]);
    options.logger = Box::new(|_, _| {});
    let host = PluginHost::new(options);
    let rx = host.subscribe();
    let drain = std::thread::spawn(move || {
        let mut n = 0;
        for d in rx {
            n += 1;
            let end = matches!(
                &*d.event,
                FrontendEvent::Stream {
                    stream: StreamEvent::StreamEnd { .. },
                    ..
                }
            );
            if let (true, Some(tx)) = (end, &ended) {
                let _ = tx.send(());
            }
        }
        n
    });
    (host, drain)
}

/// Microseconds per handle_message("hi") on a connected echo (history, reply event and redraw included).
fn round_trip(root: &Path, echo: &str) -> f64 {
    let (host, drain) = host_for(root, None);
    let id = host
        .load(echo, Some("bench"), None)
        .expect("load echo")
        .instance_id;
    host.connect(&id).expect("connect");
    for _ in 0..200 {
        host.handle_message(&id, "hi").expect("warm-up");
    }
    let t0 = Instant::now();
    for _ in 0..MESSAGES {
        host.handle_message(&id, "hi").expect("message");
    }
    let us = t0.elapsed().as_secs_f64() * 1e6 / MESSAGES as f64;
    drop(host);
    let _ = drain.join();
    us
}

/// Chunks per second from the streamer's thread to the subscriber (credit window included).
fn stream_rate(root: &Path, streamer: &str) -> f64 {
    let (tx, ended) = channel();
    let (host, drain) = host_for(root, Some(tx));
    let id = host
        .load(streamer, Some("bench"), None)
        .expect("load streamer")
        .instance_id;
    host.connect(&id).expect("connect");
    let t0 = Instant::now();
    host.handle_message(&id, &format!("stream {CHUNKS}"))
        .expect("stream");
    ended.recv().expect("the stream ends");
    let rate = CHUNKS as f64 / t0.elapsed().as_secs_f64();
    drop(host);
    let _ = drain.join();
    rate
}

fn main() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-plugins");
    let c = plugin_interfaces_host::examples::build_c(&out).expect("build the C examples");
    let rust = plugin_interfaces_host::examples::build_rust(&out).expect("build the Rust examples");
    let mut rows = Vec::new();
    for (lang, root, prefix) in [("c", &c, ""), ("rust", &rust, "rust-")] {
        let rt = round_trip(root, &format!("{prefix}echo"));
        let sr = stream_rate(root, &format!("{prefix}streamer"));
        println!(
            "host-rust in-process {lang:4}  handle_message round trip {rt:8.1} µs   stream {sr:10.0} chunks/s"
        );
        rows.push(json!({ "host": "host-rust", "mode": "in-process", "lang": lang, "roundTripUs": rt, "chunksPerSecond": sr, "messages": MESSAGES, "chunks": CHUNKS }));
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-host-rust.json");
    std::fs::write(&file, serde_json::to_string_pretty(&rows).unwrap()).expect("write the results");
    println!("wrote {}", file.display());
}
