//! One plugin instance: its host table (whose `host_data` points back here), the plugin pointer
//! behind a call lock (calls into one instance never overlap), and the host-owned state (lifecycle,
//! frame, history, streams, pending replies) behind a state lock that host services take.

use crate::bus::CreditToken;
use crate::config::PluginConfig;
use crate::error::{HostError, HostResult};
use crate::events::{
    FrontendEvent, HistoryMessage, InstanceInfo, InstanceTruncation, StreamEvent, StreamInfo,
    UiNode, Who,
};
use crate::library::LoadedLibrary;
use crate::limits::{
    MAX_HISTORY_BYTES, MAX_HISTORY_ENTRIES, MAX_PLUGIN_BYTES, MAX_SET_HISTORY_BYTES,
    MAX_SNAPSHOT_BYTES, MAX_STREAM_BYTES,
};
use crate::time::{iso, now_ms};
use plugin_interfaces::ffi;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::ffi::{CStr, c_void};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};

/// What the call lock guards: the plugin's instance pointer and its library.
pub struct Call {
    pub plugin: *mut c_void,
    pub lib: Option<Arc<LoadedLibrary>>,
}

// SAFETY: the plugin pointer is only used under the call lock, one thread at a time, as the ABI
// allows ("never concurrently for one instance").
unsafe impl Send for Call {}

impl Call {
    /// The vtable, while the library is loaded.
    pub fn vtable(&self) -> Option<&'static ffi::PiPluginVTable> {
        self.lib.as_ref().map(|l| l.vtable)
    }
}

/// A deferred reply being waited for.
pub struct Pending {
    /// The chain of instances this request runs in (for the inter-plugin cycle guard).
    pub chain: Vec<String>,
    pub result: Option<HostResult<Option<String>>>,
}

/// One stream, owned by the host.
pub struct Stream {
    pub handle: u64,
    pub info: StreamInfo,
    pub seq: u64,
    pub credit: Arc<AtomicI64>,
}

/// The host-owned state of an instance.
pub struct State {
    pub lifecycle: &'static str,
    pub revision: u64,
    pub tree: Vec<UiNode>,
    pub history: Vec<HistoryMessage>,
    pub streams: Vec<Stream>,
    pub settings: Map<String, Value>,
    pub error: Option<HostError>,
    pub pending: HashMap<u64, Pending>,
    /// UTF-8 bytes of the kept history (contents and errors), for `MAX_HISTORY_BYTES`.
    history_bytes: u64,
    /// The bytes every instance of this plugin keeps in its history, for `MAX_PLUGIN_BYTES`
    /// (shared by the instances of one plugin; this state adds and takes away its own).
    plugin_bytes: Arc<AtomicU64>,
    /// Entries dropped by the history bounds.
    pub history_dropped: u64,
    next_stream: u64,
    next_entry: u64,
}

/// One plugin instance.
pub struct Instance {
    pub id: String,
    pub plugin_id: String,
    pub config: PluginConfig,
    pub api: ffi::PiHostApi,
    pub call: Mutex<Call>,
    pub st: Mutex<State>,
    pub cond: Arc<Condvar>,
    /// Wakes plugin threads in stream_wait (credit back, stream state changed, destroyed).
    pub wake: Arc<crate::bus::Wake>,
    /// Set after destroy returned: host calls then answer CLOSED.
    pub closed: AtomicBool,
    /// A refresh was requested and not yet drawn (requests coalesce).
    pub refresh_pending: AtomicBool,
    /// The values of its secret settings that are set, redacted from log lines and errors (a lock
    /// of its own: log lines are written while the state lock may be held).
    pub secrets: Mutex<Vec<String>>,
    pub(crate) host: Weak<crate::host::Inner>,
}

// SAFETY: the only non-thread-safe fields are the host table (immutable after construction; its
// host_data points at this instance) and the plugin pointer inside the call lock (see Call).
unsafe impl Send for Instance {}
unsafe impl Sync for Instance {}

