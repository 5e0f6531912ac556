/*
 * pi_host_rt: the native half of host-node's in-process driver. It implements every PiHostApi
 * function in C so plugin threads never wait for the JavaScript event loop, owns the stream state
 * machine, queues plugin events in a compact binary form for the host to drain in batches, and
 * wraps every plugin entry point in a trampoline (one koffi call per entry call). Its contract
 * with the TypeScript side (records, flags, call state, exported functions, limits) is the
 * generated pi_host_rt_abi.h.
 *
 * Threading: every PiHostApi function may run on any thread. Fire-and-forget calls validate
 * their arguments and append one record to the instance's mutex-protected queue. A record
 * appended off the JavaScript thread sets the instance's pending flag and, when no wake-up is
 * outstanding, wakes the host: on POSIX by writing one byte to a process-wide pipe the host polls
 * on its event loop, and on every platform by signalling the condition variable a host worker
 * may wait on in pi_rt_wait_wake. Plugin threads never block on JavaScript; the loop drains
 * records in batches.
 */
#if !defined(_WIN32) && !defined(__APPLE__)
#define _GNU_SOURCE
#endif
#include "pi_host_rt_abi.h"
#include "pi_rt_platform.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#include <fcntl.h>
#include <unistd.h>
#endif

#define RT_NULL_LEN PI_RT_SENTINEL_NULL_LENGTH

/* Stream states (internal to the shim). */
enum { ST_ACTIVE = 1, ST_PAUSED, ST_COMPLETED, ST_ERROR, ST_CANCELLED };

typedef struct RtStream {
  uint64_t handle;
  int state;
  uint32_t credit;
  uint32_t window;
  uint64_t seq;
} RtStream;

/* Ended streams whose outcome (cancelled or not) a late call still gets exactly; an older ended
   handle answers INVALID_STATE. Bounds what an instance keeps per stream it ever started. */
#define RT_ENDED_SLOTS PI_RT_ENDED_STREAMS

typedef struct RtTicket {
  uint64_t id;
  int done;
  int32_t status;
  char* value;
  struct RtTicket* next;
} RtTicket;

/* Streams with credit left in the grant mailbox at once; past that a grant takes `mu` itself. */
#define RT_GRANT_SLOTS 16

typedef struct PiRtInstance {
  PiHostApi api; /* first: the host pointer a plugin holds is the instance */
  PiRtCallState cs;
  PiError err;
  rt_mutex mu;
  rt_cond cv;
  atomic_int closed;
  atomic_int inflight;
  rt_thread_id js_thread;
  uint8_t* q;
  size_t qlen, qcap;
  int pending;
  /* Open streams only (at most PI_RT_MAX_OPEN_STREAMS); `last` caches the index of the last found. */
  RtStream* streams;
  size_t nstreams, capstreams, last;
  /* Handles issued so far (the next is issued + 1), and the newest ended ones with their outcome. */
  uint64_t issued;
  uint64_t ended[RT_ENDED_SLOTS];
  uint8_t ended_cancelled[RT_ENDED_SLOTS];
  size_t ended_next;
  /* What a lookup of an ended stream returns (its state only is read). */
  RtStream ended_view;
  uint32_t window;
  uint32_t request_timeout_ms;
  RtTicket* tickets;
  uint64_t next_ticket;
  const PiPluginVTable* vt;
  void* self;
  char* reply;
  /* Request ids answered PENDING and not replied to yet (oldest first), and the request whose
   * handle_message is running now (a plugin thread may reply before it returns PENDING). */
  uint64_t* deferred;
  size_t ndeferred, capdeferred;
  uint64_t calling_request;
  int calling, answered_early;
  /* Credit the host granted, not yet added to its streams. A producer sending in a tight loop
   * holds `mu` most of the time, and a mutex lets it take `mu` again and again while the host
   * waits; so pi_rt_grant_credit leaves grants here under the short `gmu` and the next stream
   * access under `mu` adds them (stream_locked). Lock order: mu, then gmu. */
  rt_mutex gmu;
  struct { uint64_t stream; uint32_t chunks; } grants[RT_GRANT_SLOTS];
  size_t ngrants;
  atomic_int grants_pending;
  /* Producers waiting in stream_wait: a grant wakes them only when there are any. */
  atomic_int stream_waiters;
} PiRtInstance;

#if !defined(_WIN32)
static int g_pipe[2] = {-1, -1};
#endif
static atomic_int g_notify_pending;
static PiRtRequestCb g_request_cb;
/* pi_rt_wait_wake: a host worker thread waits here instead of (or besides) polling the pipe. */
static rt_mutex g_wake_mu;
static rt_cond g_wake_cv;
static int g_wake_cancel;
static atomic_int g_wake_ready;

/* ---------- strings ---------- */

/* Validate UTF-8 (strict: no overlongs, surrogates or code points above U+10FFFF), measure it
 * in bytes and UTF-16 code units. Returns 0, -1 invalid, -2 longer than cap. */
