//! Host services the example plugins cannot reach: the inter-plugin cycle and depth guard, credit
//! backpressure, and the refusals of discovery (checksum, ABI). The layout comparison is unit-tested
//! in src/library.rs (the C header's static asserts keep a fixture from changing its layout).

use plugin_interfaces_host::{FrontendEvent, HostOptions, PluginHost};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Compile the relay fixture into a fresh plugin root (`name` keeps parallel tests apart).
fn relay_root(name: &str, config_extra: &str, cflags: &[&str]) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = here
        .join("target")
        .join("fixture-plugins")
        .join(name)
        .join("relay");
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join(plugin_interfaces_host::discovery::library_file_name(
        "relay",
    ));
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-std=c11", "-shared", "-fPIC", "-fvisibility=hidden", "-I"])
        .arg(here.join("..").join("sdk-c").join("include"))
        .args(cflags)
        .arg("-o")
        .arg(&lib)
        .arg(
            here.join("tests")
                .join("fixtures")
                .join("relay")
                .join("relay.c"),
        )
        .status()
        .expect("cc");
    assert!(status.success(), "compiling the relay fixture failed");
    let config = std::fs::read_to_string(
        here.join("tests")
            .join("fixtures")
            .join("relay")
            .join("config.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("config.toml"), format!("{config}{config_extra}")).unwrap();
    dir.parent().unwrap().to_path_buf()
}

fn host(root: PathBuf) -> PluginHost {
    let mut options = HostOptions::new(vec![root]);
    options.logger = Box::new(|_, _| {});
    PluginHost::new(options)
}

fn loaded(host: &PluginHost, ids: &[&str]) {
    for id in ids {
        host.load("relay", Some(id), None).unwrap();
        host.connect(id).unwrap();
    }
}

#[test]
fn a_synchronous_call_chain_reaches_its_target_and_back() {
    let h = host(relay_root("chain", "", &[]));
    loaded(&h, &["a", "b"]);
    let r = h.handle_message("a", "call b hi").unwrap();
    assert_eq!(r.reply.as_deref(), Some("relay got: relay: hi"));
    let b = h.instance("b").unwrap();
    assert_eq!(
        b.history
            .iter()
            .map(|m| (m.role.as_str(), m.content.as_str()))
            .collect::<Vec<_>>(),
        vec![("system", "hi"), ("plugin", "relay: hi")]
    );
}

#[test]
fn a_call_from_inside_an_entry_point_to_a_target_that_defers_gets_invalid_state_and_the_late_reply_lands_in_history()
 {
    let h = host(relay_root("deferred", "", &[]));
    loaded(&h, &["a", "b"]);
    let e = h.handle_message("a", "call b later").unwrap_err();
    // The caller cannot wait inside its handle_message: INVALID_STATE (-3), as the ABI says.
    assert!(e.message.contains("failed with -3"), "{e:?}");
    // The target got the message and its answer still arrives, in its history.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let history = h.instance("b").unwrap().history;
        if history
            .iter()
            .any(|m| m.role == "plugin" && m.content == "later done")
        {
            assert!(
                history
                    .iter()
                    .any(|m| m.role == "system" && m.content == "later")
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no late reply in {history:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn a_call_cycle_is_refused_with_limit_exceeded_instead_of_deadlocking() {
    let h = host(relay_root("cycle", "", &[]));
    loaded(&h, &["a", "b"]);
    let events = h.subscribe();
    let e = h.handle_message("a", "call b call a hi").unwrap_err();
    assert_eq!(e.code, "PLUGIN_CALL_FAILED");
    // b's call to a is refused with LIMIT_EXCEEDED (-9); b fails with it, and a's call to b
    // then fails with ERROR (a target's failure, as host-node reports it).
    assert_eq!(e.status(), Some("ERROR"));
    assert!(
        e.message.contains("call to b failed with -1"),
        "{}",
        e.message
    );
    let logs: Vec<String> = events
        .try_iter()
        .filter_map(|d| match &*d.event {
            FrontendEvent::Log { who, message, .. } if who.instance_id == "b" => {
                Some(message.clone())
            }
            _ => None,
        })
        .collect();
    assert!(
        logs.iter()
            .any(|m| m.starts_with("CALL_DEPTH_EXCEEDED") && m.contains("a → b → a")),
        "{logs:?}"
    );
    // Both instances still answer.
    assert_eq!(
        h.handle_message("a", "x").unwrap().reply.as_deref(),
        Some("relay: x")
    );
    assert_eq!(
        h.handle_message("b", "y").unwrap().reply.as_deref(),
        Some("relay: y")
    );
}

#[test]
fn a_chain_longer_than_max_call_depth_is_refused() {
    let h = host(relay_root("depth", "", &[]));
    loaded(&h, &["a", "b", "c", "d", "e"]);
    assert_eq!(plugin_interfaces_host::limits::MAX_CALL_DEPTH, 4);
    let ok = h.handle_message("a", "call b call c call d hi").unwrap();
    assert_eq!(
        ok.reply.as_deref(),
        Some("relay got: relay got: relay got: relay: hi")
    );
    let e = h
        .handle_message("a", "call b call c call d call e hi")
        .unwrap_err();
    assert_eq!(e.code, "PLUGIN_CALL_FAILED");
    let refused = h.instance("d").unwrap().history;
    assert!(
        refused.iter().any(|m| m
            .error
            .as_deref()
            .is_some_and(|t| t.contains("call to e failed with -9"))),
        "{refused:?}"
    );
}

#[test]
fn stream_data_answers_backpressure_past_the_credit_window_until_the_consumer_takes_chunks() {
    let h = host(relay_root("flood", "", &[]));
    loaded(&h, &["a"]);
    let window = plugin_interfaces_host::limits::STREAM_CREDIT_WINDOW;
    let held = h.subscribe(); // a consumer that takes nothing: chunks keep their credit
    let r = h
        .handle_message("a", &format!("flood {}", window + 44))
        .unwrap();
    // stream_wait inside handle_message (a host call) never blocks: BACKPRESSURE (-8) with no credit.
    assert_eq!(
        r.reply.unwrap(),
        format!("sent {window} refused 44 wait -8")
    );
    drop(held); // the consumer goes away: its chunks' credit comes back
    let r = h.handle_message("a", "flood 10").unwrap();
    // With credit left it answers OK at once.
    assert_eq!(r.reply.as_deref(), Some("sent 10 refused 0 wait 0"));
}

#[test]
fn a_checksum_mismatch_is_refused_at_discovery() {
    let root = relay_root(
        "checksum",
        &format!(
            "\n[checksums]\n{} = \"{}\"\n",
            plugin_interfaces_host::discovery::platform_keys()[0],
            "0".repeat(64)
        ),
        &[],
    );
    let h = host(root);
    let err = h.load("relay", None, None).unwrap_err();
    assert_eq!(err.code, "CHECKSUM_MISMATCH");
    assert!(h.plugins()[0].error.is_some());
}

#[test]
fn an_abi_declared_for_another_major_version_is_refused() {
    let root = relay_root("abi", "", &[]);
    let config = root.join("relay").join("config.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("abi = \"1.0\"", "abi = \"2.0\"");
    std::fs::write(&config, text).unwrap();
    assert_eq!(
        host(root).load("relay", None, None).unwrap_err().code,
        "ABI_MAJOR_MISMATCH"
    );
}

#[test]
fn a_producer_waiting_on_credit_resumes_when_the_consumer_catches_up_and_every_chunk_arrives_in_order()
 {
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("fixture-plugins")
        .join("examples");
    let root = plugin_interfaces_host::examples::build_c(&out).expect("build the C examples");
    let h = host(root);
    let events = h.subscribe();
    h.load("streamer", Some("s"), None).unwrap();
    h.connect("s").unwrap();
    let window = plugin_interfaces_host::limits::STREAM_CREDIT_WINDOW as usize;
    let n = 4 * window;
    h.handle_message("s", &format!("stream {n}")).unwrap();
    let mut chunks = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut held = Vec::new();
    loop {
        let d = events
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("the stream keeps going");
        let mut end = false;
        if let FrontendEvent::Stream { stream, .. } = &*d.event {
            match stream {
                plugin_interfaces_host::events::StreamEvent::StreamData { chunk, .. } => {
                    chunks.push(chunk.clone())
                }
                plugin_interfaces_host::events::StreamEvent::StreamEnd { success, .. } => {
                    assert!(success);
                    end = true;
                }
                _ => {}
            }
        }
        // Hold a full window once, so the producer must block in stream_wait, then let go.
        held.push(d);
        if held.len() >= window || end {
            held.clear();
        }
        if end {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the stream stalled after {} chunks",
            chunks.len()
        );
    }
    let want: Vec<String> = (1..=n).map(|i| format!("chunk {i}\n")).collect();
    assert_eq!(chunks, want);
}

#[test]
fn a_config_toml_over_max_config_bytes_is_refused_unparsed() {
    let pad = format!(
        "\n# {}\n",
        "x".repeat(plugin_interfaces_host::limits::MAX_CONFIG_BYTES as usize)
    );
    let h = host(relay_root("big-config", &pad, &[]));
    let err = h.load("relay", None, None).unwrap_err();
    assert_eq!(err.code, "CONFIG_INVALID");
    assert!(err.message.contains("was not parsed"), "{}", err.message);
}

#[test]
fn a_call_from_inside_an_entry_point_to_a_busy_target_is_refused_at_once_with_invalid_state() {
    let h = std::sync::Arc::new(host(relay_root("busy", "", &[])));
    loaded(&h, &["a", "b"]);
    let busy = {
        let h = h.clone();
        std::thread::spawn(move || h.handle_message("b", "sleep 600").unwrap().reply)
    };
    // Wait until b is inside its handle_message (its user message is in history by then).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while h.instance("b").unwrap().history.is_empty() {
        assert!(std::time::Instant::now() < until, "b never started");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let started = std::time::Instant::now();
    let e = h.handle_message("a", "call b hi").unwrap_err();
    assert!(
        e.message.contains("call to b failed with -3"),
        "{}",
        e.message
    );
    assert!(
        started.elapsed() < std::time::Duration::from_millis(400),
        "the caller waited for the busy target"
    );
    assert_eq!(busy.join().unwrap().as_deref(), Some("slept"));
    // Nothing reached b: its history has only its own message and reply.
    assert_eq!(h.instance("b").unwrap().history.len(), 2);
}

#[test]
fn secret_setting_values_never_reach_logs_events_or_errors() {
    let root = relay_root(
        "secrets",
        "\n[settings.token]\ntype = \"string\"\nsecret = true\n",
        &[],
    );
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut options = HostOptions::new(vec![root]);
    let seen = lines.clone();
    options.logger = Box::new(move |_, line| seen.lock().unwrap().push(line.to_string()));
    let host = PluginHost::new(options);
    let events = host.subscribe();
    let settings = serde_json::json!({ "token": "hunter2" });
    host.load("relay", Some("r"), settings.as_object().cloned())
        .unwrap();
    host.connect("r").unwrap();
    let err = host
        .handle_message("r", "leak the token is hunter2")
        .unwrap_err();
    assert_eq!(err.message, "the token is [secret]");
    // A new value is redacted as soon as it is applied.
    host.set_settings(
        "r",
        serde_json::json!({ "token": "swordfish" })
            .as_object()
            .cloned()
            .unwrap(),
    )
    .unwrap();
    let err = host.handle_message("r", "leak now swordfish").unwrap_err();
    assert_eq!(err.message, "now [secret]");
    let lines = lines.lock().unwrap();
    assert!(lines.iter().any(|l| l.contains("the token is [secret]")));
    let events: Vec<String> = events
        .try_iter()
        .map(|d| d.event.to_json().to_string())
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e.contains("plugin-log") && e.contains("[secret]"))
    );
    for text in lines.iter().chain(events.iter()) {
        let from_plugin = !text.contains("\"role\":\"user\"");
        assert!(
            !from_plugin || !(text.contains("hunter2") || text.contains("swordfish")),
            "a secret leaked: {text}"
        );
    }
}
