//! `PluginHost`: discovery, loading, the lifecycle state machine, messages, UI events, streams
//! controls, settings, reload and snapshots. Calls are synchronous and thread-safe; calls into
//! one instance are serialized by its call lock, different instances run concurrently.

use crate::bus::{Delivered, EventBus};
use crate::discovery::{DiscoveredPlugin, discover_plugins, inspect_plugin};
use crate::error::{HostError, HostResult, status_name};
use crate::events::{FrontendEvent, HistoryMessage, InstanceInfo, StreamEvent, UiEvent};
use crate::frames::{check_ui_event, render};
use crate::instance::{Instance, error_text, new_error};
use crate::library::{LoadedLibrary, load_library};
use crate::lifecycle::{
    check_state, destroy, disconnect_instance, end_open_streams, lifecycle_call, log_line,
    set_state,
};
use crate::limits::MAX_REPLY_BYTES;
use crate::messages::{deliver_message, send_history};
use crate::settings::{default_settings, validate_settings};
use crate::worker::{Work, worker};
use plugin_interfaces::ffi;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

thread_local! {
    /// Host→plugin calls running on this thread (stream_wait refuses to block inside one).
    pub(crate) static IN_CALL: Cell<u32> = const { Cell::new(0) };
    /// Instances whose handle_message runs on this thread, outermost first (the call chain).
    pub(crate) static CHAIN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Where log lines go: `(level, "[plugin/instance] text")`.
pub type Logger = Box<dyn Fn(&str, &str) + Send + Sync>;

/// Host options.
pub struct HostOptions {
    /// Folders whose immediate subfolders are plugin folders.
    pub plugin_dirs: Vec<PathBuf>,
    /// The application config plugins may read (per `[permissions] app_config`).
    pub app_config: Map<String, Value>,
    /// Longest wait for a deferred (PENDING) reply.
    pub reply_timeout: Duration,
    /// Log sink; default: stderr.
    pub logger: Logger,
}

impl HostOptions {
    /// Options for these plugin folders, with defaults for the rest.
    pub fn new(plugin_dirs: Vec<PathBuf>) -> Self {
        HostOptions {
            plugin_dirs,
            app_config: Map::new(),
            reply_timeout: Duration::from_millis(crate::limits::REQUEST_TIMEOUT_MS),
            logger: Box::new(|level, line| eprintln!("{level}: {line}")),
        }
    }
}

/// What a message returned.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageResult {
    pub request_id: String,
    pub reply: Option<String>,
}

/// Shared host state (instances point back at it).
pub struct Inner {
    pub(crate) bus: EventBus,
    pub(crate) app_config: Mutex<Map<String, Value>>,
    pub(crate) logger: Logger,
    dirs: Vec<PathBuf>,
    plugins: Mutex<Vec<DiscoveredPlugin>>,
    libraries: Mutex<HashMap<String, Arc<LoadedLibrary>>>,
    instances: Mutex<Vec<Arc<Instance>>>,
    /// Unloaded instances: kept so a late call through their table finds CLOSED, not freed memory.
    graveyard: Mutex<Vec<Arc<Instance>>>,
    /// Bytes of history kept by all instances of each plugin (`MAX_PLUGIN_BYTES`).
    plugin_bytes: Mutex<HashMap<String, Arc<AtomicU64>>>,
    pub(crate) next_request: AtomicU64,
    pub(crate) reply_timeout: Duration,
    pub(crate) work: Mutex<Option<Sender<Work>>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The Rust host.
pub struct PluginHost {
    inner: Arc<Inner>,
}

/// Run a host→plugin call with the in-call marker set.
pub(crate) fn in_call<R>(f: impl FnOnce() -> R) -> R {
    IN_CALL.with(|c| c.set(c.get() + 1));
    let r = f();
    IN_CALL.with(|c| c.set(c.get() - 1));
    r
}

/// A failed entry-point call as PLUGIN_CALL_FAILED, with the instance's secret values redacted.
pub(crate) fn plugin_error(
    inst: &Instance,
    entry: &str,
    status: ffi::PiStatus,
    err: &ffi::PiError,
) -> HostError {
    let text = inst.redact(&error_text(err));
    let message = if text.is_empty() {
        format!("{entry} failed with {}", status_name(status))
    } else {
        text
    };
    HostError::new("PLUGIN_CALL_FAILED", message).with_detail(
        serde_json::json!({ "status": status_name(status), "statusCode": status, "entry": entry }),
    )
}

/// A reply over `MAX_REPLY_BYTES` fails its message.
pub(crate) fn too_large_reply(len: usize) -> HostError {
    HostError::new(
        "PAYLOAD_TOO_LARGE",
        format!("the reply has {len} bytes (limit {MAX_REPLY_BYTES})"),
    )
}

pub(crate) fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

impl PluginHost {
    /// Create a host and scan its plugin folders.
    pub fn new(options: HostOptions) -> PluginHost {
        let (tx, rx) = channel::<Work>();
        let inner = Arc::new(Inner {
            bus: EventBus::default(),
            app_config: Mutex::new(options.app_config),
            logger: options.logger,
            dirs: options.plugin_dirs,
            plugins: Mutex::new(Vec::new()),
            libraries: Mutex::new(HashMap::new()),
            instances: Mutex::new(Vec::new()),
            graveyard: Mutex::new(Vec::new()),
            plugin_bytes: Mutex::new(HashMap::new()),
            next_request: AtomicU64::new(1),
            reply_timeout: options.reply_timeout,
            work: Mutex::new(Some(tx)),
        });
        let weak = Arc::downgrade(&inner);
        std::thread::Builder::new()
            .name("pi-host-work".into())
            .spawn(move || worker(weak, rx))
            .expect("spawn the host worker thread");
        let host = PluginHost { inner };
        host.rescan();
        host
    }