static int utf8_check(const char* s, size_t cap, uint32_t* bytes, uint32_t* u16) {
  const unsigned char* p = (const unsigned char*)s;
  size_t i = 0;
  uint32_t units = 0;
  for (;;) {
    unsigned c = p[i];
    if (c == 0) break;
    if (i >= cap) return -2;
    if (c < 0x80) { i++; units++; continue; }
    unsigned n, min, cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else return -1;
    for (unsigned k = 1; k <= n; k++) {
      unsigned d = p[i + k];
      if ((d & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += n + 1;
    units += cp >= 0x10000 ? 2 : 1;
  }
  if (i > cap) return -2;
  *bytes = (uint32_t)i;
  *u16 = units;
  return 0;
}

/* A small JSON validator (RFC 8259 syntax, nesting up to 128). Returns the end or NULL. */
static const char* json_ws(const char* s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  return s;
}
static const char* json_value(const char* s, int depth);
static const char* json_string(const char* s) {
  if (*s != '"') return NULL;
  s++;
  for (;;) {
    unsigned char c = (unsigned char)*s;
    if (c == '"') return s + 1;
    if (c < 0x20) return NULL;
    if (c == '\\') {
      s++;
      if (*s == 'u') {
        for (int k = 1; k <= 4; k++) {
          char h = s[k];
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return NULL;
        }
        s += 5;
        continue;
      }
      if (!strchr("\"\\/bfnrt", *s) || *s == 0) return NULL;
    }
    s++;
  }
}
static const char* json_number(const char* s) {
  if (*s == '-') s++;
  if (*s == '0') s++;
  else if (*s >= '1' && *s <= '9') while (*s >= '0' && *s <= '9') s++;
  else return NULL;
  if (*s == '.') {
    s++;
    if (!(*s >= '0' && *s <= '9')) return NULL;
    while (*s >= '0' && *s <= '9') s++;
  }
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '+' || *s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return NULL;
    while (*s >= '0' && *s <= '9') s++;
  }
  return s;
}
static const char* json_value(const char* s, int depth) {
  if (depth > 128) return NULL;
  s = json_ws(s);
  switch (*s) {
    case '{':
      s = json_ws(s + 1);
      if (*s == '}') return s + 1;
      for (;;) {
        s = json_string(json_ws(s));
        if (!s) return NULL;
        s = json_ws(s);
        if (*s != ':') return NULL;
        s = json_value(s + 1, depth + 1);
        if (!s) return NULL;
        s = json_ws(s);
        if (*s == '}') return s + 1;
        if (*s != ',') return NULL;
        s++;
      }
    case '[':
      s = json_ws(s + 1);
      if (*s == ']') return s + 1;
      for (;;) {
        s = json_value(s, depth + 1);
        if (!s) return NULL;
        s = json_ws(s);
        if (*s == ']') return s + 1;
        if (*s != ',') return NULL;
        s++;
      }
    case '"': return json_string(s);
    case 't': return strncmp(s, "true", 4) == 0 ? s + 4 : NULL;
    case 'f': return strncmp(s, "false", 5) == 0 ? s + 5 : NULL;
    case 'n': return strncmp(s, "null", 4) == 0 ? s + 4 : NULL;
    default: return json_number(s);
  }
}
static int json_valid(const char* s) {
  const char* e = json_value(s, 0);
  return e != NULL && *json_ws(e) == 0;
}

/* ---------- queue ---------- */

static void notify_loop(void) {
  if (!atomic_load(&g_wake_ready) || atomic_exchange(&g_notify_pending, 1)) return;
#if !defined(_WIN32)
  if (g_pipe[1] >= 0) {
    ssize_t w = write(g_pipe[1], "!", 1);
    (void)w;
  }
#endif
  rt_mutex_lock(&g_wake_mu);
  rt_cond_broadcast(&g_wake_cv);
  rt_mutex_unlock(&g_wake_mu);
}

static int on_js_thread(const PiRtInstance* in) { return rt_thread_equal(rt_thread_self(), in->js_thread); }

/* Append one record; the caller holds the mutex and has checked `closed`. */
static PiStatus append_locked(PiRtInstance* in, uint32_t kind, int32_t i1, uint64_t a, uint64_t b, const char* s1,
                              uint32_t n1, uint32_t u1, const char* s2, uint32_t n2, uint32_t u2) {
  size_t need = sizeof(PiRtRecord) + (s1 ? n1 : 0) + (s2 ? n2 : 0);
  if (in->qlen + need > PI_RT_MAX_QUEUE_BYTES) return PI_STATUS_LIMIT_EXCEEDED;
  if (in->qlen + need > in->qcap) {
    size_t cap = in->qcap ? in->qcap : 4096;
    while (cap < in->qlen + need) cap *= 2;
    uint8_t* q = realloc(in->q, cap);
    if (!q) return PI_STATUS_INTERNAL;
    in->q = q;
    in->qcap = cap;
  }
  PiRtRecord r = {kind, i1, a, b, s1 ? n1 : RT_NULL_LEN, s2 ? n2 : RT_NULL_LEN, s1 ? u1 : 0, s2 ? u2 : 0};
  memcpy(in->q + in->qlen, &r, sizeof r);
  in->qlen += sizeof r;
  if (s1) { memcpy(in->q + in->qlen, s1, n1); in->qlen += n1; }
  if (s2) { memcpy(in->q + in->qlen, s2, n2); in->qlen += n2; }
  in->cs.queued++;
  if (!on_js_thread(in) && !in->pending) {
    in->pending = 1;
    notify_loop();
  }
  return PI_STATUS_OK;
}

static PiStatus append(PiRtInstance* in, uint32_t kind, int32_t i1, uint64_t a, uint64_t b, const char* s1, uint32_t n1,
                       uint32_t u1, const char* s2, uint32_t n2, uint32_t u2) {
  rt_mutex_lock(&in->mu);
  PiStatus st = atomic_load(&in->closed) ? PI_STATUS_CLOSED : append_locked(in, kind, i1, a, b, s1, n1, u1, s2, n2, u2);
  rt_mutex_unlock(&in->mu);
  return st;
}

/* Report a refused host call to the host as a violation record, then return the status. */
static PiStatus violation(PiRtInstance* in, PiStatus st, const char* fn, const char* reason) {
  append(in, PI_RT_RECORD_KIND_VIOLATION, st, 0, 0, fn, (uint32_t)strlen(fn), (uint32_t)strlen(fn), reason,
         (uint32_t)strlen(reason), (uint32_t)strlen(reason));
  return st;
}

typedef struct Str {
  const char* s;
  uint32_t n, u;
} Str;

/* Check one string argument; on failure record a violation and return its status. */
static PiStatus take(PiRtInstance* in, const char* fn, const char* what, const char* s, int nullable, Str* out) {
  char reason[160];
  out->s = s;
  out->n = out->u = 0;
  if (!s) {
    if (nullable) return PI_STATUS_OK;
    snprintf(reason, sizeof reason, "%s is NULL", what);
    return violation(in, PI_STATUS_INVALID_ARGUMENT, fn, reason);
  }
  int r = utf8_check(s, PI_RT_MAX_STRING_BYTES, &out->n, &out->u);
  if (r == -1) {
    snprintf(reason, sizeof reason, "%s is not valid UTF-8", what);
    return violation(in, PI_STATUS_INVALID_ARGUMENT, fn, reason);
  }
  if (r == -2) {
    snprintf(reason, sizeof reason, "%s is larger than %u bytes", what, PI_RT_MAX_STRING_BYTES);
    return violation(in, PI_STATUS_LIMIT_EXCEEDED, fn, reason);
  }
  return PI_STATUS_OK;
}

/* ---------- host API ---------- */

static PiRtInstance* enter(const PiHostApi* h, PiStatus* st) {
  PiRtInstance* in = (PiRtInstance*)h;
  if (!in) { *st = PI_STATUS_INVALID_ARGUMENT; return NULL; }
  atomic_fetch_add(&in->inflight, 1);
  if (atomic_load(&in->closed)) {
    atomic_fetch_sub(&in->inflight, 1);
    *st = PI_STATUS_CLOSED;
    return NULL;
  }
  return in;
}
static PiStatus leave(PiRtInstance* in, PiStatus st) {
  atomic_fetch_sub(&in->inflight, 1);
  return st;
}
#define ENTER()                          \
  PiStatus st_ = PI_STATUS_OK;           \
  PiRtInstance* in = enter(host, &st_);  \
  if (!in) return st_

static PiStatus h_send_message(const PiHostApi* host, PiMessageType type, const char* content) {
  ENTER();
  Str c;
  if (type < PI_MESSAGE_TYPE_NORMAL || type > PI_MESSAGE_TYPE_INFO)
    return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, "send_message", "unknown message type"));
  PiStatus st = take(in, "send_message", "content", content, 0, &c);
  if (st == PI_STATUS_OK) st = append(in, PI_RT_RECORD_KIND_MESSAGE, type, 0, 0, c.s, c.n, c.u, NULL, 0, 0);
  return leave(in, st);
}

