//! The spec's frontend events (`packages/spec/src/schemas/events.ts`) as typed Rust values. Serde
//! turns each into exactly the JSON host-node emits: `{ "event": "plugin-…", "payload": { … } }`.

use crate::error::HostError;
use serde::Serialize;
use serde_json::Value;

/// Who an event is about; flattened into every payload.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Who {
    pub plugin_id: String,
    pub instance_id: String,
    /// Milliseconds since the Unix epoch.
    pub timestamp: u64,
}

/// One node of a recorded frame (`UiNode`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UiNode {
    Label {
        id: String,
        text: String,
    },
    Heading {
        id: String,
        text: String,
    },
    Separator {
        id: String,
    },
    Button {
        id: String,
        text: String,
        enabled: bool,
    },
    TextEdit {
        id: String,
        value: String,
        hint: String,
        password: bool,
        multiline: bool,
        enabled: bool,
    },
    ComboBox {
        id: String,
        options: Vec<String>,
        selected: Option<u32>,
        placeholder: String,
        enabled: bool,
    },
    Toggle {
        id: String,
        label: String,
        value: bool,
        enabled: bool,
    },
    Horizontal {
        id: String,
        children: Vec<UiNode>,
    },
    Vertical {
        id: String,
        children: Vec<UiNode>,
    },
}

impl UiNode {
    /// The widget id.
    pub fn id(&self) -> &str {
        match self {
            UiNode::Label { id, .. }
            | UiNode::Heading { id, .. }
            | UiNode::Separator { id }
            | UiNode::Button { id, .. }
            | UiNode::TextEdit { id, .. }
            | UiNode::ComboBox { id, .. }
            | UiNode::Toggle { id, .. }
            | UiNode::Horizontal { id, .. }
            | UiNode::Vertical { id, .. } => id,
        }
    }

    /// Children of a row or column.
    pub fn children(&self) -> &[UiNode] {
        match self {
            UiNode::Horizontal { children, .. } | UiNode::Vertical { children, .. } => children,
            _ => &[],
        }
    }
}

/// Every node of a tree, depth first.
pub fn walk(tree: &[UiNode]) -> Vec<&UiNode> {
    let mut out = Vec::new();
    for n in tree {
        out.push(n);
        out.extend(walk(n.children()));
    }
    out
}

/// A UI event from the frontend (`UiEvent`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UiEvent {
    Click { widget_id: String },
    Text { widget_id: String, value: String },
    Select { widget_id: String, value: i32 },
    Toggle { widget_id: String, value: bool },
}

impl UiEvent {
    /// The event kind as in the spec (`click`, `text`, `select`, `toggle`).
    pub fn kind(&self) -> &'static str {
        match self {
            UiEvent::Click { .. } => "click",
            UiEvent::Text { .. } => "text",
            UiEvent::Select { .. } => "select",
            UiEvent::Toggle { .. } => "toggle",
        }
    }

    /// The widget the event is for.
    pub fn widget_id(&self) -> &str {
        match self {
            UiEvent::Click { widget_id }
            | UiEvent::Text { widget_id, .. }
            | UiEvent::Select { widget_id, .. }
            | UiEvent::Toggle { widget_id, .. } => widget_id,
        }
    }
}

/// One chat-history entry (`HistoryMessage`, camelCase).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HistoryMessage {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub content: String,
    pub plugin_id: String,
    pub role: String,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Bytes of a stream's text the host no longer keeps (the content is the tail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_bytes: Option<u64>,
}

/// A stream transition (`plugin-stream`'s `type` + `data`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum StreamEvent {
    StreamStart {
        stream_id: String,
        title: Option<String>,
    },
    StreamData {
        stream_id: String,
        chunk: String,
        is_final: bool,
        seq: u64,
    },
    StreamEnd {
        stream_id: String,
        success: bool,
        error: Option<String>,
    },
    StreamPause {
        stream_id: String,
    },
    StreamResume {
        stream_id: String,
    },
    StreamCancel {
        stream_id: String,
        by: String,
    },
}