    /// Scan the plugin folders again; running instances keep their library.
    pub fn rescan(&self) -> Vec<DiscoveredPlugin> {
        let found = discover_plugins(&self.inner.dirs);
        *lock(&self.inner.plugins) = found.clone();
        found
    }

    /// Every discovered plugin (usable ones have no `error`).
    pub fn plugins(&self) -> Vec<DiscoveredPlugin> {
        lock(&self.inner.plugins).clone()
    }

    /// A subscription to every event from now on. Drop each `Delivered` when handled.
    pub fn subscribe(&self) -> Receiver<Delivered> {
        self.inner.bus.subscribe()
    }

    /// A subscriber function called with every event on the emitting thread (see `bus::Subscriber`).
    pub fn subscribe_with(&self, f: crate::bus::Subscriber) {
        self.inner.bus.subscribe_with(f)
    }

    /// The app config plugins may read.
    pub fn app_config(&self) -> Map<String, Value> {
        lock(&self.inner.app_config).clone()
    }

    /// Write an app config value.
    pub fn set_app_config(&self, key: &str, value: Value) {
        lock(&self.inner.app_config).insert(key.to_string(), value);
    }

    fn plugin(&self, plugin_id: &str) -> HostResult<DiscoveredPlugin> {
        let p = lock(&self.inner.plugins)
            .iter()
            .find(|p| p.id == plugin_id)
            .cloned()
            .ok_or_else(|| {
                HostError::new(
                    "PLUGIN_NOT_FOUND",
                    format!("no plugin {plugin_id:?} in the plugin folders"),
                )
            })?;
        match &p.error {
            Some(e) => Err(e.clone()),
            None => Ok(p),
        }
    }

    fn library(&self, plugin: &DiscoveredPlugin) -> HostResult<Arc<LoadedLibrary>> {
        let mut libs = lock(&self.inner.libraries);
        if let Some(l) = libs.get(&plugin.id) {
            return Ok(l.clone());
        }
        let lib = Arc::new(load_library(&plugin.library_path)?);
        libs.insert(plugin.id.clone(), lib.clone());
        Ok(lib)
    }

    /// The instance with this id.
    pub(crate) fn find(&self, id: &str) -> HostResult<Arc<Instance>> {
        find_instance(&self.inner, id)
    }

    /// create → on_mount → first frame. `instance_id` None: a fresh id.
    pub fn load(
        &self,
        plugin_id: &str,
        instance_id: Option<&str>,
        settings: Option<Map<String, Value>>,
    ) -> HostResult<InstanceInfo> {
        let plugin = self.plugin(plugin_id)?;
        let config = plugin.config.clone().expect("checked plugin has a config");
        let id = match instance_id {
            Some(id) => id.to_string(),
            None => format!(
                "{plugin_id}-{}",
                self.inner.next_request.fetch_add(1, Ordering::SeqCst)
            ),
        };
        if id.is_empty() || id.len() > 128 {
            return Err(HostError::new(
                "INVALID_JSON",
                "instance ids have 1 to 128 characters",
            ));
        }
        if lock(&self.inner.instances).iter().any(|i| i.id == id) {
            return Err(HostError::new(
                "LIFECYCLE_ORDER",
                format!("instance id {id:?} is in use"),
            ));
        }
        let specs = config.setting_specs();
        let values = match settings {
            Some(v) => validate_settings(&specs, &v)
                .map_err(|p| HostError::new("SETTINGS_INVALID", p.join("; ")))?,
            None => default_settings(&specs),
        };
        let lib = self.library(&plugin)?;
        let inst = self.start(&plugin, lib, id, values, Vec::new(), false)?;
        Ok(inst.info())
    }

