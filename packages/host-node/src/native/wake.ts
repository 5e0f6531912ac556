import koffi from 'koffi';
import { type RuntimeFunctions, Sentinel } from '../generated/runtime.js';

/** How plugin threads wake the event loop. */
export type WakeMode = 'poll' | 'wait';

/** A started wake-up channel: `ref`/`unref` follow whether anything must keep the loop alive. */
export interface WakeChannel {
  readonly mode: WakeMode;
  ref(): void;
  unref(): void;
  /** Stop listening for good (close the poll handle or cancel the waiting worker). */
  close(): void;
}

/**
 * Start delivering wake-ups from plugin threads to `onWake` on the event-loop thread. `fd` is what
 * `pi_rt_init` returned: a file descriptor to poll (POSIX), or INIT_NO_FD (Windows), in which case
 * a koffi worker waits in `pi_rt_wait_wake` on the runtime's condition variable and completes on
 * the loop. `PI_HOST_RT_WAKE=wait` selects the waiting worker on POSIX too (tests cover both).
 * No pipe is polled in wait mode: the worker sleeps until a plugin thread signals it.
 */
export function startWake(fns: RuntimeFunctions, fd: number, onWake: () => void): WakeChannel {
  const wake = () => {
    fns.notifyAck();
    onWake();
  };
  if (fd >= 0 && process.env.PI_HOST_RT_WAKE !== 'wait') {
    const poller = koffi.node.poll(fd, { readable: true }, wake);
    poller.unref();
    return {
      mode: 'poll',
      ref: () => poller.ref(),
      unref: () => poller.unref(),
      close: () => poller.close(),
    };
  }
  return waitChannel(fns, wake);
}

function waitChannel(fns: RuntimeFunctions, wake: () => void): WakeChannel {
  let wanted = false;
  let waiting = false;
  let closed = false;
  const arm = () => {
    if (waiting || !wanted || closed) return;
    waiting = true;
    // A pending koffi async call keeps the event loop alive, exactly while something holds it.
    fns.waitWake.async(0, (err, result) => {
      waiting = false;
      if (closed) return;
      if (!err && result === Sentinel.WAKE_PENDING) wake();
      arm();
    });
  };
  return {
    mode: 'wait',
    ref: () => {
      wanted = true;
      arm();
    },
    unref: () => {
      wanted = false;
      if (waiting) fns.wakeCancel();
    },
    close: () => {
      closed = true;
      wanted = false;
      if (waiting) fns.wakeCancel();
    },
  };
}