impl Instance {
    /// A new instance (state `created`) whose host table points back at it.
    pub fn new(
        id: String,
        config: PluginConfig,
        settings: Map<String, Value>,
        history: Vec<HistoryMessage>,
        host: Weak<crate::host::Inner>,
        api: ffi::PiHostApi,
        plugin_bytes: Arc<AtomicU64>,
    ) -> Arc<Instance> {
        let history_bytes = history.iter().map(entry_bytes).sum();
        // Streams of an earlier build (carried over by a reload) keep their ids: number on after them.
        let stream_prefix = format!("{id}/s");
        let next_stream = history
            .iter()
            .filter_map(|h| h.id.strip_prefix(&stream_prefix)?.parse::<u64>().ok())
            .max()
            .map_or(1, |n| n + 1);
        plugin_bytes.fetch_add(history_bytes, Ordering::SeqCst);
        let secrets = crate::settings::secret_values(&config.setting_specs(), &settings);
        Arc::new_cyclic(|me: &Weak<Instance>| {
            let mut api = api;
            api.host_data = me.as_ptr() as *mut c_void;
            Instance {
                id,
                plugin_id: config.plugin.id.clone(),
                config,
                api,
                call: Mutex::new(Call {
                    plugin: std::ptr::null_mut(),
                    lib: None,
                }),
                st: Mutex::new(State {
                    lifecycle: "created",
                    revision: 0,
                    tree: Vec::new(),
                    history,
                    streams: Vec::new(),
                    settings,
                    error: None,
                    pending: HashMap::new(),
                    history_bytes,
                    plugin_bytes,
                    history_dropped: 0,
                    next_stream,
                    next_entry: 1,
                }),
                cond: Arc::new(Condvar::new()),
                wake: Arc::new(crate::bus::Wake::default()),
                closed: AtomicBool::new(false),
                refresh_pending: AtomicBool::new(false),
                secrets: Mutex::new(secrets),
                host,
            }
        })
    }

    /// Wake everything waiting on this instance: deferred replies and stream_wait.
    pub fn notify(&self) {
        self.cond.notify_all();
        self.wake.bump();
    }

    /// `text` with the values of this instance's secret settings replaced by `[secret]`.
    pub fn redact(&self, text: &str) -> String {
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        crate::settings::redact(text, &secrets)
    }

    /// The error with this instance's secret values removed.
    pub fn scrub(&self, e: HostError) -> HostError {
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        crate::settings::redact_error(e, &secrets)
    }

    /// Remember the secret values of new settings (call after they were applied).
    pub fn keep_secret_values(&self, values: &Map<String, Value>) {
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        *secrets = crate::settings::secret_values(&self.config.setting_specs(), values);
    }

    /// The state lock (a poisoned lock is still usable: state stays consistent per call).
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The call lock.
    pub fn lock_call(&self) -> MutexGuard<'_, Call> {
        self.call.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `who` of this instance's events.
    pub fn who(&self) -> Who {
        Who {
            plugin_id: self.plugin_id.clone(),
            instance_id: self.id.clone(),
            timestamp: now_ms() as u64,
        }
    }

    /// The instance whose host table this is (NULL or closed: None).
    ///
    /// # Safety
    /// `host` must be NULL or a table this host made; instances are never freed while the host
    /// lives (unloaded ones are kept), so the pointer stays valid.
    pub unsafe fn from_api(host: *const ffi::PiHostApi) -> Option<Arc<Instance>> {
        if host.is_null() {
            return None;
        }
        let p = unsafe { (*host).host_data } as *const Instance;
        if p.is_null() {
            return None;
        }
        // SAFETY: p came from an Arc<Instance> that is still alive (see above).
        unsafe {
            Arc::increment_strong_count(p);
            Some(Arc::from_raw(p))
        }
    }

    pub(crate) fn bus(&self) -> Option<Arc<crate::host::Inner>> {
        self.host.upgrade()
    }

    /// Emit an event (under the state lock the caller holds, so order follows state changes).
    pub fn emit(&self, event: FrontendEvent, credit: Option<CreditToken>) {
        if let Some(h) = self.bus() {
            h.bus.emit(event, credit);
        }
    }

    /// A view of the instance within `MAX_SNAPSHOT_BYTES` of JSON (see `info_within`).
    pub fn info(&self) -> InstanceInfo {
        self.info_within(MAX_SNAPSHOT_BYTES as usize)
    }