/* Take `request_id` off the requests waiting for a reply; 0 when it was not waiting. Holds the mutex. */
static int claim_deferred_locked(PiRtInstance* in, uint64_t request_id) {
  for (size_t i = 0; i < in->ndeferred; i++) {
    if (in->deferred[i] != request_id) continue;
    memmove(&in->deferred[i], &in->deferred[i + 1], (in->ndeferred - i - 1) * sizeof *in->deferred);
    in->ndeferred--;
    return 1;
  }
  if (in->calling && in->calling_request == request_id && !in->answered_early) {
    in->answered_early = 1;
    return 1;
  }
  return 0;
}

/* Remember a request answered PENDING (the oldest is forgotten past the limit). Holds the mutex. */
static void add_deferred_locked(PiRtInstance* in, uint64_t request_id) {
  if (in->ndeferred == PI_RT_MAX_DEFERRED_REPLIES) {
    memmove(&in->deferred[0], &in->deferred[1], (in->ndeferred - 1) * sizeof *in->deferred);
    in->ndeferred--;
  }
  if (in->ndeferred == in->capdeferred) {
    size_t cap = in->capdeferred ? in->capdeferred * 2 : 8;
    uint64_t* d = realloc(in->deferred, cap * sizeof *d);
    if (!d) return;
    in->deferred = d;
    in->capdeferred = cap;
  }
  in->deferred[in->ndeferred++] = request_id;
}

/* A deferred reply. One that is refused (bad text) still fails its request at once, with the
 * reason, so nobody waits for the host's timeout; a reply to a request that is not waiting (answered
 * already, unknown, or not deferred) is NOT_FOUND. */
static PiStatus h_reply(const PiHostApi* host, uint64_t request_id, PiStatus status, const char* content) {
  ENTER();
  rt_mutex_lock(&in->mu);
  int waiting = claim_deferred_locked(in, request_id);
  rt_mutex_unlock(&in->mu);
  if (!waiting)
    return leave(in, violation(in, PI_STATUS_NOT_FOUND, "reply",
                               "no request with this id waits for a reply (answered already, unknown, or its "
                               "handle_message did not return PI_STATUS_PENDING)"));
  Str c;
  PiStatus st = take(in, "reply", "content", content, 1, &c);
  if (st == PI_STATUS_OK) st = append(in, PI_RT_RECORD_KIND_REPLY, status, request_id, 0, c.s, c.n, c.u, NULL, 0, 0);
  else {
    const char* why = st == PI_STATUS_LIMIT_EXCEEDED ? "the reply content is larger than the host's limit"
                                                     : "the reply content is not valid UTF-8";
    uint32_t n = (uint32_t)strlen(why);
    append(in, PI_RT_RECORD_KIND_REPLY, st, request_id, 0, why, n, n, NULL, 0, 0);
  }
  return leave(in, st);
}

static PiStatus h_stream_start(const PiHostApi* host, const char* title, uint64_t* out_stream) {
  ENTER();
  Str t;
  if (!out_stream) return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, "stream_start", "out_stream is NULL"));
  PiStatus st = take(in, "stream_start", "title", title, 1, &t);
  if (st != PI_STATUS_OK) return leave(in, st);
  rt_mutex_lock(&in->mu);
  int too_many = in->nstreams >= PI_RT_MAX_OPEN_STREAMS;
  if (atomic_load(&in->closed)) st = PI_STATUS_CLOSED;
  else if (too_many) st = PI_STATUS_LIMIT_EXCEEDED;
  else {
    if (in->nstreams == in->capstreams) {
      size_t cap = in->capstreams ? in->capstreams * 2 : 8;
      RtStream* s = realloc(in->streams, cap * sizeof *s);
      if (!s) st = PI_STATUS_INTERNAL;
      else { in->streams = s; in->capstreams = cap; }
    }
    if (st == PI_STATUS_OK) {
      uint64_t handle = in->issued + 1;
      st = append_locked(in, PI_RT_RECORD_KIND_STREAM_START, 0, handle, 0, t.s, t.n, t.u, NULL, 0, 0);
      if (st == PI_STATUS_OK) {
        in->issued = handle;
        in->streams[in->nstreams++] = (RtStream){handle, ST_ACTIVE, in->window, in->window, 0};
        *out_stream = handle;
      }
    }
  }
  rt_mutex_unlock(&in->mu);
  if (too_many && st == PI_STATUS_LIMIT_EXCEEDED)
    st = violation(in, st, "stream_start", "too many open streams: end or cancel one first");
  return leave(in, st);
}

/* The open stream with this handle, or NULL (caller holds mu). */
static RtStream* open_stream_locked(PiRtInstance* in, uint64_t handle) {
  if (in->last < in->nstreams && in->streams[in->last].handle == handle) return &in->streams[in->last];
  for (size_t i = 0; i < in->nstreams; i++)
    if (in->streams[i].handle == handle) {
      in->last = i;
      return &in->streams[i];
    }
  return NULL;
}

/* An open stream ends (state ST_COMPLETED, ST_ERROR or ST_CANCELLED): it leaves the open table and
   its outcome goes to the ring of recently ended ones; `s` is invalid afterwards (caller holds mu). */
static void end_stream_locked(PiRtInstance* in, RtStream* s, int state) {
  size_t slot = in->ended_next++ % RT_ENDED_SLOTS;
  in->ended[slot] = s->handle;
  in->ended_cancelled[slot] = state == ST_CANCELLED;
  *s = in->streams[--in->nstreams];
  in->last = 0;
}

