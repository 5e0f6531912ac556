//! [`Stream`]: a chat message written chunk by chunk, with back-pressure and pause handled.

use crate::cstr::to_c;
use crate::{CancelToken, ErrorCode, Host, HostError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How long one `stream_wait` may block before the SDK checks whether the instance is closing.
const WAIT_SLICE_MS: u32 = 200;

/// An open stream, made by [`Host::stream`] or [`Host::start_stream`]. Finish it with
/// [`Stream::end`], [`Stream::fail`] or a final [`Stream::send`]; dropping an unfinished stream
/// ends it with an error. `Send`: move it into the thread that produces the text.
#[derive(Debug)]
pub struct Stream {
    host: Host,
    id: u64,
    finished: bool,
    token: CancelToken,
    /// Set by the SDK when the user's cancel arrived: the host already ended the stream.
    host_ended: Arc<AtomicBool>,
}

impl Stream {
    pub(crate) fn new(host: Host, id: u64) -> Stream {
        Stream { host, id, finished: false, token: CancelToken::new(), host_ended: Arc::new(AtomicBool::new(false)) }
    }

    pub(crate) fn host_ended_flag(&self) -> Arc<AtomicBool> {
        self.host_ended.clone()
    }

    /// True when the user's cancel already ended the stream on the host side.
    fn ended_by_host(&self) -> bool {
        self.host_ended.load(Ordering::Acquire)
    }

    /// The host-assigned stream id (as seen in [`Plugin::on_stream_control`](crate::Plugin::on_stream_control)).
    /// The seed's ids were strings (`"stream_<ns>"`); these are `u64` (`id().to_string()` for text).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The token raised when the user cancels this stream or the instance closes. Clone it into
    /// another thread, or register a callback that unblocks whatever that thread waits on.
    pub fn cancel_token(&self) -> CancelToken {
        self.token.clone()
    }

    /// True once the user cancelled the stream (or the instance is closing): stop producing.
    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// The seed's `send_message_stream(id, chunk, is_final)`: appends `chunk` like
    /// [`Stream::write`] and, when `is_final`, ends the stream successfully. After the final
    /// chunk every further call fails with `InvalidState`.
    pub fn send(&mut self, chunk: &str, is_final: bool) -> Result<(), HostError> {
        if self.finished {
            return Err(if self.ended_by_host() { ErrorCode::Cancelled } else { ErrorCode::InvalidState });
        }
        self.write(chunk)?;
        if is_final { self.finish(true, None) } else { Ok(()) }
    }

    /// Appends a chunk. When the host has no credit (back-pressure) or the user paused the
    /// stream, this blocks until the host accepts data again and then resends the same chunk.
    ///
    /// Errors: `Cancelled` when the user cancelled (the stream is over: stop producing and
    /// drop it); `Closed` when the instance is being destroyed; `Backpressure` when called from
    /// inside a host call, where the host cannot let the SDK wait; `InvalidState` when the
    /// stream already ended (also when it ends while this call waits).
    pub fn write(&mut self, chunk: &str) -> Result<(), HostError> {
        if self.ended_by_host() {
            return Err(self.cancelled());
        }
        let chunk = to_c(chunk);
        loop {
            let sent = self.host.call(|a| a.stream_data, |f, raw| unsafe { f(raw, self.id, chunk.as_ptr()) });
            match sent {
                Ok(_) => return Ok(()),
                Err(ErrorCode::Cancelled) => return Err(self.cancelled()),
                // No credit, or paused by the user: wait, then send the same chunk again.
                Err(ErrorCode::Backpressure) => self.wait(ErrorCode::Backpressure)?,
                Err(other) => return Err(other),
            }
        }
    }

    /// Waits until the stream accepts data again; `refused` is why the last chunk was refused.
    fn wait(&mut self, refused: ErrorCode) -> Result<(), HostError> {
        loop {
            if self.host.is_closing() {
                return Err(ErrorCode::Closed);
            }
            if self.ended_by_host() {
                return Err(self.cancelled());
            }
            // SAFETY: function from the valid host table, called with that table.
            let waited = self.host.call(|a| a.stream_wait, |f, raw| unsafe { f(raw, self.id, WAIT_SLICE_MS) });
            match waited {
                Ok(_) => return Ok(()),
                Err(ErrorCode::Timeout) => continue,
                Err(ErrorCode::Cancelled) => return Err(self.cancelled()),
                // BACKPRESSURE from stream_wait: this is a host call, where nothing may wait.
                Err(ErrorCode::Backpressure) => return Err(refused),
                Err(other) => return Err(other),
            }
        }
    }

    /// The host ended the stream as cancelled: nothing more to send, raise the token.
    fn cancelled(&mut self) -> ErrorCode {
        self.finished = true;
        self.host_ended.store(true, Ordering::Release);
        self.host.untrack_stream(self.id);
        self.token.cancel();
        ErrorCode::Cancelled
    }

    /// Pauses the stream from the plugin side.
    pub fn pause(&self) -> Result<(), HostError> {
        self.host.call(|a| a.stream_pause, |f, raw| unsafe { f(raw, self.id) }).map(drop)
    }

    /// Resumes a paused stream.
    pub fn resume(&self) -> Result<(), HostError> {
        self.host.call(|a| a.stream_resume, |f, raw| unsafe { f(raw, self.id) }).map(drop)
    }

    /// Cancels the stream from the plugin side.
    pub fn cancel(mut self) -> Result<(), HostError> {
        self.finished = true;
        self.host.untrack_stream(self.id);
        self.token.cancel();
        self.host.call(|a| a.stream_cancel, |f, raw| unsafe { f(raw, self.id) }).map(drop)
    }

    /// Finishes the stream successfully.
    pub fn end(mut self) -> Result<(), HostError> {
        self.finish(true, None)
    }

    /// Finishes the stream with an error text shown to the user.
    pub fn fail(mut self, message: &str) -> Result<(), HostError> {
        self.finish(false, Some(message))
    }

    fn finish(&mut self, success: bool, error: Option<&str>) -> Result<(), HostError> {
        self.finished = true;
        self.host.untrack_stream(self.id);
        let error = error.map(to_c);
        let error_ptr = error.as_ref().map_or(std::ptr::null(), |e| e.as_ptr());
        // SAFETY: function from the valid host table; `error` outlives the call.
        self.host.call(|a| a.stream_end, |f, raw| unsafe { f(raw, self.id, u8::from(success), error_ptr) }).map(drop)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if !self.finished && !self.ended_by_host() {
            let _ = self.finish(false, Some("the plugin dropped the stream before finishing it"));
        }
    }
}
