//! Severity of chat messages, shared by [`Host::send_message`](crate::Host::send_message) and
//! chat history.

use crate::ffi;

/// Severity of a chat message (the spec's `PiMessageType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MessageType {
    /// Plain message.
    #[default]
    Normal,
    /// Something worked.
    Success,
    /// Something needs attention.
    Warning,
    /// Something failed.
    Error,
    /// Informational note.
    Info,
}

impl MessageType {
    /// The raw ABI value.
    pub fn raw(self) -> ffi::PiMessageType {
        match self {
            Self::Normal => ffi::PI_MESSAGE_TYPE_NORMAL,
            Self::Success => ffi::PI_MESSAGE_TYPE_SUCCESS,
            Self::Warning => ffi::PI_MESSAGE_TYPE_WARNING,
            Self::Error => ffi::PI_MESSAGE_TYPE_ERROR,
            Self::Info => ffi::PI_MESSAGE_TYPE_INFO,
        }
    }

    /// The lowercase name used in JSON (`"normal"`, `"success"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Success => "success",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Info => "info",
        }
    }

    /// Parses a lowercase JSON name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Normal, Self::Success, Self::Warning, Self::Error, Self::Info].into_iter().find(|t| t.name() == name)
    }
}