    /// Create an instance and run on_mount (and on_connect when `connect`), then the first frame.
    fn start(
        &self,
        plugin: &DiscoveredPlugin,
        lib: Arc<LoadedLibrary>,
        id: String,
        settings: Map<String, Value>,
        history: Vec<HistoryMessage>,
        connect: bool,
    ) -> HostResult<Arc<Instance>> {
        let config = plugin.config.clone().expect("config");
        let settings_json = Value::Object(settings.clone()).to_string();
        let inst = Instance::new(
            id.clone(),
            config.clone(),
            settings,
            history,
            Arc::downgrade(&self.inner),
            crate::services::host_api(),
            lock(&self.inner.plugin_bytes)
                .entry(config.plugin.id.clone())
                .or_default()
                .clone(),
        );
        let vt = lib.vtable;
        let strings = [
            cstring(&config.plugin.id),
            cstring(&config.plugin.name),
            cstring(&config.plugin.description),
            cstring(&config.plugin.version),
            cstring(config.plugin.author.as_deref().unwrap_or("")),
            cstring(&plugin.dir.display().to_string()),
            cstring(&plugin.library_path.display().to_string()),
            cstring(&plugin.config_path.display().to_string()),
            cstring(&id),
            cstring(&settings_json),
        ];
        let meta = ffi::PiPluginMetadata {
            struct_size: std::mem::size_of::<ffi::PiPluginMetadata>() as u32,
            abi_major: ffi::PI_ABI_MAJOR,
            abi_minor: ffi::PI_ABI_MINOR,
            id: strings[0].as_ptr(),
            name: strings[1].as_ptr(),
            description: strings[2].as_ptr(),
            version: strings[3].as_ptr(),
            author: if config.plugin.author.is_some() {
                strings[4].as_ptr()
            } else {
                std::ptr::null()
            },
            plugin_dir: strings[5].as_ptr(),
            library_path: strings[6].as_ptr(),
            config_path: strings[7].as_ptr(),
            instance_id: strings[8].as_ptr(),
            settings_json: strings[9].as_ptr(),
            require_history: config.plugin.require_history as u8,
        };
        lock(&self.inner.instances).push(inst.clone());
        let mut call = inst.lock_call();
        let mut err = new_error();
        let mut out: *mut std::ffi::c_void = std::ptr::null_mut();
        let create = vt.create.expect("checked at load");
        let status = in_call(|| unsafe { create(&inst.api, &meta, &mut out, &mut err) });
        if status != ffi::PI_STATUS_OK || out.is_null() {
            drop(call);
            self.forget(&inst);
            let text = error_text(&err);
            return Err(HostError::new(
                "CREATE_FAILED",
                if text.is_empty() {
                    format!("create failed with {}", status_name(status))
                } else {
                    text
                },
            )
            .with_detail(serde_json::json!({ "status": status_name(status) })));
        }
        call.plugin = out;
        call.lib = Some(lib);
        set_state(&inst, "created", None);
        let mounted = lifecycle_call(&inst, &call, "on_mount", vt.on_mount);
        if let Err(e) = mounted {
            let _ = lifecycle_call(&inst, &call, "on_dispose", vt.on_dispose);
            destroy(&inst, &mut call);
            drop(call);
            set_state(&inst, "destroyed", Some(e.clone()));
            self.forget(&inst);
            return Err(e);
        }
        set_state(&inst, "mounted", None);
        if connect {
            if let Err(e) = lifecycle_call(&inst, &call, "on_connect", vt.on_connect) {
                inst.state().error = Some(e);
            } else {
                set_state(&inst, "connected", None);
            }
        }
        if config.plugin.require_history && !inst.state().history.is_empty() {
            let _ = send_history(&inst, &call);
        }
        let _ = render(&inst, &call, &[]);
        Ok(inst.clone())
    }