static void add_credit_locked(PiRtInstance* in, uint64_t handle, uint32_t chunks) {
  RtStream* s = open_stream_locked(in, handle);
  if (!s) return;
  uint64_t c = (uint64_t)s->credit + chunks;
  s->credit = c > s->window ? s->window : (uint32_t)c;
}

/* Add the credit waiting in the grant mailbox to its streams (caller holds mu). */
static void fold_grants_locked(PiRtInstance* in) {
  if (!atomic_load(&in->grants_pending)) return;
  rt_mutex_lock(&in->gmu);
  for (size_t i = 0; i < in->ngrants; i++) add_credit_locked(in, in->grants[i].stream, in->grants[i].chunks);
  in->ngrants = 0;
  atomic_store(&in->grants_pending, 0);
  rt_mutex_unlock(&in->gmu);
}

/* The stream with this handle, its granted credit added (caller holds mu), or NULL for a handle
   never issued. An ended stream is `ended_view` with its outcome as state: cancelled, or ended
   otherwise (also for one older than the ring remembers). */
static RtStream* stream_locked(PiRtInstance* in, uint64_t handle) {
  fold_grants_locked(in);
  if (handle < 1 || handle > in->issued) return NULL;
  RtStream* s = open_stream_locked(in, handle);
  if (s) return s;
  in->ended_view.state = ST_COMPLETED;
  for (size_t i = 0; i < RT_ENDED_SLOTS; i++)
    if (in->ended[i] == handle) {
      if (in->ended_cancelled[i]) in->ended_view.state = ST_CANCELLED;
      break;
    }
  return &in->ended_view;
}

static PiStatus ended_status(int state) { return state == ST_CANCELLED ? PI_STATUS_CANCELLED : PI_STATUS_INVALID_STATE; }

static PiStatus h_stream_data(const PiHostApi* host, uint64_t stream, const char* chunk) {
  ENTER();
  Str c;
  PiStatus st = take(in, "stream_data", "chunk", chunk, 0, &c);
  if (st != PI_STATUS_OK) return leave(in, st);
  rt_mutex_lock(&in->mu);
  RtStream* s = stream_locked(in, stream);
  if (atomic_load(&in->closed)) st = PI_STATUS_CLOSED;
  else if (!s) st = PI_STATUS_NOT_FOUND;
  else if (s->state != ST_ACTIVE && s->state != ST_PAUSED) st = ended_status(s->state);
  else if (s->state == ST_PAUSED || s->credit == 0) st = PI_STATUS_BACKPRESSURE; /* wait, then send it again */
  else {
    st = append_locked(in, PI_RT_RECORD_KIND_STREAM_DATA, 0, stream, s->seq, c.s, c.n, c.u, NULL, 0, 0);
    if (st == PI_STATUS_OK) { s->credit--; s->seq++; }
  }
  rt_mutex_unlock(&in->mu);
  return leave(in, st);
}

static PiStatus h_stream_end(const PiHostApi* host, uint64_t stream, uint8_t success, const char* error) {
  ENTER();
  Str e;
  PiStatus st = take(in, "stream_end", "error", error, 1, &e);
  if (st != PI_STATUS_OK) return leave(in, st);
  rt_mutex_lock(&in->mu);
  RtStream* s = stream_locked(in, stream);
  if (atomic_load(&in->closed)) st = PI_STATUS_CLOSED;
  else if (!s) st = PI_STATUS_NOT_FOUND;
  else if (s->state != ST_ACTIVE && s->state != ST_PAUSED) st = ended_status(s->state);
  else {
    st = append_locked(in, PI_RT_RECORD_KIND_STREAM_END, success ? 1 : 0, stream, 0, e.s, e.n, e.u, NULL, 0, 0);
    if (st == PI_STATUS_OK) end_stream_locked(in, s, success ? ST_COMPLETED : ST_ERROR);
    rt_cond_broadcast(&in->cv);
  }
  rt_mutex_unlock(&in->mu);
  return leave(in, st);
}

/* Apply a PiStreamControl on behalf of `by` (a PI_RT_CONTROL_BY_*). Holds the mutex. */
static PiStatus control_locked(PiRtInstance* in, uint64_t stream, int32_t control, int32_t by) {
  RtStream* s = stream_locked(in, stream);
  if (!s) return PI_STATUS_NOT_FOUND;
  int from = s->state, to;
  uint32_t kind;
  if (control == PI_STREAM_CONTROL_PAUSE) { if (from != ST_ACTIVE) return ended_status(from); to = ST_PAUSED; kind = PI_RT_RECORD_KIND_STREAM_PAUSE; }
  else if (control == PI_STREAM_CONTROL_RESUME) { if (from != ST_PAUSED) return ended_status(from); to = ST_ACTIVE; kind = PI_RT_RECORD_KIND_STREAM_RESUME; }
  else if (control == PI_STREAM_CONTROL_CANCEL) { if (from != ST_ACTIVE && from != ST_PAUSED) return ended_status(from); to = ST_CANCELLED; kind = PI_RT_RECORD_KIND_STREAM_CANCEL; }
  else return PI_STATUS_INVALID_ARGUMENT;
  PiStatus st = append_locked(in, kind, by, stream, 0, NULL, 0, 0, NULL, 0, 0);
  if (st == PI_STATUS_OK) {
    if (to == ST_CANCELLED) end_stream_locked(in, s, ST_CANCELLED);
    else s->state = to;
  }
  rt_cond_broadcast(&in->cv);
  return st;
}

static PiStatus stream_op(const PiHostApi* host, uint64_t stream, int32_t control) {
  ENTER();
  rt_mutex_lock(&in->mu);
  PiStatus st = atomic_load(&in->closed) ? PI_STATUS_CLOSED : control_locked(in, stream, control, PI_RT_CONTROL_BY_PLUGIN);
  rt_mutex_unlock(&in->mu);
  return leave(in, st);
}
static PiStatus h_stream_pause(const PiHostApi* h, uint64_t s) { return stream_op(h, s, PI_STREAM_CONTROL_PAUSE); }
static PiStatus h_stream_resume(const PiHostApi* h, uint64_t s) { return stream_op(h, s, PI_STREAM_CONTROL_RESUME); }
static PiStatus h_stream_cancel(const PiHostApi* h, uint64_t s) { return stream_op(h, s, PI_STREAM_CONTROL_CANCEL); }

