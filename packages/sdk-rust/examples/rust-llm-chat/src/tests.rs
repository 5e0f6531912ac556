//! The chat exchange against a mock chat-completions server on 127.0.0.1 (never another
//! address): streamed answers, the request built from history, HTTP errors, connection errors,
//! cancellation of a blocked read, and the connection test.

use crate::chat::{self, ChatMessage, Finish, Settings};
use plugin_interfaces::{CancelToken, HistoryMessage, MessageKind, MessageStatus, Role};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A one-connection server on 127.0.0.1: it reads one request, reports it, then runs `script`.
struct Mock {
    port: u16,
    request: mpsc::Receiver<String>,
    thread: JoinHandle<()>,
}

fn serve(script: impl FnOnce(&mut TcpStream) + Send + 'static) -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, request) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        tx.send(format!("{head}\r\n{}", String::from_utf8(body).unwrap())).unwrap();
        script(&mut socket);
    });
    Mock { port, request, thread }
}

fn settings(port: u16) -> Settings {
    Settings {
        api_url: format!("http://127.0.0.1:{port}/v1/chat/completions"),
        api_key: Some("sk-test".into()),
        model: "mock-model".into(),
    }
}

/// Writes `data` as one HTTP chunk. The client may already have hung up after the last event it
/// needed (then the write fails with a reset): that is its right, so it is not a test failure.
fn chunk(socket: &mut TcpStream, data: &str) {
    let _ = write!(socket, "{:x}\r\n{data}\r\n", data.len()).and_then(|()| socket.flush());
}

fn sse_delta(text: &str) -> String {
    format!("data: {{\"choices\":[{{\"delta\":{{\"content\":{}}}}}]}}\n\n", plugin_interfaces::json::quote(text))
}

const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

fn entry(id: &str, role: Role, kind: MessageKind, status: MessageStatus, content: &str) -> HistoryMessage {
    HistoryMessage {
        id: id.into(),
        kind,
        status,
        content: content.into(),
        plugin_id: "rust-llm-chat".into(),
        role,
        created_at: "2026-01-01T00:00:00Z".into(),
        message_type: None,
        error: None,
    }
}