    /// A view of the instance within `max_bytes` of JSON, as host-node builds it: the UI tree
    /// (left out when it alone does not fit), then streams – open ones first, newest first – in up
    /// to half of the room left, each text cut to its tail to fit (`dropped_bytes` counts the cut),
    /// then the newest history entries that fit. What was left out is counted in `truncated`.
    pub fn info_within(&self, max_bytes: usize) -> InstanceInfo {
        let st = self.state();
        let mut info = InstanceInfo {
            instance_id: self.id.clone(),
            plugin_id: self.plugin_id.clone(),
            state: st.lifecycle.to_string(),
            revision: st.revision,
            tree: Vec::new(),
            history: Vec::new(),
            streams: Vec::new(),
            settings: crate::settings::mask_secrets(&self.config.setting_specs(), &st.settings),
            error: st.error.clone(),
            truncated: None,
        };
        let bare = json_len(&info) + VIEW_SLACK;
        let tree_left_out = bare + json_len(&st.tree) > max_bytes;
        if !tree_left_out {
            info.tree = st.tree.clone();
        }
        let mut room = max_bytes.saturating_sub(json_len(&info) + VIEW_SLACK);
        let streams = view_streams(&st.streams, room / 2);
        room = room.saturating_sub(streams.iter().map(|s| json_len(s) + 1).sum::<usize>());
        info.streams = streams;
        let page = st.page(None, usize::MAX, room);
        info.history = page.messages;
        if page.more > 0 || st.history_dropped > 0 || tree_left_out {
            info.truncated = Some(InstanceTruncation {
                history: page.more,
                dropped: st.history_dropped,
                tree: tree_left_out,
            });
        }
        info
    }
}

/// Room left for a view's JSON punctuation (as host-node's `VIEW_SLACK`).
pub const VIEW_SLACK: usize = 256;

/// Least room a shown stream gets, so many streams still show the newest instead of none.
const MIN_STREAM_VIEW_BYTES: usize = 512;

/// Bytes of `value` as JSON.
pub fn json_len<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_string(value).map_or(0, |j| j.len())
}

/// The streams a view shows within `max_bytes`: open ones (newest first), then the newest ended
/// ones; each text cut to a fair share of what is left. Returned oldest first.
fn view_streams(streams: &[Stream], max_bytes: usize) -> Vec<StreamInfo> {
    let open = |s: &&Stream| s.info.state == "active" || s.info.state == "paused";
    let ordered: Vec<&Stream> = streams
        .iter()
        .rev()
        .filter(open)
        .chain(streams.iter().rev().filter(|s| !open(s)))
        .take((max_bytes / MIN_STREAM_VIEW_BYTES).max(1))
        .collect();
    let mut list: Vec<StreamInfo> = Vec::new();
    let mut used = 0;
    for s in &ordered {
        let share = (max_bytes.saturating_sub(used)) / (ordered.len() - list.len()).max(1);
        let mut view = StreamInfo {
            content: String::new(),
            ..s.info.clone()
        };
        let bare = json_len(&view) + 32;
        if bare > share {
            break;
        }
        let text = &s.info.content;
        let allow = share - bare;
        let mut cut = text.len().saturating_sub(allow);
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        view.content = text[cut..].to_string();
        if cut > 0 {
            view.dropped_bytes = Some(s.info.dropped_bytes.unwrap_or(0) + cut as u64);
        }
        used += json_len(&view) + 1;
        list.push(view);
    }
    list.reverse();
    list
}

impl Drop for State {
    /// An instance that never got released (its creation failed) gives its bytes back too.
    fn drop(&mut self) {
        self.plugin_bytes
            .fetch_sub(self.history_bytes, Ordering::SeqCst);
    }
}

impl State {
    /// A new history entry id for this instance.
    pub fn entry_id(&mut self, instance: &str) -> String {
        let n = self.next_entry;
        self.next_entry += 1;
        format!("{instance}/h{n}")
    }

    /// Append a history entry.
    pub fn append(
        &mut self,
        inst: &Instance,
        role: &str,
        content: &str,
        status: &str,
        message_type: Option<&str>,
        error: Option<String>,
    ) -> HistoryMessage {
        let entry = HistoryMessage {
            id: self.entry_id(&inst.id),
            kind: "normal".into(),
            status: status.into(),
            content: content.into(),
            plugin_id: inst.plugin_id.clone(),
            role: role.into(),
            created_at: iso(now_ms()),
            message_type: message_type.map(str::to_string),
            error,
            dropped_bytes: None,
        };
        self.grow_bytes(entry_bytes(&entry));
        self.history.push(entry.clone());
        self.trim_history();
        entry
    }