static PiStatus h_stream_wait(const PiHostApi* host, uint64_t stream, uint32_t timeout_ms) {
  ENTER();
  /* On the host thread (inside an entry point) it never blocks: BACKPRESSURE says it would have to. */
  int js = on_js_thread(in);
  uint64_t dl = rt_deadline_after(timeout_ms);
  PiStatus st;
  atomic_fetch_add(&in->stream_waiters, 1);
  rt_mutex_lock(&in->mu);
  for (;;) {
    RtStream* s = stream_locked(in, stream);
    if (atomic_load(&in->closed)) { st = PI_STATUS_CLOSED; break; }
    if (!s) { st = PI_STATUS_NOT_FOUND; break; }
    if (s->state == ST_ACTIVE && s->credit > 0) { st = PI_STATUS_OK; break; }
    if (s->state != ST_ACTIVE && s->state != ST_PAUSED) { st = ended_status(s->state); break; }
    if (js) { st = PI_STATUS_BACKPRESSURE; break; }
    if (rt_cond_wait_until(&in->cv, &in->mu, dl)) { st = PI_STATUS_TIMEOUT; break; }
  }
  rt_mutex_unlock(&in->mu);
  atomic_fetch_sub(&in->stream_waiters, 1);
  return leave(in, st);
}

static int event_name_ok(const char* e) {
  size_t n = 0;
  for (; e[n]; n++) {
    char c = e[n];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.' || c == ':'))
      return 0;
    if (n >= 64) return 0;
  }
  return n > 0;
}

static PiStatus h_send_to_frontend(const PiHostApi* host, const char* event, const char* payload_json) {
  ENTER();
  Str e, p;
  PiStatus st = take(in, "send_to_frontend", "event", event, 0, &e);
  if (st == PI_STATUS_OK) st = take(in, "send_to_frontend", "payload_json", payload_json, 0, &p);
  if (st != PI_STATUS_OK) return leave(in, st);
  if (!event_name_ok(event))
    return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, "send_to_frontend",
                               "event name must be 1-64 characters of A-Z a-z 0-9 _ - . :"));
  if (!json_valid(payload_json))
    return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, "send_to_frontend", "payload_json is not valid JSON"));
  return leave(in, append(in, PI_RT_RECORD_KIND_CUSTOM, 0, 0, 0, e.s, e.n, e.u, p.s, p.n, p.u));
}

static PiStatus h_log(const PiHostApi* host, PiLogLevel level, const char* text) {
  ENTER();
  Str t;
  if (level < PI_LOG_LEVEL_ERROR || level > PI_LOG_LEVEL_TRACE)
    return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, "log", "unknown log level"));
  PiStatus st = take(in, "log", "text", text, 0, &t);
  if (st == PI_STATUS_OK) st = append(in, PI_RT_RECORD_KIND_LOG, level, 0, 0, t.s, t.n, t.u, NULL, 0, 0);
  return leave(in, st);
}

static PiStatus h_request_refresh(const PiHostApi* host) {
  ENTER();
  return leave(in, append(in, PI_RT_RECORD_KIND_REFRESH, 0, 0, 0, NULL, 0, 0, NULL, 0, 0));
}
static PiStatus h_request_disconnect(const PiHostApi* host) {
  ENTER();
  return leave(in, append(in, PI_RT_RECORD_KIND_DISCONNECT, 0, 0, 0, NULL, 0, 0, NULL, 0, 0));
}

/* A blocking request: answered synchronously by JS on its own thread, else queued as a ticket
 * the host answers through pi_rt_answer while this thread waits on the condition variable. */
static PiStatus request(const PiHostApi* host, int32_t kind, const char* fn, const char* a, const char* b, char** out) {
  ENTER();
  Str sa, sb;
  if (!out) return leave(in, violation(in, PI_STATUS_INVALID_ARGUMENT, fn, "out pointer is NULL"));
  *out = NULL;
  PiStatus st = take(in, fn, kind == PI_RT_REQUEST_KIND_APP_CONFIG ? "key" : "plugin_id", a, 0, &sa);
  if (st == PI_STATUS_OK && kind == PI_RT_REQUEST_KIND_CALL_PLUGIN) st = take(in, fn, "message", b, 0, &sb);
  else sb = (Str){NULL, 0, 0};
  if (st != PI_STATUS_OK) return leave(in, st);
  RtTicket* t = calloc(1, sizeof *t);
  if (!t) return leave(in, PI_STATUS_INTERNAL);
  int js = on_js_thread(in);
  rt_mutex_lock(&in->mu);
  if (atomic_load(&in->closed)) { rt_mutex_unlock(&in->mu); free(t); return leave(in, PI_STATUS_CLOSED); }
  t->id = ++in->next_ticket;
  t->next = in->tickets;
  in->tickets = t;
  if (js) {
    rt_mutex_unlock(&in->mu);
    if (g_request_cb) g_request_cb(in, kind, a, b, t->id);
    rt_mutex_lock(&in->mu);
    st = t->done ? t->status : PI_STATUS_INVALID_STATE;
  } else {
    st = append_locked(in, PI_RT_RECORD_KIND_REQUEST, kind, t->id, 0, sa.s, sa.n, sa.u, sb.s, sb.n, sb.u);
    uint64_t dl = rt_deadline_after(in->request_timeout_ms);
    while (st == PI_STATUS_OK && !t->done) {
      if (atomic_load(&in->closed)) { st = PI_STATUS_CLOSED; break; }
      if (rt_cond_wait_until(&in->cv, &in->mu, dl)) { st = t->done ? PI_STATUS_OK : PI_STATUS_TIMEOUT; break; }
    }
    if (st == PI_STATUS_OK) st = t->status;
  }
  for (RtTicket** p = &in->tickets; *p; p = &(*p)->next)
    if (*p == t) { *p = t->next; break; }
  rt_mutex_unlock(&in->mu);
  if (st == PI_STATUS_OK || t->value) *out = t->value;
  else free(t->value);
  if (st != PI_STATUS_OK && *out) { free(*out); *out = NULL; }
  free(t);
  return leave(in, st);
}

static PiStatus h_get_app_config(const PiHostApi* host, const char* key, char** out_value) {
  return request(host, PI_RT_REQUEST_KIND_APP_CONFIG, "get_app_config", key, NULL, out_value);
}
static PiStatus h_call_other_plugin(const PiHostApi* host, const char* plugin_id, const char* message, char** out) {
  return request(host, PI_RT_REQUEST_KIND_CALL_PLUGIN, "call_other_plugin", plugin_id, message, out);
}
static void h_free_string(const PiHostApi* host, char* s) {
  (void)host;
  free(s);
}

