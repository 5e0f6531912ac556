//! The bridge protocol's requests (`packages/spec/src/schemas/bridge.ts`) on a `PluginHost`: the
//! transport-free half of a bridge, shared by the stdio example and a Tauri command.

use crate::discovery::DiscoveredPlugin;
use crate::{HostError, PluginHost, UiEvent};
use serde_json::{Value, json};

/// A discovered plugin as the bridge's `PluginInfo`.
pub fn plugin_info(p: &DiscoveredPlugin) -> Value {
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
                o.insert(
                    k.into(),
                    json!(if k == "name" {
                        p.id.clone()
                    } else {
                        String::new()
                    }),
                );
            }
            o.insert("require_history".into(), json!(false));
        }
    }
    if let Some(e) = &p.error {
        o.insert(
            "error".into(),
            serde_json::to_value(e).unwrap_or(Value::Null),
        );
    }
    info
}

/// The bridge's `Snapshot` within `MAX_SNAPSHOT_BYTES` of JSON: plugins and app config whole, then
/// each instance within an equal share of the rest; instances that do not fit are counted in
/// `truncated` (as host-node's snapshot).
pub fn snapshot(host: &PluginHost) -> Value {
    let mut snap = json!({
        "plugins": host.plugins().iter().map(plugin_info).collect::<Vec<_>>(),
        "instances": [],
        "app_config": host.app_config(),
    });
    let fixed = crate::instance::json_len(&snap) + crate::instance::VIEW_SLACK;
    let room = (crate::limits::MAX_SNAPSHOT_BYTES as usize).saturating_sub(fixed);
    let (instances, left) = host.instances_within(room);
    snap["instances"] = json!(instances);
    if left > 0 {
        snap["truncated"] = json!({ "instances": left });
    }
    snap
}

fn str_of<'a>(r: &'a Value, k: &str) -> Result<&'a str, HostError> {
    r.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| HostError::new("BRIDGE_BAD_FRAME", format!("{k} must be a string")))
}

/// Run one bridge request (`BridgeRequest`); the `value` of its result frame, or the error.
pub fn handle_request(host: &PluginHost, r: &Value) -> Result<Value, HostError> {
    let inst = || str_of(r, "instance_id");
    match str_of(r, "op")? {
        "snapshot" => Ok(snapshot(host)),
        "rescan" => Ok(Value::Array(
            host.rescan().iter().map(plugin_info).collect(),
        )),
        "load" => {
            let settings = r.get("settings").and_then(Value::as_object).cloned();
            let info = host.load(
                str_of(r, "plugin_id")?,
                r.get("instance_id").and_then(Value::as_str),
                settings,
            )?;
            Ok(serde_json::to_value(info).unwrap_or(Value::Null))
        }
        "unload" => host.unload(inst()?).map(|_| Value::Null),
        "reload" => {
            Ok(serde_json::to_value(host.reload(str_of(r, "plugin_id")?)?).unwrap_or(Value::Null))
        }
        "connect" => host.connect(inst()?).map(|_| Value::Null),
        "disconnect" => host.disconnect(inst()?).map(|_| Value::Null),
        "send_message" => {
            let id = inst()?;
            let m = host.handle_message(id, str_of(r, "message")?)?;
            Ok(json!({ "request_id": m.request_id, "reply": m.reply }))
        }
        "ui_event" => {
            let event: UiEvent =
                serde_json::from_value(r.get("event").cloned().unwrap_or(Value::Null))
                    .map_err(|e| HostError::new("BRIDGE_BAD_FRAME", format!("event: {e}")))?;
            host.dispatch_ui_event(inst()?, event).map(|_| Value::Null)
        }
        "stream_control" => host
            .control_stream(inst()?, str_of(r, "stream_id")?, str_of(r, "control")?)
            .map(|_| Value::Null),
        "set_app_config" => {
            host.set_app_config(
                str_of(r, "key")?,
                r.get("value").cloned().unwrap_or(Value::Null),
            );
            Ok(Value::Null)
        }
        "set_settings" => {
            let id = inst()?;
            let values = r
                .get("settings")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            host.set_settings(id, values)?;
            Ok(Value::Object(
                host.instance(id).map(|i| i.settings).unwrap_or_default(),
            ))
        }
        "history" => {
            let page = host.history(
                inst()?,
                r.get("before").and_then(Value::as_str),
                r.get("limit").and_then(Value::as_u64),
            )?;
            Ok(serde_json::to_value(page).unwrap_or(Value::Null))
        }
        "process_info" => Err(HostError::new(
            "UNSUPPORTED",
            "host-rust runs plugins in process: there are no plugin processes",
        )),
        "clear_history" => host.clear_history(inst()?).map(|_| Value::Null),
        other => Err(HostError::new(
            "BRIDGE_BAD_FRAME",
            format!("unknown op {other:?}"),
        )),
    }
}