    /// The newest `limit` entries older than the entry `before` (all kept entries when absent; an
    /// unknown `before` gives an empty page), within `max_bytes` of JSON, oldest first.
    pub fn page(
        &self,
        before: Option<&str>,
        limit: usize,
        max_bytes: usize,
    ) -> crate::events::HistoryPage {
        let end = match before {
            None => self.history.len(),
            Some(id) => self.history.iter().position(|h| h.id == id).unwrap_or(0),
        };
        let mut messages = Vec::new();
        let mut used = 0;
        let mut i = end;
        while i > 0 && messages.len() < limit {
            let size = serde_json::to_string(&self.history[i - 1]).map_or(0, |j| j.len()) + 1;
            if used + size > max_bytes {
                break;
            }
            used += size;
            messages.push(self.history[i - 1].clone());
            i -= 1;
        }
        messages.reverse();
        crate::events::HistoryPage {
            messages,
            more: i as u64,
            dropped: self.history_dropped,
        }
    }

    /// Empty the history on request (`clear_history`): every entry goes except those of streams
    /// still open (active or paused), which stay so their next chunks land in place. The dropped
    /// count starts again from 0 (the user chose to forget). Returns how many entries went.
    pub fn clear_history(&mut self) -> usize {
        let before = self.history.len();
        self.history
            .retain(|h| h.kind == "streaming" && (h.status == "active" || h.status == "paused"));
        let kept: u64 = self.history.iter().map(entry_bytes).sum();
        self.shrink_bytes(self.history_bytes - kept);
        self.history_dropped = 0;
        before - self.history.len()
    }

    /// Free the frame, history and streams of a destroyed instance.
    pub fn release(&mut self) {
        self.tree = Vec::new();
        self.history = Vec::new();
        self.streams = Vec::new();
        self.shrink_bytes(self.history_bytes);
    }

    /// Count `n` more bytes kept, here and in the plugin's total.
    fn grow_bytes(&mut self, n: u64) {
        self.history_bytes += n;
        self.plugin_bytes.fetch_add(n, Ordering::SeqCst);
    }

    /// Count `n` bytes no longer kept, here and in the plugin's total.
    fn shrink_bytes(&mut self, n: u64) {
        self.history_bytes -= n;
        self.plugin_bytes.fetch_sub(n, Ordering::SeqCst);
    }

    /// Drop the oldest entries past `MAX_HISTORY_ENTRIES` / `MAX_HISTORY_BYTES`, and while the
    /// plugin's instances together keep more than `MAX_PLUGIN_BYTES` (never the newest entry).
    /// Over the plugin budget, the history that grew gives way, down to its newest entry (host-node
    /// drops from the plugin's largest history; here an instance never takes another one's lock).
    fn trim_history(&mut self) {
        let mut drop = 0;
        let mut freed = 0;
        let plugin = self.plugin_bytes.load(Ordering::SeqCst);
        while self.history.len() - drop > 1
            && (self.history.len() - drop > MAX_HISTORY_ENTRIES as usize
                || self.history_bytes - freed > MAX_HISTORY_BYTES
                || plugin.saturating_sub(freed) > MAX_PLUGIN_BYTES)
        {
            freed += entry_bytes(&self.history[drop]);
            drop += 1;
        }
        if drop > 0 {
            self.history.drain(..drop);
            self.shrink_bytes(freed);
            self.history_dropped += drop as u64;
        }
    }

    /// The history JSON for set_history: the newest entries within `MAX_SET_HISTORY_BYTES`.
    pub fn history_json(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut size = 2;
        for entry in self.history.iter().rev() {
            let json = serde_json::to_string(entry).unwrap_or_default();
            if size + json.len() + 1 > MAX_SET_HISTORY_BYTES as usize && !parts.is_empty() {
                break;
            }
            size += json.len() + 1;
            parts.push(json);
        }
        parts.reverse();
        format!("[{}]", parts.join(","))
    }

