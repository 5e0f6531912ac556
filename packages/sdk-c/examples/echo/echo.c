/*
 * echo: answers every chat message with "Echo: <message>". "fail" is refused with an error,
 * "later" is answered ~20 ms later from a worker thread through host->reply. The UI shows how
 * many messages this instance has handled.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pi_helpers.h"
#include "../common/workers.h"

typedef struct Echo {
  const PiHostApi* host;
  unsigned long handled;
  Workers workers;
} Echo;

typedef struct LaterReply {
  const PiHostApi* host;
  uint64_t request_id;
} LaterReply;

static PiStatus echo_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)meta;
  Echo* self = (Echo*)calloc(1, sizeof *self);
  if (self == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "echo: out of memory");
  if (workers_init(&self->workers) != 0) {
    free(self);
    return pi_error_set(err, PI_STATUS_INTERNAL, "echo: cannot create its worker set");
  }
  self->host = host;
  *out = self;
  return PI_STATUS_OK;
}

static void echo_destroy(void* raw) {
  Echo* self = (Echo*)raw;
  workers_stop_and_join(&self->workers);
  free(self);
}

/* Answers a "later" request unless the instance is being destroyed (the host then fails it). */
static void echo_reply_later(Workers* pool, void* raw) {
  LaterReply* job = (LaterReply*)raw;
  if (!workers_sleep(pool, 20)) job->host->reply(job->host, job->request_id, PI_STATUS_OK, "Echo (later): later");
  free(job);
}

static PiStatus echo_handle_message(void* raw, uint64_t request_id, const char* message, char** out_reply,
                                    PiError* err) {
  Echo* self = (Echo*)raw;
  self->handled++;
  if (strcmp(message, "fail") == 0) {
    return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT, "echo refuses to echo fail");
  }
  if (strcmp(message, "later") == 0) {
    LaterReply* job = (LaterReply*)malloc(sizeof *job);
    if (job == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "echo: out of memory");
    job->host = self->host;
    job->request_id = request_id;
    if (workers_spawn(&self->workers, echo_reply_later, job) != 0) {
      free(job);
      return pi_error_set(err, PI_STATUS_INTERNAL, "echo: cannot start a worker thread");
    }
    return PI_STATUS_PENDING;
  }
  size_t size = strlen("Echo: ") + strlen(message) + 1;
  char* reply = (char*)malloc(size);
  if (reply == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "echo: out of memory");
  snprintf(reply, size, "Echo: %s", message);
  *out_reply = reply;
  return PI_STATUS_OK;
}

static PiStatus echo_update_ui(void* raw, const PiUi* ui, PiError* err) {
  (void)err;
  Echo* self = (Echo*)raw;
  char line[64];
  snprintf(line, sizeof line, "Messages: %lu", self->handled);
  ui->heading(ui, "Echo");
  ui->label(ui, line);
  return PI_STATUS_OK;
}

static void echo_free_string(char* s) { free(s); }

static const PiPluginVTable echo_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = echo_create,
    .destroy = echo_destroy,
    .update_ui = echo_update_ui,
    .handle_message = echo_handle_message,
    .free_string = echo_free_string,
};

PI_DECLARE_PLUGIN(echo_vtable)
