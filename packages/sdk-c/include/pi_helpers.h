/*
 * Small conveniences for plugin authors on top of plugin_interfaces.h: filling a PiError,
 * duplicating strings with the allocator the plugin's free_string releases (malloc/free),
 * printf-style logging and chat messages, and stream cancel tokens (PiCancelSet) that reach a
 * thread blocked outside the host (a socket read, a sleep). Header-only, C11 and C++17; the
 * cancel tokens use pthreads (link with -pthread) or, on Windows, an SRW lock.
 */
#ifndef PI_HELPERS_H
#define PI_HELPERS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_interfaces.h"

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <pthread.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PI_PRINTF_FORMAT(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define PI_PRINTF_FORMAT(fmt_index, first_arg)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Cuts buf to at most len bytes without splitting a UTF-8 sequence, then terminates it. */
static inline void pi_utf8_truncate_(char* buf, size_t len) {
  size_t back = 0;
  while (back < 4 && back < len) {
    unsigned char c = (unsigned char)buf[len - 1 - back];
    if ((c & 0xC0u) != 0x80u) {
      size_t need = c < 0x80u ? 1 : (c & 0xE0u) == 0xC0u ? 2 : (c & 0xF0u) == 0xE0u ? 3 : 4;
      if (back + 1 < need) len -= back + 1; /* the last sequence is incomplete: drop it */
      break;
    }
    back++;
  }
  buf[len] = '\0';
}

/* Formats into a new malloc'd string; NULL when out of memory or the format fails. */
static inline char* pi_vformat_(const char* fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int needed = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (needed < 0) return NULL;
  char* out = (char*)malloc((size_t)needed + 1);
  if (out != NULL) vsnprintf(out, (size_t)needed + 1, fmt, args);
  return out;
}

/**
 * Fills err (which may be NULL) with code and a printf-style message, truncated to
 * PI_ERROR_MESSAGE_CAPACITY at a UTF-8 boundary, and returns code, so a failing call can end
 * with `return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT, "bad %s", what);`.
 */
static inline PiStatus pi_error_set(PiError* err, PiStatus code, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_error_set(PiError* err, PiStatus code, const char* fmt, ...) {
  if (err == NULL) return code;
  err->code = code;
  err->retryable = 0;
  err->detail_json[0] = '\0';
  va_list args;
  va_start(args, fmt);
  int written = vsnprintf(err->message, sizeof err->message, fmt, args);
  va_end(args);
  if (written < 0) {
    err->message[0] = '\0';
  } else if ((size_t)written >= sizeof err->message) {
    pi_utf8_truncate_(err->message, sizeof err->message - 1);
  }
  return code;
}

/** Copies s with malloc, so the vtable's free_string (calling free) can release it. NULL stays NULL. */
static inline char* pi_strdup(const char* s) {
  if (s == NULL) return NULL;
  size_t size = strlen(s) + 1;
  char* copy = (char*)malloc(size);
  if (copy != NULL) memcpy(copy, s, size);
  return copy;
}

/** Writes a printf-style line to the host's logger. Callable from any thread. */
static inline PiStatus pi_log(const PiHostApi* host, PiLogLevel level, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_log(const PiHostApi* host, PiLogLevel level, const char* fmt, ...) {
  if (host == NULL || host->log == NULL) return PI_STATUS_INVALID_ARGUMENT;
  va_list args;
  va_start(args, fmt);
  char* text = pi_vformat_(fmt, args);
  va_end(args);
  if (text == NULL) return PI_STATUS_ERROR;
  PiStatus status = host->log(host, level, text);
  free(text);
  return status;
}

/** Posts a printf-style chat message (Markdown) of the given type. Callable from any thread. */
static inline PiStatus pi_send(const PiHostApi* host, PiMessageType type, const char* fmt, ...) PI_PRINTF_FORMAT(3, 4);
static inline PiStatus pi_send(const PiHostApi* host, PiMessageType type, const char* fmt, ...) {
  if (host == NULL || host->send_message == NULL) return PI_STATUS_INVALID_ARGUMENT;
  va_list args;
  va_start(args, fmt);
  char* text = pi_vformat_(fmt, args);
  va_end(args);
  if (text == NULL) return PI_STATUS_ERROR;
  PiStatus status = host->send_message(host, type, text);
  free(text);
  return status;
}

/* ---- Stream cancel tokens ------------------------------------------------------------------
 *
 * The host tells a plugin that the user cancelled a stream by calling its on_stream_control
 * with PI_STREAM_CONTROL_CANCEL, on the host's plugin thread. The thread producing that stream
 * may be blocked somewhere else (reading a socket, sleeping) and would only learn it from the
 * next stream_data. A PiCancelSet maps stream ids to tokens so on_stream_control can reach it:
 *
 *   create:            pi_cancel_set_init(&self->cancels);
 *   worker thread:     PiCancelToken token;
 *                      pi_cancel_watch(&self->cancels, &token, stream, close_my_socket, &sock);
 *                      ... blocking work; check pi_cancel_is_cancelled(&self->cancels, &token) ...
 *                      pi_cancel_unwatch(&self->cancels, &token);   (before token or sock go away)
 *   on_stream_control: if (control == PI_STREAM_CONTROL_CANCEL) pi_cancel_stream(&self->cancels, stream);
 *   destroy:           pi_cancel_all(&self->cancels); join the workers; pi_cancel_set_destroy(&self->cancels);
 *
 * The callback runs once, on the thread that cancels, while the set's lock is held: keep it short
 * (shutdown() a socket, signal a condition variable) and call no pi_cancel_* function from it.
 * Because of that lock, once pi_cancel_unwatch returns the callback is not running and never will.
 */

/** Called once when a watched stream is cancelled; user is the pointer given to pi_cancel_watch. */
typedef void (*PiCancelFn)(void* user);

/** One watcher of one stream. Owned by the caller; registered from pi_cancel_watch to pi_cancel_unwatch. */
typedef struct PiCancelToken {
  uint64_t stream;
  int cancelled; /* guarded by the set's lock: read it with pi_cancel_is_cancelled */
  PiCancelFn on_cancel;
  void* user;
  struct PiCancelToken* next;
} PiCancelToken;

#if defined(_WIN32)
typedef SRWLOCK PiCancelLock_;
static inline int pi_cancel_lock_init_(PiCancelLock_* l) { InitializeSRWLock(l); return 0; }
static inline void pi_cancel_lock_free_(PiCancelLock_* l) { (void)l; }
static inline void pi_cancel_lock_(PiCancelLock_* l) { AcquireSRWLockExclusive(l); }
static inline void pi_cancel_unlock_(PiCancelLock_* l) { ReleaseSRWLockExclusive(l); }
#else
typedef pthread_mutex_t PiCancelLock_;
static inline int pi_cancel_lock_init_(PiCancelLock_* l) { return pthread_mutex_init(l, NULL) == 0 ? 0 : -1; }
static inline void pi_cancel_lock_free_(PiCancelLock_* l) { pthread_mutex_destroy(l); }
static inline void pi_cancel_lock_(PiCancelLock_* l) { pthread_mutex_lock(l); }
static inline void pi_cancel_unlock_(PiCancelLock_* l) { pthread_mutex_unlock(l); }
#endif

/** The tokens of one instance, by stream id. Initialise in create, destroy in destroy. */
typedef struct PiCancelSet {
  PiCancelLock_ lock;
  PiCancelToken* head;
  int closing; /* set by pi_cancel_all: tokens watched afterwards are cancelled at once */
} PiCancelSet;

/** Prepares an empty set. Returns 0, or -1 when the lock cannot be created. */
static inline int pi_cancel_set_init(PiCancelSet* set) {
  set->head = NULL;
  set->closing = 0;
  return pi_cancel_lock_init_(&set->lock);
}

/** Releases the set. Every token must have been unwatched (join the workers first). */
static inline void pi_cancel_set_destroy(PiCancelSet* set) { pi_cancel_lock_free_(&set->lock); }

/* Raises one token; the set's lock is held. */
static inline void pi_cancel_raise_(PiCancelToken* token) {
  if (token->cancelled) return;
  token->cancelled = 1;
  if (token->on_cancel != NULL) token->on_cancel(token->user);
}

/**
 * Starts watching stream for token, with on_cancel(user) to run when it is cancelled (on_cancel
 * may be NULL: then poll pi_cancel_is_cancelled). When the set is already closing the token is
 * cancelled at once, on this thread.
 */
static inline void pi_cancel_watch(PiCancelSet* set, PiCancelToken* token, uint64_t stream, PiCancelFn on_cancel,
                                   void* user) {
  token->stream = stream;
  token->cancelled = 0;
  token->on_cancel = on_cancel;
  token->user = user;
  pi_cancel_lock_(&set->lock);
  token->next = set->head;
  set->head = token;
  if (set->closing) pi_cancel_raise_(token);
  pi_cancel_unlock_(&set->lock);
}

/** Stops watching: afterwards the callback is not running and will not run. Unknown tokens are ignored. */
static inline void pi_cancel_unwatch(PiCancelSet* set, PiCancelToken* token) {
  pi_cancel_lock_(&set->lock);
  for (PiCancelToken** link = &set->head; *link != NULL; link = &(*link)->next) {
    if (*link == token) {
      *link = token->next;
      break;
    }
  }
  pi_cancel_unlock_(&set->lock);
}

/** 1 once the token's stream was cancelled (or the set closed), else 0. */
static inline int pi_cancel_is_cancelled(PiCancelSet* set, const PiCancelToken* token) {
  pi_cancel_lock_(&set->lock);
  int cancelled = token->cancelled;
  pi_cancel_unlock_(&set->lock);
  return cancelled;
}

/** Cancels every token watching stream (call it from on_stream_control on CANCEL). Returns how many. */
static inline int pi_cancel_stream(PiCancelSet* set, uint64_t stream) {
  int raised = 0;
  pi_cancel_lock_(&set->lock);
  for (PiCancelToken* t = set->head; t != NULL; t = t->next) {
    if (t->stream == stream && !t->cancelled) {
      pi_cancel_raise_(t);
      raised++;
    }
  }
  pi_cancel_unlock_(&set->lock);
  return raised;
}

/** Cancels every token, now and for later watches (call it at the start of destroy). */
static inline void pi_cancel_all(PiCancelSet* set) {
  pi_cancel_lock_(&set->lock);
  set->closing = 1;
  for (PiCancelToken* t = set->head; t != NULL; t = t->next) pi_cancel_raise_(t);
  pi_cancel_unlock_(&set->lock);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PI_HELPERS_H */
