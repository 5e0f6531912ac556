//! Plugin settings against `[settings]` (the spec's `validateSettings`): unknown keys, types,
//! bounds and options; defaults for a new instance.

use serde_json::{Map, Value};

/// Declared defaults (booleans without a default are false).
pub fn default_settings(specs: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, spec) in specs {
        if let Some(d) = spec.get("default") {
            out.insert(k.clone(), d.clone());
        } else if spec.get("type").and_then(Value::as_str) == Some("boolean") {
            out.insert(k.clone(), Value::Bool(false));
        }
    }
    out
}

fn check_one(key: &str, spec: &Value, value: Option<&Value>) -> Option<String> {
    let missing =
        matches!(value, None | Some(Value::Null)) || value.and_then(Value::as_str) == Some("");
    if missing {
        return (spec.get("required").and_then(Value::as_bool) == Some(true))
            .then(|| format!("{key} is required"));
    }
    let value = value?;
    let num = |k: &str| spec.get(k).and_then(Value::as_f64);
    match spec.get("type").and_then(Value::as_str).unwrap_or("") {
        "string" => {
            let Some(s) = value.as_str() else {
                return Some(format!("{key} must be text"));
            };
            let len = s.encode_utf16().count() as f64;
            if num("min_length").is_some_and(|m| len < m) {
                return Some(format!(
                    "{key} must be at least {} characters",
                    num("min_length")?
                ));
            }
            if num("max_length").is_some_and(|m| len > m) {
                return Some(format!(
                    "{key} must be at most {} characters",
                    num("max_length")?
                ));
            }
            None
        }
        t @ ("number" | "integer") => {
            let Some(n) = value.as_f64() else {
                return Some(format!("{key} must be a number"));
            };
            if t == "integer" && n.fract() != 0.0 {
                return Some(format!("{key} must be a whole number"));
            }
            if num("min").is_some_and(|m| n < m) {
                return Some(format!("{key} must be at least {}", num("min")?));
            }
            if num("max").is_some_and(|m| n > m) {
                return Some(format!("{key} must be at most {}", num("max")?));
            }
            None
        }
        "boolean" => (!value.is_boolean()).then(|| format!("{key} must be true or false")),
        "select" => {
            let options: Vec<&str> = spec
                .get("options")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match value.as_str() {
                Some(s) if options.contains(&s) => None,
                _ => Some(format!("{key} must be one of {}", options.join(", "))),
            }
        }
        other => Some(format!("{key} has unknown type {other:?} in config.toml")),
    }
}

/// Validate values; Ok(the values with defaults) or Err(one problem per line).
pub fn validate_settings(
    specs: &Map<String, Value>,
    values: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut problems: Vec<String> = values
        .keys()
        .filter(|k| !specs.contains_key(*k))
        .map(|k| format!("{k} is not a setting of this plugin"))
        .collect();
    let mut out = Map::new();
    for (key, spec) in specs {
        let value = values.get(key).or_else(|| spec.get("default"));
        match check_one(key, spec, value) {
            Some(p) => problems.push(p),
            None => {
                if let Some(v) = value {
                    out.insert(key.clone(), v.clone());
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// True when `[settings.<key>]` declares a string with `secret = true`.
pub fn is_secret(specs: &Map<String, Value>, key: &str) -> bool {
    specs.get(key).is_some_and(|s| {
        s.get("type").and_then(Value::as_str) == Some("string")
            && s.get("secret") == Some(&Value::Bool(true))
    })
}

/// The values of the secret settings that are set: what must never appear in logs or errors.
pub fn secret_values(specs: &Map<String, Value>, values: &Map<String, Value>) -> Vec<String> {
    values
        .iter()
        .filter(|(k, _)| is_secret(specs, k))
        .filter_map(|(_, v)| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
        .collect()
}

/// `text` with every secret value replaced by `[secret]` (as host-node's `redact`).
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "[secret]");
        }
    }
    out
}

/// The error with secret values removed from its message and detail.
pub fn redact_error(mut e: crate::error::HostError, secrets: &[String]) -> crate::error::HostError {
    if secrets.is_empty() {
        return e;
    }
    e.message = redact(&e.message, secrets);
    if let Some(detail) = e.detail.take() {
        let text = redact(&detail.to_string(), secrets);
        e.detail = Some(serde_json::from_str(&text).unwrap_or(Value::Null));
    }
    e
}

fn marker(value: Option<&Value>) -> Value {
    let unset =
        matches!(value, None | Some(Value::Null)) || value.and_then(Value::as_str) == Some("");
    serde_json::json!({ "secret": if unset { "unset" } else { "set" } })
}

/// Setting values as they leave the host (snapshots, the bridge): every secret setting, set or
/// not, shows as `{ "secret": "set" | "unset" }` (the spec's `SecretMarker`).
pub fn mask_secrets(specs: &Map<String, Value>, values: &Map<String, Value>) -> Map<String, Value> {
    let mut out: Map<String, Value> = values
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                if is_secret(specs, k) {
                    marker(Some(v))
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    for key in specs.keys() {
        if is_secret(specs, key) && !out.contains_key(key) {
            out.insert(key.clone(), marker(None));
        }
    }
    out
}

/// Settings a client sent back: a secret still carrying the `set` marker keeps the current value.
pub fn keep_secrets(
    specs: &Map<String, Value>,
    incoming: &Map<String, Value>,
    current: &Map<String, Value>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in incoming {
        let is_marker = v.as_object().is_some_and(|o| {
            o.len() == 1
                && matches!(
                    o.get("secret").and_then(Value::as_str),
                    Some("set" | "unset")
                )
        });
        if is_secret(specs, k) && is_marker {
            if let (true, Some(c)) = (v["secret"] == "set", current.get(k)) {
                out.insert(k.clone(), c.clone());
            }
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refuses_unknown_keys_and_wrong_types_and_keeps_valid_values() {
        let specs =
            json!({ "panic_in": { "type": "string" }, "n": { "type": "integer", "min": 1 } });
        let specs = specs.as_object().unwrap();
        let bad = validate_settings(
            specs,
            json!({ "panic_in": 7, "x": 1, "n": 0 })
                .as_object()
                .unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            bad,
            vec![
                "x is not a setting of this plugin",
                "n must be at least 1",
                "panic_in must be text"
            ]
        );
        let ok =
            validate_settings(specs, json!({ "panic_in": "create" }).as_object().unwrap()).unwrap();
        assert_eq!(Value::Object(ok), json!({ "panic_in": "create" }));
    }

    #[test]
    fn secret_settings_leave_the_host_as_markers_and_a_returned_marker_keeps_the_value() {
        let specs = json!({ "key": { "type": "string", "secret": true }, "other": { "type": "string", "secret": true }, "name": { "type": "string" } });
        let specs = specs.as_object().unwrap();
        let values = json!({ "key": "hunter2", "name": "Ada" });
        let masked = mask_secrets(specs, values.as_object().unwrap());
        assert_eq!(
            Value::Object(masked),
            json!({ "key": { "secret": "set" }, "other": { "secret": "unset" }, "name": "Ada" })
        );
        let back = keep_secrets(
            specs,
            json!({ "key": { "secret": "set" }, "name": "Bo" })
                .as_object()
                .unwrap(),
            values.as_object().unwrap(),
        );
        assert_eq!(
            Value::Object(back),
            json!({ "key": "hunter2", "name": "Bo" })
        );
    }
}
