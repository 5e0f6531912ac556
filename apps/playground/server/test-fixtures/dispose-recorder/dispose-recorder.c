/*
 * Test fixture: appends the name of every lifecycle entry it receives, one per line, to the file
 * named by $PI_LIFECYCLE_LOG (flushed at once), so a test can see whether on_disconnect and
 * on_dispose ran before the process went away. $PI_DISPOSE_SLEEP_MS makes on_dispose take that long.
 * Built with -DMOUNT_FAILS, on_mount fails (a rebuild that loads but cannot mount).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pi_helpers.h"

static void record(const char* entry) {
  const char* path = getenv("PI_LIFECYCLE_LOG");
  if (path == NULL) return;
  FILE* f = fopen(path, "a");
  if (f == NULL) return;
  fprintf(f, "%s\n", entry);
  fclose(f);
}

static int instance_marker;

static PiStatus rec_create(const PiHostApi* host, const PiPluginMetadata* meta, void** out, PiError* err) {
  (void)host;
  (void)meta;
  (void)err;
  record("create");
  *out = &instance_marker;
  return PI_STATUS_OK;
}

static void rec_destroy(void* self) {
  (void)self;
  record("destroy");
}

static PiStatus rec_mount(void* self, PiError* err) {
  (void)self;
  (void)err;
  record("on_mount");
#ifdef MOUNT_FAILS
  return pi_error_set(err, PI_STATUS_ERROR, "this rebuild refuses to mount");
#else
  return PI_STATUS_OK;
#endif
}

static PiStatus rec_connect(void* self, PiError* err) {
  (void)self;
  (void)err;
  record("on_connect");
  return PI_STATUS_OK;
}

static PiStatus rec_disconnect(void* self, PiError* err) {
  (void)self;
  (void)err;
  record("on_disconnect");
  return PI_STATUS_OK;
}

static PiStatus rec_dispose(void* self, PiError* err) {
  (void)self;
  (void)err;
  record("on_dispose");
  const char* ms = getenv("PI_DISPOSE_SLEEP_MS");
  if (ms != NULL) {
    long n = strtol(ms, NULL, 10);
    struct timespec t = {n / 1000, (n % 1000) * 1000000L};
    nanosleep(&t, NULL);
  }
  return PI_STATUS_OK;
}

static PiStatus rec_update_ui(void* self, const PiUi* ui, PiError* err) {
  (void)self;
  (void)err;
  ui->label(ui, "recording lifecycle");
  return PI_STATUS_OK;
}

static PiStatus rec_handle_message(void* self, uint64_t request_id, const char* message, char** out_reply,
                                   PiError* err) {
  (void)self;
  (void)request_id;
  (void)err;
  *out_reply = strdup(message);
  return PI_STATUS_OK;
}

static void rec_free_string(char* s) { free(s); }

static const PiPluginVTable rec_vtable = {
    PI_TABLE_HEAD(PiPluginVTable),
    .create = rec_create,
    .destroy = rec_destroy,
    .on_mount = rec_mount,
    .on_dispose = rec_dispose,
    .on_connect = rec_connect,
    .on_disconnect = rec_disconnect,
    .update_ui = rec_update_ui,
    .handle_message = rec_handle_message,
    .free_string = rec_free_string,
};

PI_DECLARE_PLUGIN(rec_vtable)
