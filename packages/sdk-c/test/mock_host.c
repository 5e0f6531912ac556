/*
 * The host API table of the mock host (see mock_main.c): prints each call, keeps a small stream
 * state machine with pause, cancel and back-pressure, and reports calls the plugin must not
 * make (from destroy, or after destroy returned).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mock_host.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static MockStream streams[MAX_STREAMS + 1];
static int stream_count;
static int async_replies;
static int outstanding_host_strings;
static unsigned backpressure_every;
static int destroy_state; /* 0 running, 1 inside destroy, 2 destroyed */
static pthread_t destroy_thread;

/* One transcript line. stdout is held for the whole line, so lines that plugin threads and the
 * main thread emit at once never run into each other. */
void emit(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  flockfile(stdout);
  vprintf(fmt, args);
  putchar('\n');
  fflush(stdout);
  funlockfile(stdout);
  va_end(args);
}

/* Called with lock held: reports host calls the plugin must not make. */
static void check_caller(const char* function) {
  if (destroy_state == 2) emit("LATE CALL %s after destroy returned", function);
  if (destroy_state == 1 && pthread_equal(pthread_self(), destroy_thread)) emit("HOST CALL FROM DESTROY %s", function);
}

static PiStatus host_send_message(const PiHostApi* host, PiMessageType type, const char* content) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("send_message");
  emit("message %d %s", (int)type, content);
  pthread_mutex_unlock(&lock);
  return PI_STATUS_OK;
}

static PiStatus host_reply(const PiHostApi* host, uint64_t request_id, PiStatus status, const char* content) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("reply");
  emit("async-reply %llu %d %s", (unsigned long long)request_id, (int)status, content ? content : "(null)");
  async_replies++;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  return PI_STATUS_OK;
}

static PiStatus host_log(const PiHostApi* host, PiLogLevel level, const char* text) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("log");
  emit("log %d %s", (int)level, text);
  pthread_mutex_unlock(&lock);
  return PI_STATUS_OK;
}

static char* host_string(const char* text) {
  outstanding_host_strings++;
  size_t size = strlen(text) + 1;
  char* copy = (char*)malloc(size);
  memcpy(copy, text, size);
  return copy;
}

static void host_free_string(const PiHostApi* host, char* s) {
  (void)host;
  if (s == NULL) return;
  pthread_mutex_lock(&lock);
  outstanding_host_strings--;
  pthread_mutex_unlock(&lock);
  free(s);
}

static PiStatus host_get_app_config(const PiHostApi* host, const char* key, char** out_value) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("get_app_config");
  PiStatus status = PI_STATUS_OK;
  if (strcmp(key, "theme") == 0) *out_value = host_string("dark");
  else if (strcmp(key, "user.name") == 0) *out_value = host_string("Ada");
  else status = PI_STATUS_PERMISSION_DENIED;
  pthread_mutex_unlock(&lock);
  return status;
}

static PiStatus host_call_other_plugin(const PiHostApi* host, const char* plugin_id, const char* message,
                                       char** out_reply) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("call_other_plugin");
  PiStatus status = PI_STATUS_NOT_FOUND;
  if (strcmp(plugin_id, "echo") == 0) {
    char text[512];
    snprintf(text, sizeof text, "Echo: %s", message);
    *out_reply = host_string(text);
    status = PI_STATUS_OK;
  }
  pthread_mutex_unlock(&lock);
  return status;
}

static PiStatus host_request(const PiHostApi* host) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("request_refresh");
  emit("request-refresh");
  pthread_mutex_unlock(&lock);
  return PI_STATUS_OK;
}

static PiStatus host_unsupported_op(const PiHostApi* host, uint64_t stream) {
  (void)host;
  (void)stream;
  return PI_STATUS_UNSUPPORTED;
}

static PiStatus host_send_to_frontend(const PiHostApi* host, const char* event, const char* payload_json) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("send_to_frontend");
  emit("frontend %s %s", event, payload_json);
  pthread_mutex_unlock(&lock);
  return PI_STATUS_OK;
}

const PiHostApi mock_host_api = {
    PI_TABLE_HEAD(PiHostApi),
    .host_data = NULL,
    .send_message = host_send_message,
    .reply = host_reply,
    .stream_start = mock_stream_start,
    .stream_data = mock_stream_data,
    .stream_end = mock_stream_end,
    .stream_pause = host_unsupported_op,
    .stream_resume = host_unsupported_op,
    .stream_cancel = host_unsupported_op,
    .stream_wait = mock_stream_wait,
    .send_to_frontend = host_send_to_frontend,
    .get_app_config = host_get_app_config,
    .call_other_plugin = host_call_other_plugin,
    .log = host_log,
    .request_refresh = host_request,
    .request_disconnect = host_request,
    .free_string = host_free_string,
};

/* ---- streams ---- */

PiStatus mock_stream_start(const PiHostApi* host, const char* title, uint64_t* out_stream) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("stream_start");
  PiStatus status = PI_STATUS_LIMIT_EXCEEDED;
  if (stream_count < MAX_STREAMS) {
    int n = ++stream_count;
    streams[n].state = STREAM_ACTIVE;
    *out_stream = (uint64_t)n;
    emit("stream-start %d %s", n, title ? title : "(null)");
    status = PI_STATUS_OK;
  }
  pthread_mutex_unlock(&lock);
  return status;
}

static MockStream* find_stream(uint64_t id) {
  return id >= 1 && id <= (uint64_t)stream_count ? &streams[id] : NULL;
}

