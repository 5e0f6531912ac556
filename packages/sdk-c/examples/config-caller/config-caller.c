/*
 * config-caller: reads app settings and calls other plugins through the host, as permitted by
 * [permissions] in its config.toml. "config <key>" answers with the setting; "call <plugin>
 * <text>" answers later, from a worker thread, with the other plugin's reply. The UI reads the
 * "theme" setting when its button is clicked.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/workers.h"
#include "pi_helpers.h"

typedef struct ConfigCaller {
  const PiHostApi* host;
  char* theme_line; /* "Theme: <value>" after the first read, else NULL */
  Workers workers;
} ConfigCaller;

typedef struct CallJob {
  const PiHostApi* host;
  uint64_t request_id;
  char* plugin; /* points into the same allocation as the job */
  char* text;
} CallJob;

/* Formats "<prefix><value>" into a new malloc'd string. */
static char* concat(const char* prefix, const char* value) {
  size_t size = strlen(prefix) + strlen(value) + 1;
  char* out = (char*)malloc(size);
  if (out != NULL) snprintf(out, size, "%s%s", prefix, value);
  return out;
}

static PiStatus config_caller_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)meta;
  ConfigCaller* self = (ConfigCaller*)calloc(1, sizeof *self);
  if (self == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "config-caller: out of memory");
  if (workers_init(&self->workers) != 0) {
    free(self);
    return pi_error_set(err, PI_STATUS_INTERNAL, "config-caller: cannot create its worker set");
  }
  self->host = host;
  *out = self;
  return PI_STATUS_OK;
}

static void config_caller_destroy(void* raw) {
  ConfigCaller* self = (ConfigCaller*)raw;
  workers_stop_and_join(&self->workers);
  free(self->theme_line);
  free(self);
}

static void run_call(Workers* pool, void* raw) {
  CallJob* job = (CallJob*)raw;
  const PiHostApi* host = job->host;
  char* reply = NULL;
  PiStatus status = host->call_other_plugin(host, job->plugin, job->text, &reply);
  if (!workers_stopping(pool)) {
    char prefix[160];
    if (status == PI_STATUS_OK) {
      snprintf(prefix, sizeof prefix, "%s said: ", job->plugin);
      char* text = concat(prefix, reply != NULL ? reply : "");
      host->reply(host, job->request_id, text != NULL ? PI_STATUS_OK : PI_STATUS_INTERNAL,
                  text != NULL ? text : "config-caller: out of memory");
      free(text);
    } else {
      snprintf(prefix, sizeof prefix, "call %s failed: %s", job->plugin, pi_status_name(status));
      host->reply(host, job->request_id, status, prefix);
    }
  }
  host->free_string(host, reply);
  free(job);
}

/* "call <plugin> <text>": copies both parts into one job and starts the worker. */
static PiStatus start_call(ConfigCaller* self, uint64_t request_id, const char* args, PiError* err) {
  const char* space = strchr(args, ' ');
  size_t id_length = space != NULL ? (size_t)(space - args) : 0;
  if (id_length == 0 || id_length > 64) {
    return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT, "usage: call <plugin> <text>");
  }
  size_t text_length = strlen(space + 1);
  CallJob* job = (CallJob*)malloc(sizeof *job + id_length + 1 + text_length + 1);
  if (job == NULL) return pi_error_set(err, PI_STATUS_INTERNAL, "config-caller: out of memory");
  job->host = self->host;
  job->request_id = request_id;
  job->plugin = (char*)(job + 1);
  memcpy(job->plugin, args, id_length);
  job->plugin[id_length] = '\0';
  job->text = job->plugin + id_length + 1;
  memcpy(job->text, space + 1, text_length + 1);
  if (workers_spawn(&self->workers, run_call, job) != 0) {
    free(job);
    return pi_error_set(err, PI_STATUS_INTERNAL, "config-caller: cannot start a worker thread");
  }
  return PI_STATUS_PENDING;
}

static PiStatus read_config(ConfigCaller* self, const char* key, char** out_reply, PiError* err) {
  char* value = NULL;
  PiStatus status = self->host->get_app_config(self->host, key, &value);
  if (status != PI_STATUS_OK) {
    self->host->free_string(self->host, value);
    return pi_error_set(err, status, "config %s failed: %s", key, pi_status_name(status));
  }
  *out_reply = pi_strdup(value != NULL ? value : "");
  self->host->free_string(self->host, value);
  return *out_reply != NULL ? PI_STATUS_OK : pi_error_set(err, PI_STATUS_INTERNAL, "config-caller: out of memory");
}

static PiStatus config_caller_handle_message(void* raw, uint64_t request_id, const char* message, char** out_reply,
                                             PiError* err) {
  ConfigCaller* self = (ConfigCaller*)raw;
  if (strncmp(message, "config ", 7) == 0) return read_config(self, message + 7, out_reply, err);
  if (strncmp(message, "call ", 5) == 0) return start_call(self, request_id, message + 5, err);
  return pi_error_set(err, PI_STATUS_INVALID_ARGUMENT,
                      "config-caller understands \"config <key>\" and \"call <plugin> <text>\"");
}

/* Reads "theme" and remembers the label text to show. */
static void read_theme(ConfigCaller* self) {
  char* value = NULL;
  PiStatus status = self->host->get_app_config(self->host, "theme", &value);
  char failed[48];
  snprintf(failed, sizeof failed, "(failed: %s)", pi_status_name(status));
  char* line = concat("Theme: ", status == PI_STATUS_OK && value != NULL ? value : failed);
  self->host->free_string(self->host, value);
  if (line == NULL) return;
  free(self->theme_line);
  self->theme_line = line;
}

static PiStatus config_caller_update_ui(void* raw, const PiUi* ui, PiError* err) {
  (void)err;
  ConfigCaller* self = (ConfigCaller*)raw;
  if (ui->button(ui, "read-theme", "Read theme", PI_UI_FLAGS_NONE)) read_theme(self);
  if (self->theme_line != NULL) ui->label(ui, self->theme_line);
  return PI_STATUS_OK;
}

static void config_caller_free_string(char* s) { free(s); }

static const PiPluginVTable config_caller_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = config_caller_create,
    .destroy = config_caller_destroy,
    .update_ui = config_caller_update_ui,
    .handle_message = config_caller_handle_message,
    .free_string = config_caller_free_string,
};

PI_DECLARE_PLUGIN(config_caller_vtable)
