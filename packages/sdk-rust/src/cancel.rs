//! [`CancelToken`]: tells a thread blocked anywhere (a socket read, a sleep) that its stream was
//! cancelled by the user or that the instance is closing.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A callback registered with [`CancelToken::on_cancel`].
type Callback = Box<dyn FnOnce() + Send + 'static>;

struct State {
    cancelled: bool,
    callbacks: Vec<Callback>,
}

struct Inner {
    state: Mutex<State>,
    wake: Condvar,
}

/// A cancellation flag shared by every clone, with callbacks that run once when it is raised.
///
/// Every [`Stream`](crate::Stream) has one ([`Stream::cancel_token`](crate::Stream::cancel_token)).
/// The SDK raises it when the user cancels the stream (the host's `on_stream_control` CANCEL,
/// before your [`Plugin::on_stream_control`](crate::Plugin::on_stream_control) runs), when a
/// write learns that the stream was cancelled, and when the instance starts closing. A thread
/// blocked somewhere else learns it through a callback, e.g. one that shuts down the socket it
/// is reading from:
///
/// ```no_run
/// # fn demo(stream: &plugin_interfaces::Stream, socket: &std::net::TcpStream) -> std::io::Result<()> {
/// let closer = socket.try_clone()?;
/// stream.cancel_token().on_cancel(move || {
///     let _ = closer.shutdown(std::net::Shutdown::Both); // the blocked read returns at once
/// });
/// # Ok(()) }
/// ```
///
/// Callbacks run on the thread that raises the token (for a user's cancel, the host's plugin
/// thread), so keep them short and non-blocking.
#[derive(Clone)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> CancelToken {
        CancelToken {
            inner: Arc::new(Inner { state: Mutex::new(State { cancelled: false, callbacks: Vec::new() }), wake: Condvar::new() }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// True once the token was raised.
    pub fn is_cancelled(&self) -> bool {
        self.state().cancelled
    }

    /// Raises the token: wakes every [`CancelToken::sleep`] and runs every registered callback
    /// once, on this thread. Raising it again does nothing.
    pub fn cancel(&self) {
        let callbacks = {
            let mut state = self.state();
            if state.cancelled {
                return;
            }
            state.cancelled = true;
            std::mem::take(&mut state.callbacks)
        };
        self.inner.wake.notify_all();
        for callback in callbacks {
            // A panicking callback must not keep the others from running.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(callback));
        }
    }

    /// Runs `callback` once when the token is raised, or right now (on this thread) when it
    /// already was.
    pub fn on_cancel(&self, callback: impl FnOnce() + Send + 'static) {
        {
            let mut state = self.state();
            if !state.cancelled {
                state.callbacks.push(Box::new(callback));
                return;
            }
        }
        callback();
    }

    /// Sleeps for `duration` unless the token is raised first. Returns `true` when the whole
    /// duration passed, `false` when it returned early because of cancellation.
    pub fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut state = self.state();
        loop {
            if state.cancelled {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            state = self.inner.wake.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn callbacks_run_once_when_raised_and_at_once_when_late() {
        let token = CancelToken::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        token.on_cancel(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        token.clone().cancel();
        token.cancel();
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(token.is_cancelled());
        let late = runs.clone();
        token.on_cancel(move || {
            late.fetch_add(10, Ordering::SeqCst);
        });
        assert_eq!(runs.load(Ordering::SeqCst), 11);
    }

    #[test]
    fn sleep_returns_false_as_soon_as_another_thread_cancels() {
        let token = CancelToken::new();
        let sleeper = token.clone();
        let started = Instant::now();
        let thread = std::thread::spawn(move || sleeper.sleep(Duration::from_secs(30)));
        token.cancel();
        assert!(!thread.join().unwrap());
        assert!(started.elapsed() < Duration::from_secs(10), "woke after {:?}", started.elapsed());
        assert!(CancelToken::new().sleep(Duration::from_millis(1)));
    }
}