    /// Open a stream; returns its handle.
    pub fn open_stream(&mut self, inst: &Instance, title: Option<String>, window: i64) -> u64 {
        let handle = self.next_stream;
        self.next_stream += 1;
        let stream_id = format!("{}/s{handle}", inst.id);
        self.history.push(HistoryMessage {
            id: stream_id.clone(),
            kind: "streaming".into(),
            status: "active".into(),
            content: String::new(),
            plugin_id: inst.plugin_id.clone(),
            role: "plugin".into(),
            created_at: iso(now_ms()),
            message_type: None,
            error: None,
            dropped_bytes: None,
        });
        self.trim_history();
        self.streams.push(Stream {
            handle,
            info: StreamInfo {
                stream_id: stream_id.clone(),
                state: "active".into(),
                content: String::new(),
                title: title.clone(),
                error: None,
                dropped_bytes: None,
            },
            seq: 0,
            credit: Arc::new(AtomicI64::new(window)),
        });
        inst.emit(
            FrontendEvent::Stream {
                who: inst.who(),
                stream: StreamEvent::StreamStart { stream_id, title },
            },
            None,
        );
        handle
    }

    /// The stream with this handle or stream id.
    pub fn stream(&mut self, handle: u64) -> Option<&mut Stream> {
        self.streams.iter_mut().find(|s| s.handle == handle)
    }

    /// Set a stream's state, its history entry's status (and error) alike.
    pub fn set_stream_state(&mut self, handle: u64, state: &str, error: Option<String>) {
        let Some(s) = self.streams.iter_mut().find(|s| s.handle == handle) else {
            return;
        };
        s.info.state = state.into();
        if error.is_some() {
            s.info.error = error.clone();
        }
        let id = s.info.stream_id.clone();
        if let Some(h) = self.history.iter_mut().rev().find(|h| h.id == id) {
            h.status = state.into();
            if error.is_some() {
                h.error = error;
            }
        }
    }

    /// Append a chunk to a stream and its history entry; both keep the newest
    /// `MAX_STREAM_BYTES` (cut at a character boundary) and count what they dropped.
    pub fn add_chunk(&mut self, handle: u64, chunk: &str) -> Option<(String, u64)> {
        let s = self.streams.iter_mut().find(|s| s.handle == handle)?;
        s.info.content.push_str(chunk);
        let over = s
            .info
            .content
            .len()
            .saturating_sub(MAX_STREAM_BYTES as usize);
        let cut = (over..=s.info.content.len())
            .find(|&i| s.info.content.is_char_boundary(i))
            .unwrap_or(0);
        if cut > 0 {
            s.info.content.drain(..cut);
            s.info.dropped_bytes = Some(s.info.dropped_bytes.unwrap_or(0) + cut as u64);
        }
        let seq = s.seq;
        s.seq += 1;
        let id = s.info.stream_id.clone();
        let dropped = s.info.dropped_bytes;
        if let Some(h) = self.history.iter_mut().rev().find(|h| h.id == id) {
            h.content.push_str(chunk);
            h.content.drain(..cut);
            h.dropped_bytes = dropped;
            self.grow_bytes(chunk.len() as u64);
            self.shrink_bytes(cut as u64);
        }
        self.trim_history();
        Some((id, seq))
    }
}

/// Bytes an entry counts against the history budget.
fn entry_bytes(e: &HistoryMessage) -> u64 {
    (e.content.len() + e.error.as_ref().map_or(0, String::len)) as u64
}

