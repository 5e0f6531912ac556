//! The example binary speaks the bridge protocol over stdio: hello first, events before the result
//! of the request that caused them, per-instance order, typed errors, bad lines answered and skipped.

#[allow(dead_code)]
mod support;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn bridge_binary_answers_requests_in_order_with_events_before_results() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bridge-test-plugins");
    let root = support::plugins::build_c(&out).expect("build the C examples");
    let mut child = Command::new(env!("CARGO_BIN_EXE_host-rust-bridge"))
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start host-rust-bridge");
    let mut stdin = child.stdin.take().unwrap();
    for line in [
        r#"{"id":1,"op":"load","plugin_id":"ui-demo","instance_id":"u"}"#,
        r#"{"id":2,"op":"connect","instance_id":"u"}"#,
        r#"{"id":3,"op":"ui_event","instance_id":"u","event":{"widget_id":"increment","kind":"click"}}"#,
        "not json",
        r#"{"id":4,"op":"send_message","instance_id":"u","message":"state"}"#,
        r#"{"id":5,"op":"ui_event","instance_id":"u","event":{"widget_id":"increment","kind":"toggle","value":true}}"#,
        r#"{"id":6,"op":"history","instance_id":"u","limit":1}"#,
        r#"{"id":7,"op":"process_info"}"#,
        r#"{"id":8,"op":"clear_history","instance_id":"u"}"#,
        r#"{"id":9,"op":"history","instance_id":"u"}"#,
        r#"{"id":10,"op":"clear_history","instance_id":"nope"}"#,
    ] {
        writeln!(stdin, "{line}").unwrap();
    }
    drop(stdin);
    let frames: Vec<Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(child.wait().unwrap().success());
    assert_eq!(frames[0]["type"], "hello");
    assert_eq!(frames[0]["protocol"], 1);
    assert!(
        frames[0]["snapshot"]["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "ui-demo" && p["status"] == "ready")
    );
    let result = |id: u64| {
        frames
            .iter()
            .position(|f| f["type"] == "result" && f["id"] == id)
            .unwrap_or_else(|| panic!("no result {id}"))
    };
    assert!(
        result(1) < result(2)
            && result(2) < result(3)
            && result(3) < result(4)
            && result(4) < result(5)
    );
    // The click's redraw (revision 3: load, connect, click) is printed before the click's result.
    let click_frame = frames
        .iter()
        .position(|f| {
            f["event"]["event"] == "plugin-ui-updated" && f["event"]["payload"]["revision"] == 3
        })
        .unwrap();
    assert!(click_frame < result(3));
    assert_eq!(
        frames[result(4)]["value"]["reply"]
            .as_str()
            .unwrap()
            .split(' ')
            .next(),
        Some("count=1")
    );
    assert_eq!(frames[result(5)]["ok"], false);
    assert_eq!(frames[result(5)]["error"]["code"], "UI_EVENT_INVALID");
    assert!(
        frames
            .iter()
            .any(|f| f["type"] == "error" && f["error"]["code"] == "BRIDGE_BAD_FRAME")
    );
    // history: the newest entry (the reply to "state"), one older entry still kept.
    let page = &frames[result(6)]["value"];
    assert_eq!(page["messages"].as_array().unwrap().len(), 1);
    assert_eq!(page["messages"][0]["role"], "plugin");
    assert_eq!(page["more"], 1);
    assert_eq!(frames[result(7)]["error"]["code"], "UNSUPPORTED");
    // clear_history empties the history, every client hears it (before the result), and a bad
    // instance id fails that request only.
    assert_eq!(frames[result(8)]["ok"], true);
    let cleared = frames
        .iter()
        .position(|f| f["event"]["event"] == "plugin-history-cleared")
        .expect("a plugin-history-cleared event");
    assert!(cleared < result(8));
    assert_eq!(frames[cleared]["event"]["payload"]["instance_id"], "u");
    assert_eq!(
        frames[result(9)]["value"]["messages"],
        serde_json::json!([])
    );
    assert_eq!(frames[result(9)]["value"]["dropped"], 0);
    assert_eq!(frames[result(10)]["error"]["code"], "PLUGIN_NOT_FOUND");
}
