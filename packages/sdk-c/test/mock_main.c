/*
 * mock_host: a scripted stand-in for the real host, for testing the example plugins in C. It
 * loads one plugin, creates an instance, runs the commands read from stdin (one a line, see
 * run_command), destroys the instance and prints every call the plugin made, one line each,
 * ending with the number of threads still running and host strings never released.
 *
 * usage: mock_host <library> [require_history] < script
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mock_host.h"

static const PiPluginVTable* vtable;
static void* instance;
static uint64_t next_request = 1;
static PiError err;

static void report_error(PiStatus status) {
  if (status < 0) emit("error %d %s", (int)err.code, err.message);
}

static void send_message(const char* text) {
  char* reply = NULL;
  uint64_t id = next_request++;
  memset(&err, 0, sizeof err);
  err.struct_size = sizeof err;
  PiStatus status = vtable->handle_message(instance, id, text, &reply, &err);
  emit("reply %llu %d %s", (unsigned long long)id, (int)status, reply ? reply : "(none)");
  report_error(status);
  vtable->free_string(reply);
}

static void stream_control(int n, PiStreamControl control) {
  if (!mock_stream_control(n, control)) emit("no stream %d to control", n);
  else if (vtable->on_stream_control != NULL) report_error(vtable->on_stream_control(instance, (uint64_t)n, control, &err));
}

static void destroy_instance(void) {
  mock_set_destroy_state(1);
  vtable->destroy(instance);
  mock_set_destroy_state(2);
  instance = NULL;
  emit("destroyed");
}

/* Runs one script line: "<command> <argument>", the argument may contain spaces. */
static void run_command(char* line) {
  char* arg = strchr(line, ' ');
  if (arg != NULL) *arg++ = '\0';
  else arg = line + strlen(line);
  char* value = strchr(arg, ' '); /* second argument, for UI events */
  if (strcmp(line, "msg") == 0) send_message(arg);
  else if (strcmp(line, "history") == 0) report_error(vtable->set_history(instance, arg, &err));
  else if (strcmp(line, "history-null") == 0) report_error(vtable->set_history(instance, NULL, &err));
  else if (strcmp(line, "ui") == 0) report_error(mock_ui_frame(vtable, instance, &err));
  else if (strcmp(line, "click") == 0) mock_ui_queue("click", arg, NULL);
  else if (strcmp(line, "edit") == 0 || strcmp(line, "select") == 0 || strcmp(line, "flip") == 0) {
    if (value != NULL) *value++ = '\0';
    mock_ui_queue(line, arg, value != NULL ? value : "");
  } else if (strcmp(line, "await-replies") == 0) mock_await("replies", mock_replies_at_least, atoi(arg));
  else if (strcmp(line, "await-ended") == 0) mock_await("ended streams", mock_streams_ended, atoi(arg));
  else if (strcmp(line, "await-chunks") == 0) mock_await("chunks", mock_chunks_of_first_stream, atoi(arg));
  else if (strcmp(line, "chunks") == 0) emit("chunks %d %u", atoi(arg), mock_chunk_count(atoi(arg)));
  else if (strcmp(line, "backpressure") == 0) mock_set_backpressure((unsigned)atoi(arg));
  else if (strcmp(line, "pause") == 0) stream_control(atoi(arg), PI_STREAM_CONTROL_PAUSE);
  else if (strcmp(line, "resume") == 0) stream_control(atoi(arg), PI_STREAM_CONTROL_RESUME);
  else if (strcmp(line, "cancel") == 0) stream_control(atoi(arg), PI_STREAM_CONTROL_CANCEL);
  else if (strcmp(line, "sleep") == 0) nanosleep(&(struct timespec){.tv_sec = atoi(arg) / 1000, .tv_nsec = (atoi(arg) % 1000) * 1000000L}, NULL);
  else if (strcmp(line, "destroy") == 0) destroy_instance();
  else if (line[0] != '\0' && line[0] != '#') emit("UNKNOWN COMMAND %s", line);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <library> [require_history] < script\n", argv[0]);
    return 2;
  }
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  void* symbol = library != NULL ? dlsym(library, PI_ENTRY_SYMBOL) : NULL;
  PiPluginEntryFn entry_fn = NULL;
  memcpy(&entry_fn, &symbol, sizeof entry_fn);
  if (entry_fn == NULL) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  vtable = entry_fn()->vtable;
  PiPluginMetadata meta = {PI_TABLE_HEAD(PiPluginMetadata), .id = "test", .name = "Test", .description = "",
                           .version = "0.1.0", .author = NULL, .plugin_dir = "/tmp", .library_path = argv[1],
                           .config_path = "/tmp/config.toml", .instance_id = "test-1", .settings_json = "{}",
                           .require_history = (uint8_t)(argc > 2)};
  err.struct_size = sizeof err;
  PiStatus created = vtable->create(&mock_host_api, &meta, &instance, &err);
  emit("created %d", (int)created);
  if (created != PI_STATUS_OK) return 1;
  char line[4096];
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    run_command(line);
  }
  if (instance != NULL) destroy_instance();
  emit("threads %d", mock_thread_count());
  emit("host-strings %d", mock_outstanding_host_strings());
  dlclose(library);
  return 0;
}
