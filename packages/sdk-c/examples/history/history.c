/*
 * history: declares require_history, so the host sends the chat history (a JSON array of
 * messages) through set_history before each message. It answers every message with the number
 * of messages in that history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pi_helpers.h"

typedef struct History {
  char* json; /* copy of the last history, NULL = none */
} History;

/* Counts the objects directly inside a top-level JSON array, skipping string contents. */
static unsigned long count_top_level_objects(const char* json) {
  unsigned long count = 0;
  int depth = 0;
  int in_string = 0;
  for (const char* p = json; p != NULL && *p != '\0'; p++) {
    if (in_string) {
      if (*p == '\\' && p[1] != '\0') p++;
      else if (*p == '"') in_string = 0;
    } else if (*p == '"') {
      in_string = 1;
    } else if (*p == '[' || *p == '{') {
      if (*p == '{' && depth == 1) count++;
      depth++;
    } else if (*p == ']' || *p == '}') {
      depth--;
    }
  }
  return count;
}

static PiStatus history_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)host;
  (void)meta;
  History* self = (History*)calloc(1, sizeof *self);
  if (self == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "history: out of memory");
  *out = self;
  return PI_STATUS_OK;
}

static void history_destroy(void* raw) {
  History* self = (History*)raw;
  free(self->json);
  free(self);
}

static PiStatus history_set_history(void* raw, const char* json, PiError* err) {
  History* self = (History*)raw;
  char* copy = pi_strdup(json);
  if (json != NULL && copy == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "history: out of memory");
  free(self->json);
  self->json = copy;
  return PI_STATUS_OK;
}

static PiStatus history_handle_message(void* raw, uint64_t request_id, const char* message, char** out_reply,
                                       PiError* err) {
  (void)request_id;
  (void)message;
  History* self = (History*)raw;
  char reply[64];
  snprintf(reply, sizeof reply, "history has %lu messages", count_top_level_objects(self->json));
  *out_reply = pi_strdup(reply);
  return *out_reply != NULL ? PI_STATUS_OK : pi_error_set(err, PI_STATUS_INTERNAL, "history: out of memory");
}

static void history_free_string(char* s) { free(s); }

static const PiPluginVTable history_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = history_create,
    .destroy = history_destroy,
    .handle_message = history_handle_message,
    .set_history = history_set_history,
    .free_string = history_free_string,
};

PI_DECLARE_PLUGIN(history_vtable)
