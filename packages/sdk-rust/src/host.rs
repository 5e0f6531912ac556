//! [`Host`]: the safe, cloneable handle to the host's function table.

use crate::cstr::{ptr_or_null, to_c, to_c_opt};
use crate::ffi::{self, PiHostApi};
use crate::{CancelToken, ErrorCode, HistoryMessage, HostError, Level, MessageType, Metadata, Stream};
use std::collections::HashMap;
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Handle to the host services of one instance. Cheap to clone, `Send + Sync`: move clones into
/// your threads.
///
/// Every call returns `Err(HostError::Closed)` once the instance is destroyed, so a stray thread
/// can never touch a dangling host table. Threads that call the host should be started with
/// [`Host::spawn`]: the SDK joins them when the host destroys the instance, and they can watch
/// [`Host::is_closing`] to stop early.
#[derive(Clone)]
pub struct Host {
    shared: Arc<Shared>,
}

struct Shared {
    api: *const PiHostApi,
    /// `true` once destroy finished with the table. Every host call holds the read side, so
    /// `close` (the write side) waits for calls in flight and no call starts afterwards.
    closed: RwLock<bool>,
    /// Set when destroy begins; threads poll it through `is_closing`.
    closing: AtomicBool,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// What the host said about this instance in `create`.
    metadata: Metadata,
    /// The last history the host sent (`None`: none yet, or cleared).
    history: Mutex<Option<Vec<HistoryMessage>>>,
    /// `Host::sleep` waits on this; `begin_close` wakes it.
    sleepers: (Mutex<()>, Condvar),
    /// Raised when destroy begins (see `Host::closing_token`).
    closing_token: CancelToken,
    /// Every open stream's cancel token and "the host ended it as cancelled" flag, by id.
    cancels: Mutex<HashMap<u64, (CancelToken, Arc<AtomicBool>)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

// SAFETY: the host guarantees that `api` stays valid until `destroy` returns and that its
// functions may be called from any thread. The SDK stops dereferencing it before then: destroy
// takes the write side of `closed` (waiting for calls in flight) and sets it, and every call
// checks it under the read side.
unsafe impl Send for Shared {}
// SAFETY: as above; all other fields are thread-safe std types.
unsafe impl Sync for Shared {}

impl Host {
    /// Wraps the host table and the metadata passed to `create`.
    pub(crate) fn new(api: *const PiHostApi, metadata: Metadata) -> Host {
        Host {
            shared: Arc::new(Shared {
                api,
                closed: RwLock::new(api.is_null()),
                closing: AtomicBool::new(false),
                threads: Mutex::new(Vec::new()),
                metadata,
                history: Mutex::new(None),
                sleepers: (Mutex::new(()), Condvar::new()),
                closing_token: CancelToken::new(),
                cancels: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// What the host said about this instance (id, name, version, folders, instance id,
    /// settings at creation, …): the same [`Metadata`] `create` received, reachable from every
    /// hook and every thread that holds a `Host`.
    pub fn metadata(&self) -> &Metadata {
        &self.shared.metadata
    }

    /// This instance's id (shorthand for `metadata().instance_id`).
    pub fn instance_id(&self) -> &str {
        &self.shared.metadata.instance_id
    }

    /// The chat history the host sent before the current message, or `None` when there is
    /// none: `require_history` is not set in `config.toml`, no message arrived yet, or the host
    /// cleared it. The list ends with the message being handled and includes stream entries
    /// (`kind` `Streaming`) with their status; see the README's "History" section. Your
    /// [`Plugin::set_history`](crate::Plugin::set_history) receives the same list.
    pub fn history(&self) -> Option<Vec<HistoryMessage>> {
        lock(&self.shared.history).clone()
    }

    /// Stores the history the host sent (`None` clears it); called by the SDK's glue.
    pub(crate) fn store_history(&self, history: Option<Vec<HistoryMessage>>) {
        *lock(&self.shared.history) = history;
    }

    /// Sleeps for `duration`, returning early when the instance starts closing. Returns `true`
    /// when the whole duration passed and `false` when it was cut short (then stop your work).
    /// Use it instead of `std::thread::sleep` in threads started with [`Host::spawn`]:
    ///
    /// ```no_run
    /// # fn demo(host: plugin_interfaces::Host) {
    /// while host.sleep(std::time::Duration::from_secs(2)) {
    ///     let _ = host.request_refresh(); // every 2 s until the instance closes
    /// }
    /// # }
    /// ```
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let (mutex, wake) = &self.shared.sleepers;
        let mut guard = lock(mutex);
        loop {
            if self.is_closing() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            guard = wake.wait_timeout(guard, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// A token raised when the instance starts closing (the moment [`Host::is_closing`] turns
    /// true): register an `on_cancel` callback that unblocks work not tied to a stream, e.g.
    /// shuts down a socket a [`Host::spawn`] thread reads, so destroy does not wait for it.
    pub fn closing_token(&self) -> CancelToken {
        self.shared.closing_token.clone()
    }

    /// Registers a newly opened stream's cancel token and its "ended by the host" flag.
    pub(crate) fn track_stream(&self, id: u64, token: CancelToken, host_ended: Arc<AtomicBool>) {
        lock(&self.shared.cancels).insert(id, (token, host_ended));
        // A stream opened while destroy runs is cancelled at once.
        if self.is_closing() {
            self.cancel_stream_token(id);
        }
    }

    /// Forgets a finished stream's token.
    pub(crate) fn untrack_stream(&self, id: u64) {
        lock(&self.shared.cancels).remove(&id);
    }

    /// The user cancelled stream `id`, which the host already ended: mark it ended and raise
    /// its token. Unknown ids are ignored.
    pub(crate) fn cancel_stream_token(&self, id: u64) {
        let tracked = lock(&self.shared.cancels).remove(&id);
        if let Some((token, host_ended)) = tracked {
            host_ended.store(true, Ordering::Release);
            token.cancel();
        }
    }

    /// Runs `f` with the host table unless the instance is closed.
    fn with_api<R>(&self, f: impl FnOnce(&PiHostApi, *const PiHostApi) -> R) -> Result<R, HostError> {
        let closed = self.shared.closed.read().unwrap_or_else(|e| e.into_inner());
        if *closed {
            return Err(ErrorCode::Closed);
        }
        // SAFETY: not closed, so the table is still valid (see `Shared`).
        let api = unsafe { &*self.shared.api };
        Ok(f(api, self.shared.api))
    }

    /// Calls one status-returning host function; a missing entry is `Unsupported`.
    pub(crate) fn call<F: Copy>(
        &self,
        pick: impl FnOnce(&PiHostApi) -> Option<F>,
        run: impl FnOnce(F, *const PiHostApi) -> ffi::PiStatus,
    ) -> Result<ffi::PiStatus, HostError> {
        let status = self.with_api(|api, raw| pick(api).map(|f| run(f, raw)))?;
        let status = status.ok_or(ErrorCode::Unsupported)?;
        ErrorCode::check(status).map(|()| status)
    }

    /// Calls a host function that returns a host-owned string, copies it and releases it with
    /// the host's `free_string`.
    fn call_for_string(
        &self,
        run: impl FnOnce(&PiHostApi, *const PiHostApi, *mut *mut c_char) -> Option<ffi::PiStatus>,
    ) -> Result<String, HostError> {
        self.with_api(|api, raw| {
            let mut out: *mut c_char = std::ptr::null_mut();
            let status = run(api, raw, &mut out).ok_or(ErrorCode::Unsupported);
            // SAFETY: the host returned `out` (NULL or a NUL-terminated string it owns).
            let text = unsafe { crate::cstr::owned_or_empty(out) };
            if let Some(free) = api.free_string.filter(|_| !out.is_null()) {
                // SAFETY: `out` is host-owned and released exactly once, with the host's free.
                unsafe { free(raw, out) };
            }
            ErrorCode::check(status?).map(|()| text)
        })?
    }

    /// Posts a chat message (Markdown) of the given severity.
    pub fn send_message(&self, kind: MessageType, content: &str) -> Result<(), HostError> {
        let content = to_c(content);
        // SAFETY (all host calls below): the function comes from the valid table, `raw` is that
        // table, and every string argument outlives the call.
        self.call(|a| a.send_message, |f, raw| unsafe { f(raw, kind.raw(), content.as_ptr()) }).map(drop)
    }

    /// Writes a line to the host's logger, tagged with the plugin and instance. See also the
    /// [`log_info!`](crate::log_info) family of macros.
    pub fn log(&self, level: Level, text: &str) -> Result<(), HostError> {
        let text = to_c(text);
        self.call(|a| a.log, |f, raw| unsafe { f(raw, level.raw(), text.as_ptr()) }).map(drop)
    }

    /// Asks the host to run `update_ui` again soon (after state changed on another thread).
    pub fn request_refresh(&self) -> Result<(), HostError> {
        self.call(|a| a.request_refresh, |f, raw| unsafe { f(raw) }).map(drop)
    }

    /// Asks the host to disconnect this instance (e.g. its remote peer went away).
    pub fn request_disconnect(&self) -> Result<(), HostError> {
        self.call(|a| a.request_disconnect, |f, raw| unsafe { f(raw) }).map(drop)
    }

    /// Sends a custom event with a JSON payload (text) to the frontend.
    pub fn send_to_frontend(&self, event: &str, payload_json: &str) -> Result<(), HostError> {
        let (event, payload) = (to_c(event), to_c(payload_json));
        self.call(|a| a.send_to_frontend, |f, raw| unsafe { f(raw, event.as_ptr(), payload.as_ptr()) }).map(drop)
    }

    /// Reads an application setting granted in `config.toml` `[permissions] app_config`.
    pub fn app_config(&self, key: &str) -> Result<String, HostError> {
        let key = to_c(key);
        self.call_for_string(|api, raw, out| api.get_app_config.map(|f| unsafe { f(raw, key.as_ptr(), out) }))
    }

    /// Sends `message` to another plugin's `handle_message` and waits for its reply. Blocks:
    /// call it from a thread ([`Host::spawn`]) and answer through a [`Responder`](crate::Responder).
    pub fn call_plugin(&self, plugin_id: &str, message: &str) -> Result<String, HostError> {
        let (id, message) = (to_c(plugin_id), to_c(message));
        self.call_for_string(|api, raw, out| {
            api.call_other_plugin.map(|f| unsafe { f(raw, id.as_ptr(), message.as_ptr(), out) })
        })
    }

    /// Opens a stream with the heading `title`; write chunks with [`Stream::write`] or
    /// [`Stream::send`]. See [`Host::start_stream`] for one without a heading.
    pub fn stream(&self, title: &str) -> Result<Stream, HostError> {
        self.open_stream(Some(title))
    }

    /// Opens a stream without a heading (the seed's `send_message_stream_start()`).
    pub fn start_stream(&self) -> Result<Stream, HostError> {
        self.open_stream(None)
    }

    fn open_stream(&self, title: Option<&str>) -> Result<Stream, HostError> {
        let title = to_c_opt(title);
        let mut id = 0u64;
        self.call(|a| a.stream_start, |f, raw| unsafe { f(raw, ptr_or_null(&title), &mut id) })?;
        let stream = Stream::new(self.clone(), id);
        self.track_stream(id, stream.cancel_token(), stream.host_ended_flag());
        Ok(stream)
    }

    /// Answers a pending `handle_message` request (used by [`Responder`](crate::Responder)).
    pub(crate) fn reply(&self, request_id: u64, status: ffi::PiStatus, text: Option<&str>) -> Result<(), HostError> {
        let text = to_c_opt(text);
        self.call(|a| a.reply, |f, raw| unsafe { f(raw, request_id, status, ptr_or_null(&text)) }).map(drop)
    }

    /// True once the host started destroying the instance: long-running threads should stop.
    /// [`Host::sleep`] and every stream's [`CancelToken`] wake up at that moment.
    pub fn is_closing(&self) -> bool {
        self.shared.closing.load(Ordering::Acquire)
    }

    /// Starts a thread the SDK joins before the instance is destroyed. Check
    /// [`Host::is_closing`] in loops so destroy does not wait long. A panic in the thread is
    /// caught and logged through the host. Fails with `Closed` once destroy began.
    pub fn spawn(&self, work: impl FnOnce() + Send + 'static) -> Result<(), HostError> {
        let mut threads = self.shared.threads.lock().unwrap_or_else(|e| e.into_inner());
        if self.is_closing() {
            return Err(ErrorCode::Closed);
        }
        threads.retain(|t| !t.is_finished());
        let host = self.clone();
        let handle = std::thread::Builder::new()
            .name("plugin-worker".into())
            .spawn(move || {
                if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
                    let why = crate::guard::panic_message(payload.as_ref());
                    let _ = host.log(Level::Error, &format!("a plugin thread panicked: {why}"));
                }
            })
            .map_err(|_| ErrorCode::LimitExceeded)?;
        threads.push(handle);
        Ok(())
    }

    /// Destroy, first half: raise `is_closing` and join every thread from [`Host::spawn`]
    /// (including threads those threads spawned). The table stays usable meanwhile.
    pub(crate) fn begin_close(&self) {
        self.shared.closing.store(true, Ordering::Release);
        {
            // Taking the lock orders this wake-up after any sleeper's closing check.
            let _guard = lock(&self.shared.sleepers.0);
            self.shared.sleepers.1.notify_all();
        }
        self.shared.closing_token.cancel();
        let open: Vec<CancelToken> = lock(&self.shared.cancels).drain().map(|(_, (t, _))| t).collect();
        for token in open {
            token.cancel();
        }
        loop {
            let batch = std::mem::take(&mut *self.shared.threads.lock().unwrap_or_else(|e| e.into_inner()));
            if batch.is_empty() {
                break;
            }
            for handle in batch {
                let _ = handle.join();
            }
        }
    }

    /// Destroy, second half: wait for host calls in flight, then refuse all further calls.
    pub(crate) fn finish_close(&self) {
        *self.shared.closed.write().unwrap_or_else(|e| e.into_inner()) = true;
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").field("closing", &self.is_closing()).finish_non_exhaustive()
    }
}