/* ---------- host-side control (called from JS) ---------- */

PI_RT_EXPORT int32_t pi_rt_version(void) { return PI_RT_VERSION; }

/* Register the synchronous request callback and set up the wake-up channel (once). Returns the
 * fd the host polls for readability (POSIX), or PI_RT_SENTINEL_INIT_NO_FD where there is none
 * (Windows: the host waits in pi_rt_wait_wake on a worker thread instead). */
PI_RT_EXPORT int32_t pi_rt_init(PiRtRequestCb request_cb) {
  g_request_cb = request_cb;
  if (!atomic_load(&g_wake_ready)) {
    rt_mutex_init(&g_wake_mu);
    rt_cond_init(&g_wake_cv);
#if !defined(_WIN32)
    if (pipe(g_pipe) != 0) return PI_RT_SENTINEL_INIT_FAILED;
    fcntl(g_pipe[0], F_SETFL, fcntl(g_pipe[0], F_GETFL) | O_NONBLOCK);
    fcntl(g_pipe[1], F_SETFL, fcntl(g_pipe[1], F_GETFL) | O_NONBLOCK);
    fcntl(g_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(g_pipe[1], F_SETFD, FD_CLOEXEC);
#endif
    atomic_store(&g_wake_ready, 1);
  }
#if !defined(_WIN32)
  return g_pipe[0];
#else
  return PI_RT_SENTINEL_INIT_NO_FD;
#endif
}

/* Empty the wake-up pipe, then re-arm notifications; the caller drains afterwards. Clearing the
 * flag before reading could swallow a byte written in between and leave the flag set forever. */
PI_RT_EXPORT void pi_rt_notify_ack(void) {
#if !defined(_WIN32)
  char buf[64];
  while (g_pipe[0] >= 0 && read(g_pipe[0], buf, sizeof buf) > 0) {
  }
#endif
  atomic_store(&g_notify_pending, 0);
}

/* Block until a wake-up is pending, `timeout_ms` passes (0: no limit) or pi_rt_wake_cancel is
 * called. Runs on a host worker thread; the host acknowledges with pi_rt_notify_ack and drains. */
PI_RT_EXPORT int32_t pi_rt_wait_wake(uint32_t timeout_ms) {
  if (!atomic_load(&g_wake_ready)) return PI_RT_SENTINEL_WAKE_TIMEOUT;
  uint64_t dl = timeout_ms ? rt_deadline_after(timeout_ms) : 0;
  int32_t r = PI_RT_SENTINEL_WAKE_TIMEOUT;
  rt_mutex_lock(&g_wake_mu);
  for (;;) {
    if (atomic_load(&g_notify_pending)) { r = PI_RT_SENTINEL_WAKE_PENDING; break; }
    if (g_wake_cancel) break;
    if (rt_cond_wait_until(&g_wake_cv, &g_wake_mu, dl)) break;
  }
  g_wake_cancel = 0;
  rt_mutex_unlock(&g_wake_mu);
  return r;
}

/* Make a waiting pi_rt_wait_wake return PI_RT_SENTINEL_WAKE_TIMEOUT now. */
PI_RT_EXPORT void pi_rt_wake_cancel(void) {
  if (!atomic_load(&g_wake_ready)) return;
  rt_mutex_lock(&g_wake_mu);
  g_wake_cancel = 1;
  rt_cond_broadcast(&g_wake_cv);
  rt_mutex_unlock(&g_wake_mu);
}

PI_RT_EXPORT PiRtInstance* pi_rt_instance_new(uint32_t window, uint32_t request_timeout_ms) {
  PiRtInstance* in = calloc(1, sizeof *in);
  if (!in) return NULL;
  in->api = (PiHostApi){
      PI_TABLE_HEAD(PiHostApi), .host_data = in, .send_message = h_send_message, .reply = h_reply,
      .stream_start = h_stream_start, .stream_data = h_stream_data, .stream_end = h_stream_end,
      .stream_pause = h_stream_pause, .stream_resume = h_stream_resume, .stream_cancel = h_stream_cancel,
      .stream_wait = h_stream_wait, .send_to_frontend = h_send_to_frontend, .get_app_config = h_get_app_config,
      .call_other_plugin = h_call_other_plugin, .log = h_log, .request_refresh = h_request_refresh,
      .request_disconnect = h_request_disconnect, .free_string = h_free_string};
  rt_mutex_init(&in->mu);
  rt_mutex_init(&in->gmu);
  rt_cond_init(&in->cv);
  in->js_thread = rt_thread_self();
  in->window = window ? window : PI_RT_DEFAULT_CREDIT_WINDOW;
  in->request_timeout_ms = request_timeout_ms ? request_timeout_ms : PI_RT_DEFAULT_REQUEST_TIMEOUT_MS;
  return in;
}

PI_RT_EXPORT void* pi_rt_call_state(PiRtInstance* in) { return &in->cs; }
PI_RT_EXPORT void* pi_rt_error(PiRtInstance* in) { return &in->err; }
PI_RT_EXPORT int32_t pi_rt_inflight(PiRtInstance* in) { return atomic_load(&in->inflight); }

/* Drain up to max_records records: headers into hdr, strings into str. Returns the count and
 * stores the string bytes written in *str_len. */
PI_RT_EXPORT uint32_t pi_rt_drain(PiRtInstance* in, uint8_t* hdr, uint32_t max_records, uint8_t* str, uint32_t str_cap,
                               uint32_t* str_len) {
  uint32_t count = 0, used = 0;
  size_t pos = 0;
  rt_mutex_lock(&in->mu);
  while (pos < in->qlen && count < max_records) {
    PiRtRecord r;
    memcpy(&r, in->q + pos, sizeof r);
    uint32_t n = (r.len1 == RT_NULL_LEN ? 0 : r.len1) + (r.len2 == RT_NULL_LEN ? 0 : r.len2);
    if (used + n > str_cap && count > 0) break;
    if (used + n > str_cap) break; /* caller's buffer is too small for one record */
    memcpy(hdr + (size_t)count * sizeof r, &r, sizeof r);
    memcpy(str + used, in->q + pos + sizeof r, n);
    used += n;
    pos += sizeof r + n;
    count++;
  }
  if (pos > 0) {
    memmove(in->q, in->q + pos, in->qlen - pos);
    in->qlen -= pos;
  }
  in->cs.queued -= count;
  if (in->qlen == 0) in->pending = 0;
  rt_mutex_unlock(&in->mu);
  *str_len = used;
  return count;
}

/* Size in bytes of the next queued record's strings (to grow the host's buffer), 0 if none. */
PI_RT_EXPORT uint32_t pi_rt_next_record_bytes(PiRtInstance* in) {
  uint32_t n = 0;
  rt_mutex_lock(&in->mu);
  if (in->qlen >= sizeof(PiRtRecord)) {
    PiRtRecord r;
    memcpy(&r, in->q, sizeof r);
    n = (r.len1 == RT_NULL_LEN ? 0 : r.len1) + (r.len2 == RT_NULL_LEN ? 0 : r.len2);
  }
  rt_mutex_unlock(&in->mu);
  return n;
}

PI_RT_EXPORT void pi_rt_grant_credit(PiRtInstance* in, uint64_t stream, uint32_t chunks) {
  /* Into the mailbox (never waits for a producer holding mu); a full mailbox takes mu. */
  int queued = 0;
  rt_mutex_lock(&in->gmu);
  for (size_t i = 0; i < in->ngrants && !queued; i++)
    if (in->grants[i].stream == stream) {
      uint64_t c = (uint64_t)in->grants[i].chunks + chunks;
      in->grants[i].chunks = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
      queued = 1;
    }
  if (!queued && in->ngrants < RT_GRANT_SLOTS) {
    in->grants[in->ngrants].stream = stream;
    in->grants[in->ngrants].chunks = chunks;
    in->ngrants++;
    queued = 1;
  }
  if (queued) atomic_store(&in->grants_pending, 1);
  rt_mutex_unlock(&in->gmu);
  /* A producer announces itself in stream_waiters before it looks at the mailbox, and this side
   * publishes the grant before it reads stream_waiters: one of the two always sees the other. */
  if (queued && atomic_load(&in->stream_waiters) == 0) return;
  rt_mutex_lock(&in->mu);
  if (!queued) add_credit_locked(in, stream, chunks);
  fold_grants_locked(in);
  rt_cond_broadcast(&in->cv);
  rt_mutex_unlock(&in->mu);
}

/* Pause/resume/cancel from the host side; queues the matching record. */
PI_RT_EXPORT int32_t pi_rt_control_stream(PiRtInstance* in, uint64_t stream, int32_t control, int32_t by) {
  rt_mutex_lock(&in->mu);
  PiStatus st = atomic_load(&in->closed) ? PI_STATUS_CLOSED : control_locked(in, stream, control, by);
  rt_mutex_unlock(&in->mu);
  return st;
}

/* The answer to request ticket `ticket` (value copied). Returns 0, or -1 when nobody waits. */
PI_RT_EXPORT int32_t pi_rt_answer(PiRtInstance* in, uint64_t ticket, int32_t status, const char* value) {
  int found = -1;
  rt_mutex_lock(&in->mu);
  for (RtTicket* t = in->tickets; t; t = t->next) {
    if (t->id == ticket && !t->done) {
      t->done = 1;
      t->status = status;
      t->value = value ? pi_rt_strdup(value) : NULL;
      found = 0;
      break;
    }
  }
  rt_cond_broadcast(&in->cv);
  rt_mutex_unlock(&in->mu);
  return found;
}

/* Refuse every further host call and wake every waiting plugin thread with CLOSED. */
PI_RT_EXPORT void pi_rt_close(PiRtInstance* in) {
  rt_mutex_lock(&in->mu);
  atomic_store(&in->closed, 1);
  rt_cond_broadcast(&in->cv);
  rt_mutex_unlock(&in->mu);
}

/* Free the queue, streams and reply of a closed instance. The instance struct itself stays
 * allocated for the life of the process so a stray plugin thread holding its `host` pointer
 * still gets CLOSED instead of touching freed memory (a few hundred bytes per instance). */
PI_RT_EXPORT void pi_rt_release(PiRtInstance* in) {
  rt_mutex_lock(&in->mu);
  atomic_store(&in->closed, 1);
  free(in->q);
  in->q = NULL;
  in->qlen = in->qcap = 0;
  in->cs.queued = 0;
  free(in->streams);
  in->streams = NULL;
  in->nstreams = in->capstreams = in->last = 0;
  free(in->reply);
  free(in->deferred);
  in->reply = NULL;
  rt_mutex_unlock(&in->mu);
}

/* ---------- trampolines into the plugin ---------- */

#define HAS(vt, field) \
  ((vt) && (vt)->struct_size >= offsetof(PiPluginVTable, field) + sizeof((vt)->field) && (vt)->field)

/* The PI_RT_ENTRY_BIT_* mask of the entries a vtable provides within its struct_size. */
PI_RT_EXPORT int32_t pi_rt_vtable_entries(const PiPluginVTable* vt) {
  if (!vt) return -1;
  int32_t m = 0;
  if (HAS(vt, on_mount)) m |= PI_RT_ENTRY_BIT_ON_MOUNT;
  if (HAS(vt, on_dispose)) m |= PI_RT_ENTRY_BIT_ON_DISPOSE;
  if (HAS(vt, on_connect)) m |= PI_RT_ENTRY_BIT_ON_CONNECT;
  if (HAS(vt, on_disconnect)) m |= PI_RT_ENTRY_BIT_ON_DISCONNECT;
  if (HAS(vt, update_ui)) m |= PI_RT_ENTRY_BIT_UPDATE_UI;
  if (HAS(vt, handle_message)) m |= PI_RT_ENTRY_BIT_HANDLE_MESSAGE;
  if (HAS(vt, set_history)) m |= PI_RT_ENTRY_BIT_SET_HISTORY;
  if (HAS(vt, get_metadata)) m |= PI_RT_ENTRY_BIT_GET_METADATA;
  if (HAS(vt, on_stream_control)) m |= PI_RT_ENTRY_BIT_ON_STREAM_CONTROL;
  if (HAS(vt, apply_settings)) m |= PI_RT_ENTRY_BIT_APPLY_SETTINGS;
  if (HAS(vt, create)) m |= PI_RT_ENTRY_BIT_CREATE;
  if (HAS(vt, destroy)) m |= PI_RT_ENTRY_BIT_DESTROY;
  if (HAS(vt, free_string)) m |= PI_RT_ENTRY_BIT_FREE_STRING;
  return m;
}

static void reset_error(PiRtInstance* in) {
  memset(&in->err, 0, sizeof in->err);
  in->err.struct_size = sizeof in->err;
  in->cs.reply_flags = 0;
}

static int32_t finish(PiRtInstance* in, PiStatus st) {
  if (st < PI_STATUS_CLOSED || st > PI_STATUS_PENDING) in->cs.reply_flags |= PI_RT_CALL_FLAG_BAD_STATUS;
  in->cs.status = st;
  return st;
}

PI_RT_EXPORT int32_t pi_rt_create(PiRtInstance* in, const PiPluginVTable* vt, const PiPluginMetadata* meta) {
  reset_error(in);
  in->vt = vt;
  void* self = NULL;
  PiStatus st = vt->create(&in->api, meta, &self, &in->err);
  in->self = self;
  if (st == PI_STATUS_OK && !self) in->cs.reply_flags |= PI_RT_CALL_FLAG_CREATE_NO_INSTANCE;
  return finish(in, st);
}

PI_RT_EXPORT int32_t pi_rt_lifecycle(PiRtInstance* in, int32_t which) {
  reset_error(in);
  const PiPluginVTable* vt = in->vt;
  PiPluginLifecycleFn fn = NULL;
  if (which == PI_RT_LIFECYCLE_ON_MOUNT && HAS(vt, on_mount)) fn = vt->on_mount;
  if (which == PI_RT_LIFECYCLE_ON_DISPOSE && HAS(vt, on_dispose)) fn = vt->on_dispose;
  if (which == PI_RT_LIFECYCLE_ON_CONNECT && HAS(vt, on_connect)) fn = vt->on_connect;
  if (which == PI_RT_LIFECYCLE_ON_DISCONNECT && HAS(vt, on_disconnect)) fn = vt->on_disconnect;
  if (!fn) return finish(in, PI_STATUS_UNSUPPORTED);
  return finish(in, fn(in->self, &in->err));
}

PI_RT_EXPORT int32_t pi_rt_update_ui(PiRtInstance* in, const PiUi* ui) {
  reset_error(in);
  if (!HAS(in->vt, update_ui)) return finish(in, PI_STATUS_UNSUPPORTED);
  return finish(in, in->vt->update_ui(in->self, ui, &in->err));
}

/* Take a plugin-owned string: validate, copy into in->reply, release with the plugin's free. */
static const char* take_plugin_string(PiRtInstance* in, char* s) {
  if (!s) return NULL;
  uint32_t n, u;
  int r = utf8_check(s, PI_RT_MAX_REPLY_BYTES, &n, &u);
  const char* out = NULL;
  if (r == -2) in->cs.reply_flags |= PI_RT_CALL_FLAG_REPLY_TOO_LARGE;
  else if (r != 0) in->cs.reply_flags |= PI_RT_CALL_FLAG_REPLY_NOT_UTF8;
  else {
    char* copy = realloc(in->reply, (size_t)n + 1);
    if (copy) {
      memcpy(copy, s, (size_t)n + 1);
      in->reply = copy;
      out = copy;
      in->cs.reply_flags |= PI_RT_CALL_FLAG_REPLY_PRESENT;
    }
  }
  if (HAS(in->vt, free_string)) in->vt->free_string(s);
  return out;
}

PI_RT_EXPORT const char* pi_rt_handle_message(PiRtInstance* in, uint64_t request_id, const char* message) {
  reset_error(in);
  if (!HAS(in->vt, handle_message)) { finish(in, PI_STATUS_UNSUPPORTED); return NULL; }
  char* out = NULL;
  rt_mutex_lock(&in->mu);
  in->calling_request = request_id;
  in->calling = 1;
  in->answered_early = 0;
  rt_mutex_unlock(&in->mu);
  PiStatus st = in->vt->handle_message(in->self, request_id, message, &out, &in->err);
  rt_mutex_lock(&in->mu);
  if (st == PI_STATUS_PENDING && !in->answered_early) add_deferred_locked(in, request_id);
  in->calling = 0;
  rt_mutex_unlock(&in->mu);
  finish(in, st);
  const char* r = take_plugin_string(in, out);
  return st == PI_STATUS_OK ? r : NULL;
}

PI_RT_EXPORT int32_t pi_rt_json_in(PiRtInstance* in, int32_t which, const char* json) {
  reset_error(in);
  PiPluginJsonInFn fn = NULL;
  if (which == PI_RT_JSON_IN_SET_HISTORY && HAS(in->vt, set_history)) fn = in->vt->set_history;
  if (which == PI_RT_JSON_IN_APPLY_SETTINGS && HAS(in->vt, apply_settings)) fn = in->vt->apply_settings;
  if (!fn) return finish(in, PI_STATUS_UNSUPPORTED);
  return finish(in, fn(in->self, json, &in->err));
}

PI_RT_EXPORT int32_t pi_rt_stream_control_call(PiRtInstance* in, uint64_t stream, int32_t control) {
  reset_error(in);
  if (!HAS(in->vt, on_stream_control)) return finish(in, PI_STATUS_UNSUPPORTED);
  return finish(in, in->vt->on_stream_control(in->self, stream, control, &in->err));
}

PI_RT_EXPORT const char* pi_rt_get_metadata(PiRtInstance* in) {
  reset_error(in);
  if (!HAS(in->vt, get_metadata)) { finish(in, PI_STATUS_UNSUPPORTED); return NULL; }
  char* out = NULL;
  PiStatus st = in->vt->get_metadata(in->self, &out, &in->err);
  finish(in, st);
  const char* r = take_plugin_string(in, out);
  return st == PI_STATUS_OK ? r : NULL;
}

/* Close the instance, then call the plugin's destroy (which joins its threads). */
PI_RT_EXPORT void pi_rt_destroy(PiRtInstance* in) {
  pi_rt_close(in);
  if (in->vt && in->self && HAS(in->vt, destroy)) in->vt->destroy(in->self);
  in->self = NULL;
}

/* ---------- UI table and frame strings ---------- */

PI_RT_EXPORT void* pi_rt_ui_new(uint64_t frame, const uint64_t* fns, uint32_t n) {
  PiUi* ui = calloc(1, sizeof *ui);
  if (!ui || n != PI_RT_UI_CALLBACKS) return ui;
  ui->struct_size = sizeof *ui;
  ui->abi_major = PI_ABI_MAJOR;
  ui->abi_minor = PI_ABI_MINOR;
  ui->frame = (void*)(uintptr_t)frame;
  void** slots = (void**)&ui->label;
  for (uint32_t i = 0; i < n; i++) slots[i] = (void*)(uintptr_t)fns[i];
  return ui;
}

PI_RT_EXPORT void* pi_rt_strdup(const char* s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char* p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}
PI_RT_EXPORT void pi_rt_free(void* p) { free(p); }