/// Every event the host sends to a frontend (`FrontendEvent`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "event", content = "payload")]
pub enum FrontendEvent {
    #[serde(rename = "plugin-message")]
    Message {
        #[serde(flatten)]
        who: Who,
        message_type: String,
        message_id: String,
        content: String,
    },
    #[serde(rename = "plugin-stream")]
    Stream {
        #[serde(flatten)]
        who: Who,
        #[serde(flatten)]
        stream: StreamEvent,
    },
    #[serde(rename = "plugin-ui-updated")]
    UiUpdated {
        #[serde(flatten)]
        who: Who,
        revision: u64,
        tree: Vec<UiNode>,
    },
    #[serde(rename = "plugin-disconnect-request")]
    DisconnectRequest {
        #[serde(flatten)]
        who: Who,
    },
    #[serde(rename = "plugin-reply")]
    Reply {
        #[serde(flatten)]
        who: Who,
        request_id: String,
        ok: bool,
        content: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<HostError>,
    },
    #[serde(rename = "plugin-log")]
    Log {
        #[serde(flatten)]
        who: Who,
        level: String,
        message: String,
    },
    #[serde(rename = "plugin-custom")]
    Custom {
        #[serde(flatten)]
        who: Who,
        event: String,
        payload: Value,
    },
    #[serde(rename = "plugin-history")]
    History {
        #[serde(flatten)]
        who: Who,
        message: HistoryMessage,
    },
    #[serde(rename = "plugin-history-cleared")]
    HistoryCleared {
        #[serde(flatten)]
        who: Who,
    },
    #[serde(rename = "plugin-status")]
    Status {
        #[serde(flatten)]
        who: Who,
        state: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<HostError>,
    },
}

impl FrontendEvent {
    /// The event name (`plugin-message`…).
    pub fn name(&self) -> &'static str {
        match self {
            FrontendEvent::Message { .. } => "plugin-message",
            FrontendEvent::Stream { .. } => "plugin-stream",
            FrontendEvent::UiUpdated { .. } => "plugin-ui-updated",
            FrontendEvent::DisconnectRequest { .. } => "plugin-disconnect-request",
            FrontendEvent::Reply { .. } => "plugin-reply",
            FrontendEvent::Log { .. } => "plugin-log",
            FrontendEvent::Custom { .. } => "plugin-custom",
            FrontendEvent::History { .. } => "plugin-history",
            FrontendEvent::HistoryCleared { .. } => "plugin-history-cleared",
            FrontendEvent::Status { .. } => "plugin-status",
        }
    }

    /// The instance the event is about.
    pub fn instance_id(&self) -> &str {
        match self {
            FrontendEvent::Message { who, .. }
            | FrontendEvent::Stream { who, .. }
            | FrontendEvent::UiUpdated { who, .. }
            | FrontendEvent::DisconnectRequest { who }
            | FrontendEvent::Reply { who, .. }
            | FrontendEvent::Log { who, .. }
            | FrontendEvent::Custom { who, .. }
            | FrontendEvent::History { who, .. }
            | FrontendEvent::HistoryCleared { who }
            | FrontendEvent::Status { who, .. } => &who.instance_id,
        }
    }

    /// The event as the spec's JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// One stream as an instance reports it (`StreamInfo`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StreamInfo {
    pub stream_id: String,
    pub state: String,
    pub content: String,
    pub title: Option<String>,
    pub error: Option<String>,
    /// Bytes the host no longer keeps (`content` is the tail).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_bytes: Option<u64>,
}

/// One instance's state (`InstanceInfo`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InstanceInfo {
    pub instance_id: String,
    pub plugin_id: String,
    pub state: String,
    pub revision: u64,
    pub tree: Vec<UiNode>,
    pub history: Vec<HistoryMessage>,
    pub streams: Vec<StreamInfo>,
    pub settings: serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<HostError>,
    /// What a view bounded by `MAX_SNAPSHOT_BYTES` left out (absent when nothing was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<InstanceTruncation>,
}

/// What an instance view left out (`InstanceTruncation`): older history entries still kept, entries
/// the host dropped for good, and whether the UI tree was left out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InstanceTruncation {
    pub history: u64,
    pub dropped: u64,
    pub tree: bool,
}

/// One page of an instance's history (`HistoryPage`): oldest first; `more` older entries are still
/// kept, `dropped` the host no longer keeps.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryPage {
    pub messages: Vec<HistoryMessage>,
    pub more: u64,
    pub dropped: u64,
}
