//! rust-streamer: "stream <n> [delay_ms]" starts a thread that opens a stream titled
//! "Counting to <n>" and writes "chunk 1\n" ... "chunk <n>\n"; "stream-fail <n>" does the same
//! and then ends the stream as failed. `Stream::write` waits through back-pressure and pauses;
//! a cancelled stream stops quietly, also in the middle of a delay (the pause sleeps on the
//! stream's cancel token, which the user's cancel and destroy both raise). Destroy joins every
//! running stream thread.

use plugin_interfaces::{ErrorCode, Host, Plugin, PluginContext, PluginError, Reply, Responder, Ui, export_plugin, log_error, log_info};
use std::time::Duration;

const MAX_CHUNKS: u64 = 1_000_000;
const MAX_DELAY_MS: u64 = 60_000;

/// One requested stream.
struct Job {
    count: u64,
    delay_ms: u64,
    fail: bool,
}

/// Parses "stream <n> [delay_ms]" or "stream-fail <n>".
fn parse(message: &str) -> Option<Job> {
    let mut words = message.split_whitespace();
    let fail = match words.next()? {
        "stream" => false,
        "stream-fail" => true,
        _ => return None,
    };
    let count: u64 = words.next()?.parse().ok().filter(|n| (1..=MAX_CHUNKS).contains(n))?;
    let delay_ms: u64 = match words.next() {
        Some(d) if !fail => d.parse().ok().filter(|d| *d <= MAX_DELAY_MS)?,
        Some(_) => return None,
        None => 0,
    };
    words.next().is_none().then_some(Job { count, delay_ms, fail })
}

fn run(host: &Host, job: &Job) {
    let mut stream = match host.stream(&format!("Counting to {}", job.count)) {
        Ok(stream) => stream,
        Err(e) => return log_error!(host, "stream_start failed: {e}"),
    };
    for i in 1..=job.count {
        match stream.write(&format!("chunk {i}\n")) {
            Ok(()) => {}
            // The user cancelled (the host already ended the stream) or destroy began.
            Err(ErrorCode::Cancelled | ErrorCode::Closed) => return,
            Err(e) => {
                let _ = stream.fail(&format!("the host refused a chunk: {e}"));
                return;
            }
        }
        // False when the user cancelled or destroy began: the stream is over either way.
        if job.delay_ms > 0 && i < job.count && !stream.cancel_token().sleep(Duration::from_millis(job.delay_ms)) {
            if !host.is_closing() {
                log_info!(host, "stream {}: worker stopped by the user's cancel", stream.id());
            }
            return;
        }
    }
    let _ = if job.fail { stream.fail("simulated failure") } else { stream.end() };
}

/// The streamer plugin.
pub struct Streamer {
    host: Host,
}

impl Plugin for Streamer {
    fn create(ctx: PluginContext) -> Result<Self, PluginError> {
        Ok(Streamer { host: ctx.host })
    }

    fn update_ui(&mut self, ui: &mut Ui) {
        ui.label("Send \"stream <n> [delay_ms]\" to stream n chunks.");
    }

    fn handle_message(&mut self, message: &str, _responder: Responder) -> Result<Reply, PluginError> {
        let job = parse(message).ok_or_else(|| {
            PluginError::invalid_argument(format!(
                "streamer understands \"stream <n> [delay_ms]\" and \"stream-fail <n>\" (1 <= n <= {MAX_CHUNKS})"
            ))
        })?;
        let count = job.count;
        let host = self.host.clone();
        self.host.spawn(move || run(&host, &job))?;
        Ok(Reply::now(format!("streaming {count} chunks")))
    }
}

export_plugin!(Streamer);