/// The text of a PiError envelope.
pub fn error_text(err: &ffi::PiError) -> String {
    let bytes: Vec<u8> = err
        .message
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A fresh error envelope.
pub fn new_error() -> ffi::PiError {
    // SAFETY: PiError is plain data; all-zero is a valid empty envelope.
    let mut e: ffi::PiError = unsafe { std::mem::zeroed() };
    e.struct_size = std::mem::size_of::<ffi::PiError>() as u32;
    e
}

/// Copy and release a plugin-owned string.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string this plugin returned, not yet released.
pub unsafe fn take_plugin_string(
    vtable: &ffi::PiPluginVTable,
    s: *mut std::ffi::c_char,
) -> Option<String> {
    if s.is_null() {
        return None;
    }
    let out = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    if let Some(free) = vtable.free_string {
        unsafe { free(s) };
    }
    Some(out)
}

/// Whether the instance is closed (for host services).
pub fn is_closed(inst: &Instance) -> bool {
    inst.closed.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> Arc<Instance> {
        instance_counting(Arc::new(AtomicU64::new(0)))
    }

    fn instance_counting(plugin_bytes: Arc<AtomicU64>) -> Arc<Instance> {
        let config = crate::config::parse_config(
            "[plugin]\nid = \"t\"\nname = \"T\"\nversion = \"0.1.0\"\ndescription = \"d\"\nlibrary = \"t\"\nabi = \"1.0\"\n",
            "config.toml",
        )
        .unwrap();
        Instance::new(
            "i".into(),
            config,
            Map::new(),
            Vec::new(),
            Weak::new(),
            crate::services::host_api(),
            plugin_bytes,
        )
    }

    #[test]
    fn history_keeps_the_newest_max_history_entries() {
        let inst = instance();
        let mut st = inst.state();
        for n in 0..MAX_HISTORY_ENTRIES + 5 {
            st.append(&inst, "user", &n.to_string(), "completed", None, None);
        }
        assert_eq!(st.history.len() as u64, MAX_HISTORY_ENTRIES);
        assert_eq!(st.history_dropped, 5);
        assert_eq!(st.history[0].content, "5");
    }

    #[test]
    fn history_drops_the_oldest_entries_past_max_history_bytes_but_keeps_the_newest() {
        let inst = instance();
        let mut st = inst.state();
        let big = "x".repeat((MAX_HISTORY_BYTES / 2) as usize);
        st.append(&inst, "user", "old", "completed", None, None);
        st.append(&inst, "user", &big, "completed", None, None);
        st.append(&inst, "user", &big, "completed", None, None);
        assert_eq!(st.history.len(), 2, "the small old entry went first");
        let huge = "y".repeat(MAX_HISTORY_BYTES as usize + 1);
        st.append(&inst, "user", &huge, "completed", None, None);
        assert_eq!(
            st.history.len(),
            1,
            "an entry over the budget alone is still kept"
        );
    }

    #[test]
    fn a_view_stays_within_its_bytes_newest_history_first_and_says_what_it_left_out() {
        let inst = instance();
        {
            let mut st = inst.state();
            let kib = "k".repeat(1024);
            for n in 0..3000 {
                st.append(
                    &inst,
                    "user",
                    &format!("{n}:{kib}"),
                    "completed",
                    None,
                    None,
                );
            }
            let s = st.open_stream(&inst, None, 10);
            st.add_chunk(s, &"é".repeat(50_000)).unwrap();
        }
        let view = inst.info();
        assert!(json_len(&view) <= MAX_SNAPSHOT_BYTES as usize);
        let t = view.truncated.clone().expect("a truncated view says so");
        assert!(t.history > 0 && !t.tree);
        assert_eq!(t.history as usize + view.history.len(), 3001);
        assert_eq!(
            view.history.last().unwrap().kind,
            "streaming",
            "the newest entry is kept"
        );
        assert_eq!(view.streams[0].content.len(), 100_000);
        // A small view cuts the stream's text to its tail, on a character boundary, and counts it.
        let small = inst.info_within(8192);
        assert!(json_len(&small) <= 8192);
        let stream = &small.streams[0];
        assert!(!stream.content.is_empty() && stream.content.chars().all(|c| c == 'é'));
        assert_eq!(
            stream.content.len() as u64 + stream.dropped_bytes.unwrap(),
            100_000
        );
        assert!(small.truncated.unwrap().history > 0);
    }

    #[test]
    fn the_instances_of_one_plugin_keep_at_most_max_plugin_bytes_together() {
        let total = Arc::new(AtomicU64::new(0));
        let instances: Vec<Arc<Instance>> =
            (0..5).map(|_| instance_counting(total.clone())).collect();
        let entry = "p".repeat(128 * 1024);
        for inst in &instances {
            let mut st = inst.state();
            for _ in 0..(MAX_HISTORY_BYTES as usize / entry.len()) {
                st.append(inst, "user", &entry, "completed", None, None);
            }
        }
        let kept: u64 = instances.iter().map(|i| i.state().history_bytes).sum();
        assert_eq!(
            kept,
            total.load(Ordering::SeqCst),
            "the shared total is exact"
        );
        // Never the newest entry: the total may pass the budget by the newest entry that grew.
        assert!(
            kept <= MAX_PLUGIN_BYTES + entry.len() as u64,
            "{kept} > {MAX_PLUGIN_BYTES} + one entry"
        );
        assert!(
            kept > MAX_PLUGIN_BYTES - entry.len() as u64 * 2,
            "only the excess went"
        );
        let last = instances[4].state().history_bytes;
        assert!(last < MAX_HISTORY_BYTES, "the history that grew gave way");
        instances[0].state().release();
        assert_eq!(total.load(Ordering::SeqCst), kept - MAX_HISTORY_BYTES);
        drop(instances);
        assert_eq!(
            total.load(Ordering::SeqCst),
            0,
            "dropped states give their bytes back"
        );
    }

    #[test]
    fn streams_after_a_reload_number_on_after_those_in_the_carried_history() {
        let old = instance();
        let carried = {
            let mut st = old.state();
            for _ in 0..3 {
                let h = st.open_stream(&old, None, 10);
                st.set_stream_state(h, "completed", None);
            }
            st.history.clone()
        };
        let config = old.config.clone();
        let fresh = Instance::new(
            "i".into(),
            config,
            Map::new(),
            carried,
            Weak::new(),
            crate::services::host_api(),
            Arc::new(AtomicU64::new(0)),
        );
        let mut st = fresh.state();
        let h = st.open_stream(&fresh, None, 10);
        assert_eq!(h, 4);
        let ids: Vec<&str> = st.history.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["i/s1", "i/s2", "i/s3", "i/s4"]);
    }

    #[test]
    fn clear_history_keeps_only_open_streams_and_their_bytes() {
        let inst = instance();
        let mut st = inst.state();
        st.append(&inst, "user", "hello", "completed", None, None);
        let ended = st.open_stream(&inst, None, 10);
        st.add_chunk(ended, "old").unwrap();
        st.set_stream_state(ended, "completed", None);
        let open = st.open_stream(&inst, None, 10);
        st.add_chunk(open, "ab").unwrap();
        st.append(&inst, "plugin", "bye", "completed", None, None);
        assert_eq!(st.clear_history(), 3);
        assert_eq!(st.history.len(), 1);
        assert_eq!(st.history[0].content, "ab");
        assert_eq!(st.history_bytes, 2);
        assert_eq!(st.history_dropped, 0);
        st.add_chunk(open, "cd").unwrap();
        assert_eq!(
            st.history[0].content, "abcd",
            "the open stream's chunks land in place"
        );
    }

    #[test]
    fn a_stream_keeps_its_newest_max_stream_bytes_and_counts_the_rest() {
        let inst = instance();
        let mut st = inst.state();
        let h = st.open_stream(&inst, None, 10);
        let chunk = "é".repeat(1000); // 2 bytes per character: cuts must land on boundaries
        let chunks = MAX_STREAM_BYTES as usize / chunk.len() + 3;
        for _ in 0..chunks {
            st.add_chunk(h, &chunk).unwrap();
        }
        let s = &st.streams[0].info;
        assert!(s.content.len() as u64 <= MAX_STREAM_BYTES);
        assert_eq!(
            s.content.len() as u64 + s.dropped_bytes.unwrap(),
            (chunks * chunk.len()) as u64
        );
        let entry = st.history.iter().find(|e| e.id == s.stream_id).unwrap();
        assert_eq!(
            (entry.content.len(), entry.dropped_bytes),
            (s.content.len(), s.dropped_bytes)
        );
    }

    #[test]
    fn history_pages_go_back_from_an_entry_and_count_what_is_older() {
        let inst = instance();
        let mut st = inst.state();
        let ids: Vec<String> = (0..5)
            .map(|n| {
                st.append(&inst, "user", &n.to_string(), "completed", None, None)
                    .id
            })
            .collect();
        let page = st.page(None, 2, usize::MAX);
        assert_eq!(
            page.messages
                .iter()
                .map(|m| m.content.as_str())
                .collect::<Vec<_>>(),
            ["3", "4"]
        );
        assert_eq!(page.more, 3);
        let older = st.page(Some(&ids[3]), 2, usize::MAX);
        assert_eq!(
            older
                .messages
                .iter()
                .map(|m| m.content.as_str())
                .collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert_eq!(older.more, 1);
        assert!(st.page(Some("nope"), 2, usize::MAX).messages.is_empty());
    }

    #[test]
    fn set_history_gets_the_newest_entries_that_fit_max_set_history_bytes() {
        let inst = instance();
        let mut st = inst.state();
        let big = "z".repeat((MAX_SET_HISTORY_BYTES / 3) as usize);
        for _ in 0..4 {
            st.append(&inst, "user", &big, "completed", None, None);
        }
        st.append(&inst, "user", "last", "completed", None, None);
        let json = st.history_json();
        assert!(json.len() as u64 <= MAX_SET_HISTORY_BYTES);
        let list: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list.last().unwrap()["content"], "last");
    }
}