    fn forget(&self, inst: &Arc<Instance>) {
        lock(&self.inner.instances).retain(|i| !Arc::ptr_eq(i, inst));
        lock(&self.inner.graveyard).push(inst.clone());
    }

    /// on_connect (mounted or disconnected → connected), then a frame.
    pub fn connect(&self, id: &str) -> HostResult<()> {
        let inst = self.find(id)?;
        let call = inst.lock_call();
        check_state(&inst, "connect", &["mounted", "disconnected"])?;
        lifecycle_call(
            &inst,
            &call,
            "on_connect",
            call.vtable().and_then(|v| v.on_connect),
        )?;
        set_state(&inst, "connected", None);
        let _ = render(&inst, &call, &[]);
        Ok(())
    }

    /// on_disconnect (connected → disconnected), then a frame.
    pub fn disconnect(&self, id: &str) -> HostResult<()> {
        disconnect_instance(&self.find(id)?)
    }

    /// disconnect (if connected) → on_dispose → destroy.
    pub fn unload(&self, id: &str) -> HostResult<()> {
        let inst = self.find(id)?;
        let mut call = inst.lock_call();
        check_state(&inst, "unload", &["mounted", "connected", "disconnected"])?;
        let vt = call.vtable();
        if inst.state().lifecycle == "connected" {
            let _ = lifecycle_call(
                &inst,
                &call,
                "on_disconnect",
                vt.and_then(|v| v.on_disconnect),
            );
            set_state(&inst, "disconnected", None);
        }
        let _ = lifecycle_call(&inst, &call, "on_dispose", vt.and_then(|v| v.on_dispose));
        set_state(&inst, "disposed", None);
        end_open_streams(&inst, "the instance was unloaded");
        destroy(&inst, &mut call);
        drop(call);
        set_state(&inst, "destroyed", None);
        self.forget(&inst);
        Ok(())
    }

    /// A chat message: waits for a deferred reply; fails with a typed error.
    pub fn handle_message(&self, id: &str, text: &str) -> HostResult<MessageResult> {
        let inst = self.find(id)?;
        let request = self.inner.next_request.fetch_add(1, Ordering::SeqCst);
        let result = deliver_message(&self.inner, &inst, request, text, "user");
        let reply_event = |ok: bool, content: Option<String>, error: Option<HostError>| {
            inst.emit(
                FrontendEvent::Reply {
                    who: inst.who(),
                    request_id: request.to_string(),
                    ok,
                    content,
                    error,
                },
                None,
            );
        };
        match result {
            Ok(reply) => {
                reply_event(true, reply.clone(), None);
                Ok(MessageResult {
                    request_id: request.to_string(),
                    reply,
                })
            }
            Err(e) => {
                if e.code != "LIFECYCLE_ORDER" && e.code != "PAYLOAD_TOO_LARGE" {
                    reply_event(false, None, Some(e.clone()));
                }
                Err(e)
            }
        }
    }

    /// Re-render with a UI event as the widget's return value.
    pub fn dispatch_ui_event(&self, id: &str, event: UiEvent) -> HostResult<()> {
        let inst = self.find(id)?;
        let call = inst.lock_call();
        check_state(
            &inst,
            "a UI event",
            &["mounted", "connected", "disconnected"],
        )?;
        check_ui_event(&inst.state().tree, &event)?;
        render(&inst, &call, std::slice::from_ref(&event))
    }

    /// Re-render without events.
    pub fn refresh(&self, id: &str) -> HostResult<()> {
        let inst = self.find(id)?;
        let call = inst.lock_call();
        check_state(&inst, "refresh", &["mounted", "connected", "disconnected"])?;
        render(&inst, &call, &[])
    }

