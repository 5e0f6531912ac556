//! Building JSON: object and array constructors, conversions from Rust values, and string
//! escaping for text you assemble yourself.

use super::Value;
use super::value::write_json_string;

/// Escapes `text` for use inside a JSON string literal, without the surrounding quotes
/// (`"`, `\`, and control characters are escaped; everything else is kept).
///
/// ```
/// assert_eq!(plugin_interfaces::json::escape("say \"hi\"\n"), r#"say \"hi\"\n"#);
/// ```
pub fn escape(text: &str) -> String {
    let quoted = quote(text);
    quoted[1..quoted.len() - 1].to_owned()
}

/// `text` as a complete JSON string literal, quotes included.
///
/// ```
/// assert_eq!(plugin_interfaces::json::quote("a\\b"), r#""a\\b""#);
/// ```
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    // Writing into a String cannot fail.
    let _ = write_json_string(&mut out, text);
    out
}

impl Value {
    /// An empty object, to fill with [`Value::with`] or [`Value::set`].
    ///
    /// ```
    /// use plugin_interfaces::json::Value;
    /// let body = Value::object()
    ///     .with("model", "gpt-test")
    ///     .with("stream", true)
    ///     .with("messages", Value::array([Value::object().with("role", "user").with("content", "hi")]));
    /// assert_eq!(
    ///     body.to_string(),
    ///     r#"{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
    /// );
    /// ```
    pub fn object() -> Value {
        Value::Object(Vec::new())
    }

    /// An array of the given items (anything that converts into a `Value`).
    pub fn array<T: Into<Value>>(items: impl IntoIterator<Item = T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }

    /// This object with member `key` set to `value` (replacing an existing member of that
    /// name). On a value that is not an object it returns the value unchanged.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Value {
        self.set(key, value);
        self
    }

    /// Sets member `key` of an object (replacing an existing member of that name, keeping its
    /// place); returns false, changing nothing, when this is not an object.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> bool {
        let Value::Object(members) = self else { return false };
        let value = value.into();
        match members.iter_mut().rev().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => members.push((key.to_owned(), value)),
        }
        true
    }

    /// Appends `item` to an array; returns false, changing nothing, when this is not an array.
    pub fn push(&mut self, item: impl Into<Value>) -> bool {
        let Value::Array(items) = self else { return false };
        items.push(item.into());
        true
    }

    /// The members of an object, in document order.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// A number that is a whole number within `i64`, as `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        let n = self.as_f64()?;
        (n.fract() == 0.0 && n >= i64::MIN as f64 && n <= i64::MAX as f64).then_some(n as i64)
    }
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(n as f64)
            }
        }
    )*};
}

from_number!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32);

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

/// `None` is `null`.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl From<&Value> for Value {
    fn from(value: &Value) -> Self {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn escaping_round_trips_through_the_parser() {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀";
        let literal = quote(text);
        assert_eq!(parse(&literal).unwrap(), Value::String(text.to_owned()));
        assert_eq!(escape("a\"b"), "a\\\"b");
        assert_eq!(escape("\u{1}"), "\\u0001");
    }

    #[test]
    fn objects_are_built_in_order_and_set_replaces_in_place() {
        let mut v = Value::object().with("a", 1).with("b", "two").with("c", None::<&str>);
        assert!(v.set("a", 3.5));
        assert!(v.set("d", Value::array([1u8, 2])));
        assert_eq!(v.to_string(), r#"{"a":3.5,"b":"two","c":null,"d":[1,2]}"#);
        assert_eq!(parse(&v.to_string()).unwrap(), v);
        assert!(!Value::Null.clone().set("x", 1), "only objects take members");
        let mut list = Value::array(Vec::<Value>::new());
        assert!(list.push("x"));
        assert_eq!(list.to_string(), r#"["x"]"#);
    }

    #[test]
    fn whole_numbers_read_as_i64() {
        assert_eq!(Value::from(42u64).as_i64(), Some(42));
        assert_eq!(Value::from(-7).as_i64(), Some(-7));
        assert_eq!(Value::from(1.5).as_i64(), None);
        assert_eq!(Value::object().with("k", 1).as_object().map(<[_]>::len), Some(1));
    }
}
