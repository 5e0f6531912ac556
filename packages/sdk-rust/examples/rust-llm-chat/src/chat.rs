//! The chat-completions exchange: the request body built from the chat history, the streamed
//! answer read as server-sent events, and every failure turned into a reason for people.

use crate::http::{self, Url};
use plugin_interfaces::json::{self, Value};
use plugin_interfaces::{CancelToken, HistoryMessage, MessageKind, MessageStatus, Role};
use std::io::{BufRead, Read};
use std::net::Shutdown;
use std::time::Duration;

/// How long connecting may take (below the host's 5 s destroy deadline: a connect cannot be
/// interrupted, so destroy may wait for it).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);
/// How long the server may stay silent while answering (models can be slow to start).
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// How much of an error body is read for its message.
const ERROR_BODY_LIMIT: u64 = 16 * 1024;
/// The longest server-sent-event line accepted.
const MAX_EVENT_LINE: u64 = 1024 * 1024;

/// Where and how to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The chat-completions URL.
    pub api_url: String,
    /// The bearer token; `None` sends no `Authorization` header.
    pub api_key: Option<String>,
    /// The model name.
    pub model: String,
}

impl Settings {
    /// Reads the plugin's settings object (`api_url`, `api_key`, `model`).
    pub fn from_json(settings: &Value) -> Settings {
        let text = |key: &str| settings.get(key).and_then(Value::as_str).unwrap_or_default().trim().to_owned();
        let key = text("api_key");
        Settings { api_url: text("api_url"), api_key: (!key.is_empty()).then_some(key), model: text("model") }
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Accept", "text/event-stream".to_owned())];
        if let Some(key) = &self.api_key {
            headers.push(("Authorization", format!("Bearer {key}")));
        }
        headers
    }
}

/// One chat message of the request: `role` is `user`, `assistant` or `system`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// The OpenAI role.
    pub role: &'static str,
    /// The text.
    pub content: String,
}

/// The conversation to send: every completed user message and answer of the history, in order,
/// ending with `message`. A stream cancelled part-way is sent as the partial answer it was; failed
/// entries, empty ones and system notes are left out. Hosts that include the message being
/// handled at the end of the history do not get it twice.
pub fn conversation(history: Option<&[HistoryMessage]>, message: &str) -> Vec<ChatMessage> {
    let mut out: Vec<ChatMessage> = history
        .unwrap_or_default()
        .iter()
        .filter(|h| match h.status {
            MessageStatus::Completed => true,
            MessageStatus::Cancelled => h.kind == MessageKind::Streaming,
            _ => false,
        })
        .filter(|h| !h.content.is_empty())
        .filter_map(|h| match h.role {
            Role::User => Some(ChatMessage { role: "user", content: h.content.clone() }),
            Role::Plugin => Some(ChatMessage { role: "assistant", content: h.content.clone() }),
            Role::System => None,
        })
        .collect();
    let already_last = out.last().is_some_and(|m| m.role == "user" && m.content == message);
    if !already_last {
        out.push(ChatMessage { role: "user", content: message.to_owned() });
    }
    out
}

/// The JSON request body for a streamed completion.
pub fn request_body(model: &str, messages: &[ChatMessage]) -> String {
    let messages = messages.iter().map(|m| Value::object().with("role", m.role).with("content", m.content.as_str()));
    Value::object().with("model", model).with("stream", true).with("messages", Value::array(messages)).to_string()
}

/// How a completion ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The server sent the whole answer.
    Done,
    /// The user cancelled (or the instance closed): the connection was closed.
    Cancelled,
}

/// The text of an OpenAI-style error body (`{"error":{"message":…}}`), else the body itself.
fn error_text(body: &str) -> String {
    let parsed = json::parse(body).ok();
    let message = parsed.as_ref().and_then(|v| {
        let error = v.get("error")?;
        error.get("message").and_then(Value::as_str).or_else(|| error.as_str()).map(str::to_owned)
    });
    message.unwrap_or_else(|| body.trim().chars().take(300).collect())
}

/// Opens the connection, makes `token` close it on cancel, and sends the request.
fn request(url: &Url, method: &str, settings: &Settings, body: &str, token: &CancelToken) -> Result<http::Response, String> {
    let mut socket =
        http::connect(url, CONNECT_TIMEOUT).map_err(|e| format!("cannot connect to {}: {e}", url.authority()))?;
    let _ = socket.set_read_timeout(Some(READ_TIMEOUT));
    let closer = socket.try_clone().map_err(|e| format!("cannot use the connection: {e}"))?;
    // A cancel closes the socket: a read blocked below returns at once (and a cancel that came
    // while connecting closes it right here).
    token.on_cancel(move || {
        let _ = closer.shutdown(Shutdown::Both);
    });
    let headers = settings.headers();
    let mut header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    if !body.is_empty() {
        header_refs.push(("Content-Type", "application/json"));
    }
    http::send_request(&mut socket, method, url, &header_refs, body.as_bytes())
        .map_err(|e| format!("cannot send the request to {}: {e}", url.authority()))?;
    http::read_response(socket).map_err(|e| format!("no answer from {}: {e}", url.authority()))
}

