/* Shared declarations of the mock host's parts: host table and streams, UI builder, script. */
#ifndef MOCK_HOST_H
#define MOCK_HOST_H

#include "plugin_interfaces.h"

#define MAX_STREAMS 64

typedef enum { STREAM_ACTIVE = 1, STREAM_PAUSED, STREAM_CANCELLED, STREAM_ENDED } StreamState;

typedef struct MockStream {
  StreamState state;
  unsigned chunks;   /* accepted chunks */
  unsigned refusals; /* BACKPRESSURE answers given */
  int blocked;       /* refused for back-pressure; stream_wait grants credit again */
  int granted;       /* credit granted for the next chunk */
} MockStream;

extern const PiHostApi mock_host_api;

void emit(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
PiStatus mock_stream_start(const PiHostApi* host, const char* title, uint64_t* out_stream);
PiStatus mock_stream_data(const PiHostApi* host, uint64_t id, const char* chunk);
PiStatus mock_stream_end(const PiHostApi* host, uint64_t id, uint8_t success, const char* error);
PiStatus mock_stream_wait(const PiHostApi* host, uint64_t id, uint32_t timeout_ms);
int mock_stream_control(int n, PiStreamControl control);
void mock_await(const char* name, int (*what)(int), int arg);
int mock_replies_at_least(int n);
int mock_streams_ended(int n);
int mock_chunks_of_first_stream(int n);
unsigned mock_chunk_count(int n);
void mock_set_backpressure(unsigned every);
void mock_set_destroy_state(int state);
int mock_outstanding_host_strings(void);
int mock_thread_count(void);

/* UI: queue a user event for the next frame, then record one frame. */
void mock_ui_queue(const char* kind, const char* target, const char* value);
PiStatus mock_ui_frame(const PiPluginVTable* vtable, void* instance, PiError* err);

#endif /* MOCK_HOST_H */
