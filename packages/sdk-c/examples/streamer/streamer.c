/*
 * streamer: "stream <n> [delay_ms]" starts a worker thread that opens a stream titled
 * "Counting to <n>" and sends "chunk 1\n" ... "chunk <n>\n", honouring back-pressure, pause and
 * cancel; "stream-fail <n>" sends n chunks and then ends the stream as failed. Any number of
 * streams may run at once; destroy stops and joins them all. Each worker watches its stream with
 * a PiCancelToken (pi_helpers.h), so the user's cancel wakes it in the middle of a delay.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/workers.h"
#include "pi_helpers.h"

#define MAX_CHUNKS 1000000L
#define MAX_DELAY_MS 60000L
#define WAIT_SLICE_MS 100u /* how long one stream_wait blocks before checking for destroy */

typedef struct Streamer {
  const PiHostApi* host;
  Workers workers;
  PiCancelSet cancels; /* one token per running stream, raised from on_stream_control */
} Streamer;

typedef struct StreamJob {
  const PiHostApi* host;
  PiCancelSet* cancels;
  Workers* pool;
  PiCancelToken token;
  int cancelled; /* guarded by the pool's lock; set by the token's callback */
  long count;
  long delay_ms;
  int fail;
} StreamJob;

/* The token's callback (runs on the host thread on cancel): wake this job's sleep. */
static void wake_job(void* raw) {
  StreamJob* job = (StreamJob*)raw;
  workers_raise(job->pool, &job->cancelled);
}

typedef enum { SENT, STOP_QUIETLY, STOP_WITH_ERROR } SendOutcome;

/* Sends one chunk, waiting while the host has no credit or the user paused the stream. */
static SendOutcome send_chunk(Workers* pool, const PiHostApi* host, uint64_t stream, const char* chunk) {
  for (;;) {
    PiStatus status = host->stream_data(host, stream, chunk);
    if (status == PI_STATUS_OK) return SENT;
    if (status == PI_STATUS_CANCELLED) return STOP_QUIETLY; /* the host already ended it */
    if (status != PI_STATUS_BACKPRESSURE) return STOP_WITH_ERROR; /* ended (INVALID_STATE) or worse */
    for (;;) {
      if (workers_stopping(pool)) return STOP_QUIETLY;
      PiStatus waited = host->stream_wait(host, stream, WAIT_SLICE_MS);
      if (waited == PI_STATUS_OK) break; /* credit again, or resumed: resend the same chunk */
      if (waited != PI_STATUS_TIMEOUT) return STOP_QUIETLY; /* cancelled or ended */
    }
  }
}

static void run_stream(Workers* pool, void* raw) {
  StreamJob* job = (StreamJob*)raw;
  const PiHostApi* host = job->host;
  char text[64];
  uint64_t stream = 0;
  snprintf(text, sizeof text, "Counting to %ld", job->count);
  PiStatus status = host->stream_start(host, text, &stream);
  if (status != PI_STATUS_OK) {
    if (!workers_stopping(pool)) pi_log(host, PI_LOG_LEVEL_ERROR, "stream_start failed: %d", (int)status);
    free(job);
    return;
  }
  job->pool = pool;
  pi_cancel_watch(job->cancels, &job->token, stream, wake_job, job);
  SendOutcome outcome = SENT;
  for (long i = 1; i <= job->count && outcome == SENT; i++) {
    snprintf(text, sizeof text, "chunk %ld\n", i);
    outcome = send_chunk(pool, host, stream, text);
    if (outcome == SENT && job->delay_ms > 0 && i < job->count &&
        workers_sleep_or(pool, (unsigned)job->delay_ms, &job->cancelled)) {
      outcome = STOP_QUIETLY;
    }
  }
  /* After this the token's callback can no longer run, so the job may be freed below. */
  pi_cancel_unwatch(job->cancels, &job->token);
  if (pi_cancel_is_cancelled(job->cancels, &job->token) && !workers_stopping(pool)) {
    pi_log(host, PI_LOG_LEVEL_INFO, "stream %llu: worker stopped by the user's cancel", (unsigned long long)stream);
  }
  if (outcome == SENT && !workers_stopping(pool)) {
    host->stream_end(host, stream, job->fail ? 0 : 1, job->fail ? "simulated failure" : NULL);
  } else if (outcome == STOP_WITH_ERROR && !workers_stopping(pool)) {
    host->stream_end(host, stream, 0, "the host refused a chunk");
  }
  free(job);
}