    /// The user pauses, resumes or cancels a stream; delivered to the plugin's on_stream_control.
    pub fn control_stream(&self, id: &str, stream_id: &str, action: &str) -> HostResult<()> {
        let inst = self.find(id)?;
        let (handle, control) = {
            let mut st = inst.state();
            let s = st
                .streams
                .iter()
                .find(|s| s.info.stream_id == stream_id)
                .ok_or_else(|| {
                    HostError::new(
                        "STREAM_STATE",
                        format!("no stream {stream_id:?} on instance {id}"),
                    )
                })?;
            let (handle, state) = (s.handle, s.info.state.clone());
            let (allowed, next, control): (&[&str], &str, ffi::PiStreamControl) = match action {
                "pause" => (&["active"], "paused", ffi::PI_STREAM_CONTROL_PAUSE),
                "resume" => (&["paused"], "active", ffi::PI_STREAM_CONTROL_RESUME),
                "cancel" => (
                    &["active", "paused"],
                    "cancelled",
                    ffi::PI_STREAM_CONTROL_CANCEL,
                ),
                other => {
                    return Err(HostError::new(
                        "STREAM_STATE",
                        format!("unknown stream control {other:?}"),
                    ));
                }
            };
            if !allowed.contains(&state.as_str()) {
                return Err(HostError::new(
                    "STREAM_STATE",
                    format!("cannot {action} stream {stream_id} in state {state}"),
                ));
            }
            st.set_stream_state(handle, next, None);
            let sid = stream_id.to_string();
            let ev = match action {
                "pause" => StreamEvent::StreamPause { stream_id: sid },
                "resume" => StreamEvent::StreamResume { stream_id: sid },
                _ => StreamEvent::StreamCancel {
                    stream_id: sid,
                    by: "user".into(),
                },
            };
            inst.emit(
                FrontendEvent::Stream {
                    who: inst.who(),
                    stream: ev,
                },
                None,
            );
            (handle, control)
        };
        inst.notify();
        let call = inst.lock_call();
        if let (Some(f), false) = (
            call.vtable().and_then(|v| v.on_stream_control),
            call.plugin.is_null(),
        ) {
            let mut err = new_error();
            let status = in_call(|| unsafe { f(call.plugin, handle, control, &mut err) });
            if status != ffi::PI_STATUS_OK {
                log_line(
                    &inst,
                    "warn",
                    &format!(
                        "on_stream_control failed: {}",
                        plugin_error(&inst, "on_stream_control", status, &err).message
                    ),
                );
            }
        }
        Ok(())
    }

    /// Validate against `[settings]`, then apply_settings.
    pub fn set_settings(&self, id: &str, values: Map<String, Value>) -> HostResult<()> {
        let inst = self.find(id)?;
        let call = inst.lock_call();
        check_state(
            &inst,
            "set_settings",
            &["mounted", "connected", "disconnected"],
        )?;
        let specs = inst.config.setting_specs();
        let values = crate::settings::keep_secrets(&specs, &values, &inst.state().settings);
        let valid = validate_settings(&specs, &values)
            .map_err(|p| HostError::new("SETTINGS_INVALID", p.join("; ")))?;
        if let (Some(f), false) = (
            call.vtable().and_then(|v| v.apply_settings),
            call.plugin.is_null(),
        ) {
            let json = cstring(&Value::Object(valid.clone()).to_string());
            let mut err = new_error();
            let status = in_call(|| unsafe { f(call.plugin, json.as_ptr(), &mut err) });
            if status != ffi::PI_STATUS_OK {
                // The new values are not the instance's yet: redact them too.
                let e = plugin_error(&inst, "apply_settings", status, &err);
                return Err(crate::settings::redact_error(
                    e,
                    &crate::settings::secret_values(&specs, &valid),
                ));
            }
        }
        inst.keep_secret_values(&valid);
        inst.state().settings = valid;
        render(&inst, &call, &[])
    }

    /// Hot replace after a rebuild: same instance ids, settings, history and connection.
    pub fn reload(&self, plugin_id: &str) -> HostResult<Vec<InstanceInfo>> {
        let old: Vec<Arc<Instance>> = lock(&self.inner.instances)
            .iter()
            .filter(|i| i.plugin_id == plugin_id)
            .cloned()
            .collect();
        let mut keep = Vec::new();
        for inst in &old {
            let mut call = inst.lock_call();
            let (connected, settings, history) = {
                let st = inst.state();
                (
                    st.lifecycle == "connected",
                    st.settings.clone(),
                    st.history.clone(),
                )
            };
            let _ = lifecycle_call(
                inst,
                &call,
                "on_dispose",
                call.vtable().and_then(|v| v.on_dispose),
            );
            end_open_streams(inst, "the plugin was reloaded");
            destroy(inst, &mut call);
            drop(call);
            self.forget(inst);
            keep.push((inst.id.clone(), connected, settings, history));
        }
        lock(&self.inner.libraries).remove(plugin_id);
        let dir = self.plugin(plugin_id).map(|p| p.dir).or_else(|_| {
            lock(&self.inner.plugins)
                .iter()
                .find(|p| p.id == plugin_id)
                .map(|p| p.dir.clone())
                .ok_or_else(|| HostError::new("PLUGIN_NOT_FOUND", plugin_id))
        })?;
        let fresh = inspect_plugin(&dir);
        if let Some(p) = lock(&self.inner.plugins)
            .iter_mut()
            .find(|p| p.id == plugin_id)
        {
            *p = fresh.clone();
        }
        if let Some(e) = fresh.error.clone() {
            return Err(e);
        }
        let lib = self.library(&fresh)?;
        let mut out = Vec::new();
        for (id, connected, settings, history) in keep {
            out.push(
                self.start(&fresh, lib.clone(), id, settings, history, connected)?
                    .info(),
            );
        }
        Ok(out)
    }