/// The reason for a non-2xx response: `HTTP 401 Unauthorized: <server's message>`.
fn status_error(response: &mut http::Response) -> String {
    let body = response.text(ERROR_BODY_LIMIT).unwrap_or_default();
    let detail = error_text(&body);
    let head = format!("HTTP {} {}", response.status, response.reason).trim_end().to_owned();
    if detail.is_empty() { head } else { format!("{head}: {detail}") }
}

/// Asks for a streamed completion and hands each piece of the answer to `on_text` (which
/// returns false to stop, e.g. when the chat stream was cancelled). Returns the reason when the
/// server or the network failed; a cancel through `token` is `Ok(Finish::Cancelled)`, also when
/// it surfaced as a failed read or a cut-off event.
pub fn stream_completion(
    settings: &Settings,
    messages: &[ChatMessage],
    token: &CancelToken,
    on_text: impl FnMut(&str) -> bool,
) -> Result<Finish, String> {
    match exchange(settings, messages, token, on_text) {
        Err(_) if token.is_cancelled() => Ok(Finish::Cancelled),
        other => other,
    }
}

/// One request and its streamed answer; errors are not yet checked against the token.
fn exchange(
    settings: &Settings,
    messages: &[ChatMessage],
    token: &CancelToken,
    mut on_text: impl FnMut(&str) -> bool,
) -> Result<Finish, String> {
    let url = Url::parse(&settings.api_url)?;
    let mut response = request(&url, "POST", settings, &request_body(&settings.model, messages), token)?;
    if !(200..300).contains(&response.status) {
        return Err(status_error(&mut response));
    }
    if response.header("content-type").is_some_and(|t| t.contains("application/json")) {
        // A server that ignores `stream: true` sends the whole completion at once.
        let body = response.text(MAX_EVENT_LINE).map_err(|e| format!("the connection failed during the answer: {e}"))?;
        let whole = json::parse(&body).map_err(|e| format!("the server sent an answer that is not JSON: {e}"))?;
        let choice = whole.get("choices").and_then(Value::as_array).and_then(<[Value]>::first);
        let text = choice.and_then(|c| c.get("message")).and_then(|m| m.get("content")).and_then(Value::as_str);
        let text = text.ok_or_else(|| format!("the server's answer has no message: {}", error_text(&body)))?;
        return Ok(if on_text(text) { Finish::Done } else { Finish::Cancelled });
    }
    let mut finished = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = response.body.by_ref().take(MAX_EVENT_LINE).read_until(b'\n', &mut line);
        if read.map_err(|e| format!("the connection failed during the answer: {e}"))? == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let Some(data) = text.trim_end_matches(['\r', '\n']).strip_prefix("data:") else { continue };
        let data = data.trim_start();
        if data == "[DONE]" {
            return Ok(Finish::Done);
        }
        let event = json::parse(data).map_err(|e| format!("the server sent an event that is not JSON: {e}"))?;
        if let Some(error) = event.get("error") {
            let message = error.get("message").and_then(Value::as_str).map_or_else(|| error.to_string(), str::to_owned);
            return Err(format!("the server reported an error: {message}"));
        }
        let choice = event.get("choices").and_then(Value::as_array).and_then(<[Value]>::first);
        let piece = choice.and_then(|c| c.get("delta")).and_then(|d| d.get("content")).and_then(Value::as_str);
        if let Some(piece) = piece.filter(|p| !p.is_empty())
            && !on_text(piece)
        {
            return Ok(Finish::Cancelled);
        }
        finished |= choice.and_then(|c| c.get("finish_reason")).is_some_and(|r| !r.is_null());
    }
    if finished { Ok(Finish::Done) } else { Err("the connection closed before the answer was complete".to_owned()) }
}

/// "Test connection": lists the models at the endpoint's `/models` (or GETs the URL itself when
/// it does not end in `/chat/completions`). Returns a one-line report, or the reason it failed.
/// `token` (the instance's closing token) closes the connection when destroy begins.
pub fn test_connection(settings: &Settings, token: &CancelToken) -> Result<String, String> {
    let mut url = Url::parse(&settings.api_url)?;
    if let Some(base) = url.path.strip_suffix("/chat/completions") {
        url.path = format!("{base}/models");
    }
    let mut response = request(&url, "GET", settings, "", token)?;
    if !(200..300).contains(&response.status) {
        return Err(status_error(&mut response));
    }
    let body = response.text(ERROR_BODY_LIMIT * 64).unwrap_or_default();
    let models = json::parse(&body).ok().and_then(|v| v.get("data").and_then(Value::as_array).map(<[Value]>::len));
    Ok(match models {
        Some(n) => format!("Connected to {}: the server lists {n} models.", url.authority()),
        None => format!("Connected to {}: HTTP {}.", url.authority(), response.status),
    })
}
