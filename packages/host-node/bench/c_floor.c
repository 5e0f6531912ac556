/*
 * Benchmark floor: a plain C program that dlopens a plugin and calls its handle_message with a
 * 1 KiB message, the way a native host would. Prints nanoseconds per call.
 * Usage: c_floor <plugin.so> <calls>
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plugin_interfaces.h"

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return 3;
  PiPluginEntryFn entry_fn;
  *(void**)&entry_fn = dlsym(lib, PI_ENTRY_SYMBOL);
  if (entry_fn == NULL) return 4;
  const PiPluginVTable* vt = entry_fn()->vtable;
  PiHostApi host;
  memset(&host, 0, sizeof host);
  host.struct_size = (uint32_t)sizeof host;
  PiPluginMetadata meta;
  memset(&meta, 0, sizeof meta);
  meta.struct_size = (uint32_t)sizeof meta;
  meta.id = "bench";
  meta.instance_id = "bench-c";
  meta.settings_json = "{}";
  PiError err;
  memset(&err, 0, sizeof err);
  err.struct_size = (uint32_t)sizeof err;
  void* self = NULL;
  if (vt->create(&host, &meta, &self, &err) != PI_STATUS_OK) return 5;
  char msg[1025];
  memset(msg, 'm', 1024);
  msg[0] = 'x';
  msg[1024] = '\0';
  long n = atol(argv[2]);
  for (long i = 0; i < n / 10; i++) {
    char* out = NULL;
    vt->handle_message(self, (uint64_t)i, msg, &out, &err);
    if (out != NULL) vt->free_string(out);
  }
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    char* out = NULL;
    vt->handle_message(self, (uint64_t)i, msg, &out, &err);
    if (out != NULL) vt->free_string(out);
  }
  double per = (now_ns() - t0) / (double)n;
  vt->destroy(self);
  printf("%.1f\n", per);
  return 0;
}