    /// One instance's state.
    pub fn instance(&self, id: &str) -> HostResult<InstanceInfo> {
        Ok(self.find(id)?.info())
    }

    /// One page of an instance's history, oldest first: the newest `limit` entries (default all)
    /// older than the entry `before` (default: the newest), within `MAX_SNAPSHOT_BYTES`.
    pub fn history(
        &self,
        id: &str,
        before: Option<&str>,
        limit: Option<u64>,
    ) -> HostResult<crate::events::HistoryPage> {
        if limit == Some(0) {
            return Err(HostError::new(
                "INVALID_JSON",
                "history(): limit must be a positive integer",
            ));
        }
        let inst = self.find(id)?;
        let st = inst.state();
        let limit = limit.map_or(usize::MAX, |l| l as usize);
        Ok(st.page(before, limit, crate::limits::MAX_SNAPSHOT_BYTES as usize))
    }

    /// Empty an instance's history (open streams keep their entries); every client hears
    /// `plugin-history-cleared`.
    pub fn clear_history(&self, id: &str) -> HostResult<()> {
        let inst = self.find(id)?;
        let mut st = inst.state();
        st.clear_history();
        // Under the state lock, as every event: a chunk of an open stream comes after it.
        inst.emit(FrontendEvent::HistoryCleared { who: inst.who() }, None);
        drop(st);
        Ok(())
    }

    /// Every live instance, in load order (each view within `MAX_SNAPSHOT_BYTES`).
    pub fn instances(&self) -> Vec<InstanceInfo> {
        let list: Vec<Arc<Instance>> = lock(&self.inner.instances).clone();
        list.iter().map(|i| i.info()).collect()
    }

    /// The live instances' views within `max_bytes` of JSON together: each within an equal share;
    /// instances that still do not fit are left out and counted (the second value).
    pub fn instances_within(&self, max_bytes: usize) -> (Vec<InstanceInfo>, u64) {
        let list: Vec<Arc<Instance>> = lock(&self.inner.instances).clone();
        let share = max_bytes / list.len().max(1);
        let (mut views, mut used, mut left) = (Vec::new(), 0, 0);
        for inst in &list {
            let view = inst.info_within(share);
            let size = crate::instance::json_len(&view) + 1;
            if used + size > max_bytes {
                left += 1;
                continue;
            }
            used += size;
            views.push(view);
        }
        (views, left)
    }

    /// Unload every instance (idempotent).
    pub fn close(&self) {
        let ids: Vec<String> = lock(&self.inner.instances)
            .iter()
            .map(|i| i.id.clone())
            .collect();
        for id in ids {
            let _ = self.unload(&id);
        }
        lock(&self.inner.work).take();
    }
}

impl Drop for PluginHost {
    fn drop(&mut self) {
        self.close();
    }
}

pub(crate) fn find_instance(inner: &Inner, id: &str) -> HostResult<Arc<Instance>> {
    lock(&inner.instances)
        .iter()
        .find(|i| i.id == id)
        .cloned()
        .ok_or_else(|| {
            HostError::new(
                "PLUGIN_NOT_FOUND",
                format!("no instance {id:?} is loaded (not loaded or already unloaded)"),
            )
        })
}

/// Instances of a plugin that can take calls: connected first, then mounted.
pub(crate) fn resolve_target(inner: &Inner, target: &str) -> Option<Arc<Instance>> {
    let list = lock(&inner.instances).clone();
    if let Some(i) = list.iter().find(|i| i.id == target) {
        return Some(i.clone());
    }
    let of = |state: &str| {
        list.iter()
            .find(|i| i.plugin_id == target && i.state().lifecycle == state)
            .cloned()
    };
    of("connected").or_else(|| of("mounted"))
}
