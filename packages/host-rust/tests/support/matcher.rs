//! The scenario pattern matcher, the same rules as the spec's `matchPattern`
//! (packages/spec/src/schemas/conformance-match.ts): subset objects, element-wise arrays, equal
//! scalars, and the `$contains`/`$startsWith`/`$endsWith`/`$oneOf`/`$allOf`/`$any` operators.

use serde_json::Value;

const OPERATORS: [&str; 6] = [
    "$contains",
    "$startsWith",
    "$endsWith",
    "$oneOf",
    "$allOf",
    "$any",
];

fn operator(p: &Value) -> Option<(&str, &Value)> {
    let o = p.as_object()?;
    if o.len() != 1 {
        return None;
    }
    let (k, v) = o.iter().next()?;
    OPERATORS.contains(&k.as_str()).then_some((k.as_str(), v))
}

fn show(v: Option<&Value>) -> String {
    let s = v
        .map(|v| v.to_string())
        .unwrap_or_else(|| "undefined".into());
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(117).collect::<String>())
    } else {
        s
    }
}

/// None when `value` matches `pattern`, else where and why not.
pub fn match_pattern(pattern: &Value, value: Option<&Value>, path: &str) -> Option<String> {
    let at = if path.is_empty() { "/" } else { path };
    if let Some((op, arg)) = operator(pattern) {
        return match op {
            "$any" => value
                .is_none()
                .then(|| format!("{at}: expected a value, got none")),
            "$oneOf" => {
                let options = arg.as_array().cloned().unwrap_or_default();
                (!options
                    .iter()
                    .any(|o| match_pattern(o, value, path).is_none()))
                .then(|| format!("{at}: {} matches none of {}", show(value), arg))
            }
            "$allOf" => arg
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|o| match_pattern(o, value, path)),
            _ => {
                let Some(s) = value.and_then(Value::as_str) else {
                    return Some(format!(
                        "{at}: expected a string ({op}), got {}",
                        show(value)
                    ));
                };
                let want = arg.as_str().unwrap_or_default();
                let ok = match op {
                    "$contains" => s.contains(want),
                    "$startsWith" => s.starts_with(want),
                    _ => s.ends_with(want),
                };
                (!ok).then(|| format!("{at}: {:?} does not satisfy {op} {want:?}", s))
            }
        };
    }
    match pattern {
        Value::Array(items) => {
            let Some(Value::Array(got)) = value else {
                return Some(format!("{at}: expected an array, got {}", show(value)));
            };
            if got.len() != items.len() {
                return Some(format!(
                    "{at}: expected {} items, got {}: {}",
                    items.len(),
                    got.len(),
                    show(value)
                ));
            }
            items
                .iter()
                .zip(got)
                .enumerate()
                .find_map(|(i, (p, v))| match_pattern(p, Some(v), &format!("{path}/{i}")))
        }
        Value::Object(fields) => {
            let Some(Value::Object(got)) = value else {
                return Some(format!("{at}: expected an object, got {}", show(value)));
            };
            fields
                .iter()
                .find_map(|(k, p)| match_pattern(p, got.get(k), &format!("{path}/{k}")))
        }
        scalar => {
            let equal = match (scalar, value) {
                (Value::Number(a), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
                (a, Some(b)) => a == b,
                _ => false,
            };
            (!equal).then(|| format!("{at}: expected {scalar}, got {}", show(value)))
        }
    }
}

/// Replace `${id:<example>}` in every string of a JSON value.
pub fn substitute(value: &Value, resolve: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${id:") {
                let Some(end) = rest[start..].find('}') else {
                    break;
                };
                out.push_str(&rest[..start]);
                out.push_str(&resolve(&rest[start + 5..start + end]));
                rest = &rest[start + end + 1..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| substitute(v, resolve)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), substitute(v, resolve)))
                .collect(),
        ),
        other => other.clone(),
    }
}
