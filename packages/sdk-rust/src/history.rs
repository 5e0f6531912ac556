//! Chat history as the host sends it to `set_history`: the spec's `HistoryMessage` array.

use crate::json::{self, Value};
use crate::{ErrorCode, MessageType, PluginError};

/// Whether a history entry is a plain message or a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `"normal"`.
    Normal,
    /// `"streaming"`.
    Streaming,
}

/// Where a history entry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    /// `"completed"`.
    Completed,
    /// `"active"` (a stream still producing).
    Active,
    /// `"paused"`.
    Paused,
    /// `"error"`.
    Error,
    /// `"cancelled"`.
    Cancelled,
}

/// Who wrote a history entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `"user"`.
    User,
    /// `"plugin"`.
    Plugin,
    /// `"system"`.
    System,
}

/// One chat-history entry (mirrors `packages/spec/src/schemas/history.ts`).
///
/// The host sends the whole history, oldest first, before each message when `config.toml` sets
/// `require_history = true`; the list ends with the message being handled. [`Role::User`] is chat
/// input, [`Role::Plugin`] your messages, replies and streams, [`Role::System`] what the host
/// recorded itself (a failed call's error, a message another plugin sent with `call_plugin`).
/// A stream is one entry of kind [`MessageKind::Streaming`] whose `id` is the stream id as text
/// and whose `content` is the text written so far: [`MessageStatus::Active`] or
/// [`MessageStatus::Paused`] while it runs, then `Completed`, `Error` (with `error`) or
/// `Cancelled` – a cancelled answer keeps the partial text written before the cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryMessage {
    /// Unique message id.
    pub id: String,
    /// JSON `type`.
    pub kind: MessageKind,
    /// JSON `status`.
    pub status: MessageStatus,
    /// Message text (Markdown).
    pub content: String,
    /// JSON `pluginId`.
    pub plugin_id: String,
    /// JSON `role`.
    pub role: Role,
    /// JSON `createdAt`: an ISO-8601 date-time, kept as text.
    pub created_at: String,
    /// JSON `messageType`, when present.
    pub message_type: Option<MessageType>,
    /// JSON `error`, when present.
    pub error: Option<String>,
}

fn bad(index: usize, what: &str) -> PluginError {
    PluginError::new(ErrorCode::InvalidArgument, format!("history entry {index}: {what}"))
}

fn text(entry: &Value, index: usize, key: &str) -> Result<String, PluginError> {
    entry.get(key).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| bad(index, &format!("`{key}` must be a string")))
}

fn pick<T: Copy>(entry: &Value, index: usize, key: &str, table: &[(&str, T)]) -> Result<T, PluginError> {
    let name = text(entry, index, key)?;
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).ok_or_else(|| bad(index, &format!("unknown `{key}` {name:?}")))
}

impl HistoryMessage {
    fn from_value(entry: &Value, index: usize) -> Result<Self, PluginError> {
        use MessageStatus as S;
        let message_type = match entry.get("messageType") {
            None => None,
            Some(v) => Some(v.as_str().and_then(MessageType::from_name).ok_or_else(|| bad(index, "unknown `messageType`"))?),
        };
        let error = match entry.get("error") {
            None => None,
            Some(v) => Some(v.as_str().ok_or_else(|| bad(index, "`error` must be a string"))?.to_owned()),
        };
        Ok(Self {
            id: text(entry, index, "id")?,
            kind: pick(entry, index, "type", &[("normal", MessageKind::Normal), ("streaming", MessageKind::Streaming)])?,
            status: pick(
                entry,
                index,
                "status",
                &[("completed", S::Completed), ("active", S::Active), ("paused", S::Paused), ("error", S::Error), ("cancelled", S::Cancelled)],
            )?,
            content: text(entry, index, "content")?,
            plugin_id: text(entry, index, "pluginId")?,
            role: pick(entry, index, "role", &[("user", Role::User), ("plugin", Role::Plugin), ("system", Role::System)])?,
            created_at: text(entry, index, "createdAt")?,
            message_type,
            error,
        })
    }
}

/// Reads the JSON array the host passes to `set_history`. A malformed document or entry is an
/// `InvalidArgument` error naming the problem (the previous history is then kept by the caller).
pub fn parse_history(text: &str) -> Result<Vec<HistoryMessage>, PluginError> {
    let doc = json::parse(text).map_err(|e| PluginError::new(ErrorCode::InvalidArgument, format!("history: {e}")))?;
    let items = doc.as_array().ok_or_else(|| PluginError::invalid_argument("history must be a JSON array"))?;
    items.iter().enumerate().map(|(i, v)| HistoryMessage::from_value(v, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_shape() {
        let h = parse_history(
            r#"[{"id":"m1","type":"normal","status":"completed","content":"hi","pluginId":"echo","role":"user","createdAt":"2025-01-01T00:00:00Z"},
                {"id":"m2","type":"streaming","status":"error","content":"","pluginId":"echo","role":"plugin","createdAt":"2025-01-01T00:00:01Z","messageType":"warning","error":"boom"}]"#,
        )
        .unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].role, Role::User);
        assert_eq!(h[1].kind, MessageKind::Streaming);
        assert_eq!(h[1].message_type, Some(MessageType::Warning));
        assert_eq!(h[1].error.as_deref(), Some("boom"));
    }

    #[test]
    fn rejects_bad_entries_with_their_index() {
        let err = parse_history(r#"[{"id":"m1","type":"odd"}]"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        assert!(err.message.starts_with("history entry 0"), "{}", err.message);
        assert!(parse_history("{}").is_err());
    }
}