PiStatus mock_stream_data(const PiHostApi* host, uint64_t id, const char* chunk) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("stream_data");
  MockStream* stream = find_stream(id);
  PiStatus status = PI_STATUS_OK;
  if (stream == NULL) status = PI_STATUS_NOT_FOUND;
  else if (stream->state == STREAM_CANCELLED) status = PI_STATUS_CANCELLED;
  else if (stream->state == STREAM_PAUSED) status = PI_STATUS_BACKPRESSURE; /* as the host: wait, then resend */
  else if (stream->state != STREAM_ACTIVE) status = PI_STATUS_INVALID_STATE;
  else if (stream->blocked) status = PI_STATUS_BACKPRESSURE; /* resent without waiting */
  else if (backpressure_every > 0 && !stream->granted && stream->chunks > 0 &&
           stream->chunks % backpressure_every == 0) {
    stream->blocked = 1;
    stream->refusals++;
    status = PI_STATUS_BACKPRESSURE;
  }
  if (status == PI_STATUS_OK) {
    stream->granted = 0;
    stream->chunks++;
    size_t length = strlen(chunk);
    int newline = length > 0 && chunk[length - 1] == '\n';
    emit("stream-data %d %.*s%s", (int)id, (int)(length - (size_t)newline), chunk, newline ? "\\n" : "");
    pthread_cond_broadcast(&changed);
  }
  pthread_mutex_unlock(&lock);
  return status;
}

PiStatus mock_stream_end(const PiHostApi* host, uint64_t id, uint8_t success, const char* error) {
  (void)host;
  pthread_mutex_lock(&lock);
  check_caller("stream_end");
  MockStream* stream = find_stream(id);
  PiStatus status = PI_STATUS_OK;
  if (stream == NULL) status = PI_STATUS_NOT_FOUND;
  else if (stream->state == STREAM_CANCELLED || stream->state == STREAM_ENDED) {
    emit("stream-end-after-end %d", (int)id);
    status = PI_STATUS_INVALID_STATE;
  } else {
    stream->state = STREAM_ENDED;
    emit("stream-end %d success=%d error=%s refusals=%u", (int)id, success, error ? error : "(null)",
         stream->refusals);
    pthread_cond_broadcast(&changed);
  }
  pthread_mutex_unlock(&lock);
  return status;
}

PiStatus mock_stream_wait(const PiHostApi* host, uint64_t id, uint32_t timeout_ms) {
  (void)host;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) deadline.tv_sec++, deadline.tv_nsec -= 1000000000L;
  pthread_mutex_lock(&lock);
  check_caller("stream_wait");
  MockStream* stream = find_stream(id);
  PiStatus status = PI_STATUS_NOT_FOUND;
  while (stream != NULL) {
    if (stream->state == STREAM_CANCELLED) status = PI_STATUS_CANCELLED;
    else if (stream->state == STREAM_ENDED) status = PI_STATUS_INVALID_STATE;
    else if (stream->state == STREAM_ACTIVE) status = PI_STATUS_OK;
    else if (pthread_cond_timedwait(&changed, &lock, &deadline) != 0) status = PI_STATUS_TIMEOUT;
    else continue;
    break;
  }
  if (status == PI_STATUS_OK && stream->blocked) {
    stream->blocked = 0;
    stream->granted = 1;
  }
  pthread_mutex_unlock(&lock);
  return status;
}

/* ---- script ---- */

/* Applies a user's pause/resume/cancel to stream n; the caller then tells the plugin. */
int mock_stream_control(int n, PiStreamControl control) {
  pthread_mutex_lock(&lock);
  MockStream* stream = find_stream((uint64_t)n);
  int ok = stream != NULL && (stream->state == STREAM_ACTIVE || stream->state == STREAM_PAUSED);
  if (ok) {
    stream->state = control == PI_STREAM_CONTROL_PAUSE    ? STREAM_PAUSED
                    : control == PI_STREAM_CONTROL_RESUME ? STREAM_ACTIVE
                                                          : STREAM_CANCELLED;
    pthread_cond_broadcast(&changed);
  }
  pthread_mutex_unlock(&lock);
  return ok;
}

/* Blocks until what(arg) holds or 10 s pass; prints a timeout line in that case. */
void mock_await(const char* name, int (*what)(int), int arg) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 10;
  pthread_mutex_lock(&lock);
  while (!what(arg)) {
    if (pthread_cond_timedwait(&changed, &lock, &deadline) != 0) {
      emit("TIMEOUT waiting for %s %d", name, arg);
      break;
    }
  }
  pthread_mutex_unlock(&lock);
}

int mock_replies_at_least(int n) { return async_replies >= n; }
int mock_streams_ended(int n) {
  int ended = 0;
  for (int i = 1; i <= stream_count; i++) ended += streams[i].state == STREAM_ENDED;
  return ended >= n;
}
int mock_chunks_of_first_stream(int n) { return stream_count >= 1 && (int)streams[1].chunks >= n; }

unsigned mock_chunk_count(int n) {
  pthread_mutex_lock(&lock);
  MockStream* stream = find_stream((uint64_t)n);
  unsigned count = stream != NULL ? stream->chunks : 0;
  pthread_mutex_unlock(&lock);
  return count;
}

void mock_set_backpressure(unsigned every) {
  pthread_mutex_lock(&lock);
  backpressure_every = every;
  pthread_mutex_unlock(&lock);
}

void mock_set_destroy_state(int state) {
  pthread_mutex_lock(&lock);
  destroy_state = state;
  destroy_thread = pthread_self();
  pthread_mutex_unlock(&lock);
}

int mock_outstanding_host_strings(void) {
  pthread_mutex_lock(&lock);
  int n = outstanding_host_strings;
  pthread_mutex_unlock(&lock);
  return n;
}

int mock_thread_count(void) {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == NULL) return -1;
  int count = 0;
  for (struct dirent* entry = readdir(tasks); entry != NULL; entry = readdir(tasks)) {
    count += entry->d_name[0] != '.';
  }
  closedir(tasks);
  return count;
}