#[test]
fn the_answer_streams_piece_by_piece_from_chunked_server_sent_events() {
    let mock = serve(|s| {
        s.write_all(SSE_HEAD.as_bytes()).unwrap();
        chunk(s, &sse_delta("Hel"));
        chunk(s, &format!("{}: keep-alive comment\n\n", sse_delta("lo \"world\"")));
        chunk(s, "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        chunk(s, "");
    });
    let mut pieces = Vec::new();
    let messages = [ChatMessage { role: "user", content: "hi".into() }];
    let finish = chat::stream_completion(&settings(mock.port), &messages, &CancelToken::new(), |p| {
        pieces.push(p.to_owned());
        true
    });
    assert_eq!(finish, Ok(Finish::Done));
    assert_eq!(pieces, ["Hel", "lo \"world\""]);
    let request = mock.request.recv().unwrap();
    assert!(request.starts_with("POST /v1/chat/completions HTTP/1.1\r\n"), "{request}");
    assert!(request.contains("Authorization: Bearer sk-test\r\n"), "{request}");
    assert!(request.ends_with(r#"{"model":"mock-model","stream":true,"messages":[{"role":"user","content":"hi"}]}"#), "{request}");
    mock.thread.join().unwrap();
}

#[test]
fn the_request_is_built_from_the_history() {
    use MessageKind::{Normal, Streaming};
    use MessageStatus::{Cancelled, Completed, Error};
    let history = [
        entry("1", Role::User, Normal, Completed, "first question"),
        entry("2", Role::Plugin, Streaming, Completed, "first answer"),
        entry("3", Role::System, Normal, Error, ""),
        entry("4", Role::User, Normal, Completed, "second question"),
        entry("5", Role::Plugin, Streaming, Cancelled, "a partial ans"),
        entry("6", Role::Plugin, Streaming, Error, "broken"),
        entry("7", Role::User, Normal, Completed, "third"),
    ];
    let roles = |m: &[ChatMessage]| m.iter().map(|m| format!("{}:{}", m.role, m.content)).collect::<Vec<_>>();
    let expected = [
        "user:first question",
        "assistant:first answer",
        "user:second question",
        "assistant:a partial ans",
        "user:third",
    ];
    // A host that includes the message being handled: it is not sent twice.
    assert_eq!(roles(&chat::conversation(Some(&history), "third")), expected);
    // A host that leaves it out: it is appended.
    assert_eq!(roles(&chat::conversation(Some(&history[..6]), "third")), expected);
    assert_eq!(roles(&chat::conversation(None, "alone")), ["user:alone"]);
}

#[test]
fn http_401_and_500_end_with_the_status_and_the_servers_message() {
    let unauthorized = serve(|s| {
        let body = r#"{"error":{"message":"Invalid API key","type":"invalid_request_error"}}"#;
        write!(s, "HTTP/1.1 401 Unauthorized\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    });
    let result = chat::stream_completion(&settings(unauthorized.port), &[], &CancelToken::new(), |_| true);
    assert_eq!(result, Err("HTTP 401 Unauthorized: Invalid API key".to_owned()));
    unauthorized.thread.join().unwrap();

    let failing = serve(|s| {
        s.write_all(b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nmodel crashed").unwrap();
    });
    let result = chat::stream_completion(&settings(failing.port), &[], &CancelToken::new(), |_| true);
    assert_eq!(result, Err("HTTP 500 Internal Server Error: model crashed".to_owned()));
    failing.thread.join().unwrap();
}

#[test]
fn a_refused_connection_ends_with_the_address_and_the_error() {
    // A port that was just free: nothing listens there any more.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let result = chat::stream_completion(&settings(port), &[], &CancelToken::new(), |_| true);
    let reason = result.unwrap_err();
    assert!(reason.starts_with(&format!("cannot connect to 127.0.0.1:{port}: ")), "{reason}");
}

#[test]
fn an_answer_cut_off_mid_stream_is_an_error() {
    let mock = serve(|s| {
        s.write_all(SSE_HEAD.as_bytes()).unwrap();
        chunk(s, &sse_delta("partial"));
        chunk(s, "");
    });
    let result = chat::stream_completion(&settings(mock.port), &[], &CancelToken::new(), |_| true);
    assert_eq!(result, Err("the connection closed before the answer was complete".to_owned()));
    mock.thread.join().unwrap();
}

#[test]
fn cancel_closes_the_connection_while_the_read_is_blocked() {
    let (closed_tx, closed) = mpsc::channel();
    let mock = serve(move |s| {
        s.write_all(SSE_HEAD.as_bytes()).unwrap();
        chunk(s, &sse_delta("first"));
        // Then say nothing more: the client is blocked until it closes the connection.
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        closed_tx.send(()).unwrap();
    });
    let token = CancelToken::new();
    let canceller = token.clone();
    let started = Instant::now();
    let result = chat::stream_completion(&settings(mock.port), &[], &token, |_| {
        // The user presses Stop while the plugin waits for the next piece.
        let canceller = canceller.clone();
        std::thread::spawn(move || canceller.cancel());
        true
    });
    assert_eq!(result, Ok(Finish::Cancelled));
    assert!(started.elapsed() < Duration::from_secs(30), "returned after {:?}", started.elapsed());
    closed.recv_timeout(Duration::from_secs(30)).expect("the server saw the connection close");
    mock.thread.join().unwrap();
}

#[test]
fn test_connection_lists_the_models_or_reports_the_failure() {
    let mock = serve(|s| {
        let body = r#"{"object":"list","data":[{"id":"a"},{"id":"b"}]}"#;
        write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    });
    let report = chat::test_connection(&settings(mock.port), &CancelToken::new()).unwrap();
    assert_eq!(report, format!("Connected to 127.0.0.1:{}: the server lists 2 models.", mock.port));
    assert!(mock.request.recv().unwrap().starts_with("GET /v1/models HTTP/1.1\r\n"));
    mock.thread.join().unwrap();

    let denied = serve(|s| {
        s.write_all(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 21\r\n\r\n{\"error\":\"bad key\"}  ").unwrap();
    });
    assert_eq!(chat::test_connection(&settings(denied.port), &CancelToken::new()), Err("HTTP 401 Unauthorized: bad key".to_owned()));
    denied.thread.join().unwrap();
}

#[test]
fn a_server_that_ignores_stream_true_is_read_as_one_piece() {
    let mock = serve(|s| {
        let body = r#"{"choices":[{"message":{"role":"assistant","content":"all at once"}}]}"#;
        write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    });
    let mut pieces = Vec::new();
    let result = chat::stream_completion(&settings(mock.port), &[], &CancelToken::new(), |p| {
        pieces.push(p.to_owned());
        true
    });
    assert_eq!((result, pieces), (Ok(Finish::Done), vec!["all at once".to_owned()]));
    mock.thread.join().unwrap();
}

#[test]
fn a_cancel_that_cuts_an_event_in_half_is_still_a_cancel() {
    let mock = serve(|s| {
        s.write_all(SSE_HEAD.as_bytes()).unwrap();
        chunk(s, &sse_delta("whole"));
        // Half an event, then the connection ends: what a cancel mid-event looks like.
        chunk(s, "data: {\"choi");
    });
    let token = CancelToken::new();
    let canceller = token.clone();
    let result = chat::stream_completion(&settings(mock.port), &[], &token, |_| {
        canceller.cancel();
        true
    });
    assert_eq!(result, Ok(Finish::Cancelled));
    mock.thread.join().unwrap();
    // Without a cancel the same cut-off answer is reported as a failure.
    let again = serve(|s| {
        s.write_all(SSE_HEAD.as_bytes()).unwrap();
        chunk(s, "data: {\"choi");
    });
    let reason = chat::stream_completion(&settings(again.port), &[], &CancelToken::new(), |_| true).unwrap_err();
    assert!(reason.starts_with("the connection failed during the answer"), "{reason}");
    again.thread.join().unwrap();
}
