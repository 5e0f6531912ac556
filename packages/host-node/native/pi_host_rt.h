/*
 * pi_host_rt: the native half of host-node's in-process driver. It implements every PiHostApi
 * function in C so plugin threads never wait for the JavaScript event loop, owns the stream state
 * machine, queues plugin events in a compact binary form for the host to drain in batches, and
 * wraps every plugin entry point in a trampoline (one koffi call per entry call).
 */
#ifndef PI_HOST_RT_H
#define PI_HOST_RT_H

#include "plugin_interfaces.h"

#define PI_RT_VERSION 1

/* Record kinds in the drained event buffer. */
enum {
  PI_RT_EV_MESSAGE = 1,      /* i1 = message type, s1 = content */
  PI_RT_EV_REPLY = 2,        /* a = request id, i1 = status, s1 = content (nullable) */
  PI_RT_EV_STREAM_START = 3, /* a = stream, s1 = title (nullable) */
  PI_RT_EV_STREAM_DATA = 4,  /* a = stream, b = seq, s1 = chunk */
  PI_RT_EV_STREAM_END = 5,   /* a = stream, i1 = success, s1 = error (nullable) */
  PI_RT_EV_STREAM_PAUSE = 6, /* a = stream, i1 = by (0 plugin, 1 user) */
  PI_RT_EV_STREAM_RESUME = 7,
  PI_RT_EV_STREAM_CANCEL = 8, /* a = stream, i1 = by (0 plugin, 1 user, 2 host) */
  PI_RT_EV_CUSTOM = 9,        /* s1 = event, s2 = payload json */
  PI_RT_EV_LOG = 10,          /* i1 = level, s1 = text */
  PI_RT_EV_REFRESH = 11,
  PI_RT_EV_DISCONNECT = 12,
  PI_RT_EV_VIOLATION = 13, /* i1 = status returned, s1 = function name, s2 = reason */
  PI_RT_EV_REQUEST = 14    /* a = ticket, i1 = kind (1 app config, 2 call plugin), s1, s2 */
};

/* Drained record header: 40 bytes, little-endian, followed by nothing (strings go to a
 * separate region in order s1, s2 of each record). Lengths are bytes; u16 lengths are the
 * UTF-16 code-unit counts of the same strings so JS can slice one decoded string. */
typedef struct PiRtRecord {
  uint32_t kind;
  int32_t i1;
  uint64_t a;
  uint64_t b;
  uint32_t len1; /* 0xFFFFFFFF = NULL */
  uint32_t len2;
  uint32_t u16len1;
  uint32_t u16len2;
} PiRtRecord;

/* Shared per-instance call state read by JS through a memory view. */
typedef struct PiRtCallState {
  int32_t status;       /* status of the last trampoline call */
  uint32_t queued;      /* records waiting to be drained */
  uint32_t reply_flags; /* 1 = reply present, 2 = reply was not valid UTF-8, 4 = bad status */
  uint32_t reserved;
} PiRtCallState;

#endif