static PiStatus streamer_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)meta;
  Streamer* self = (Streamer*)calloc(1, sizeof *self);
  if (self == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "streamer: out of memory");
  if (workers_init(&self->workers) != 0) {
    free(self);
    return pi_error_set(err, PI_STATUS_INTERNAL, "streamer: cannot create its worker set");
  }
  if (pi_cancel_set_init(&self->cancels) != 0) {
    workers_stop_and_join(&self->workers);
    free(self);
    return pi_error_set(err, PI_STATUS_INTERNAL, "streamer: cannot create its cancel set");
  }
  self->host = host;
  *out = self;
  return PI_STATUS_OK;
}

static void streamer_destroy(void* raw) {
  Streamer* self = (Streamer*)raw;
  pi_cancel_all(&self->cancels);
  workers_stop_and_join(&self->workers);
  pi_cancel_set_destroy(&self->cancels);
  free(self);
}

/* Parses "stream <n> [delay_ms]" or "stream-fail <n>" into job; returns 0 when it matches. */
static int parse_command(const char* message, StreamJob* job) {
  char command[16] = "";
  char extra;
  long count = 0;
  long delay = 0;
  int fields = sscanf(message, "%15s %ld %ld %c", command, &count, &delay, &extra);
  job->fail = strcmp(command, "stream-fail") == 0;
  if (fields < 2 || fields > 3 || count < 1 || count > MAX_CHUNKS || delay < 0 || delay > MAX_DELAY_MS) return -1;
  if (!job->fail && strcmp(command, "stream") != 0) return -1;
  if (job->fail && fields != 2) return -1;
  job->count = count;
  job->delay_ms = delay;
  return 0;
}

static PiStatus streamer_handle_message(void* raw, uint64_t request_id, const char* message, char** out_reply,
                                        PiError* err) {
  (void)request_id;
  Streamer* self = (Streamer*)raw;
  StreamJob* job = (StreamJob*)calloc(1, sizeof *job);
  if (job == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "streamer: out of memory");
  if (parse_command(message, job) != 0) {
    free(job);
    return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT,
                        "streamer understands \"stream <n> [delay_ms]\" and \"stream-fail <n>\" (1 <= n <= %ld)",
                        MAX_CHUNKS);
  }
  job->host = self->host;
  job->cancels = &self->cancels;
  long count = job->count;
  if (workers_spawn(&self->workers, run_stream, job) != 0) {
    free(job);
    return pi_error_set(err, PI_STATUS_INTERNAL, "streamer: cannot start a worker thread");
  }
  char reply[48];
  snprintf(reply, sizeof reply, "streaming %ld chunks", count);
  *out_reply = pi_strdup(reply);
  return *out_reply != NULL ? PI_STATUS_OK : pi_error_set(err, PI_STATUS_INTERNAL, "streamer: out of memory");
}

static PiStatus streamer_on_stream_control(void* raw, uint64_t stream, PiStreamControl control, PiError* err) {
  (void)err;
  Streamer* self = (Streamer*)raw;
  /* Wake the stream's worker even while it sleeps between chunks. */
  if (control == PI_STREAM_CONTROL_CANCEL) pi_cancel_stream(&self->cancels, stream);
  const char* name = control == PI_STREAM_CONTROL_PAUSE    ? "pause"
                     : control == PI_STREAM_CONTROL_RESUME ? "resume"
                     : control == PI_STREAM_CONTROL_CANCEL ? "cancel"
                                                           : "unknown";
  pi_log(self->host, PI_LOG_LEVEL_INFO, "control %s", name);
  return PI_STATUS_OK;
}

static void streamer_free_string(char* s) { free(s); }

static const PiPluginVTable streamer_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = streamer_create,
    .destroy = streamer_destroy,
    .handle_message = streamer_handle_message,
    .on_stream_control = streamer_on_stream_control,
    .free_string = streamer_free_string,
};

PI_DECLARE_PLUGIN(streamer_vtable)
