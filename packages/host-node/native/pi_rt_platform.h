/*
 * pi_rt_platform: the few operating-system services the runtime shim needs – a mutex, a
 * condition variable with a monotonic deadline, the identity of the calling thread, a
 * monotonic clock – for POSIX (Linux, macOS) and Windows (mingw-w64 or MSVC).
 */
#ifndef PI_RT_PLATFORM_H
#define PI_RT_PLATFORM_H

#include <stdint.h>

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

typedef CRITICAL_SECTION rt_mutex;
typedef CONDITION_VARIABLE rt_cond;
typedef DWORD rt_thread_id;

static inline void rt_mutex_init(rt_mutex* m) { InitializeCriticalSection(m); }
static inline void rt_mutex_lock(rt_mutex* m) { EnterCriticalSection(m); }
static inline void rt_mutex_unlock(rt_mutex* m) { LeaveCriticalSection(m); }
static inline void rt_cond_init(rt_cond* c) { InitializeConditionVariable(c); }
static inline void rt_cond_broadcast(rt_cond* c) { WakeAllConditionVariable(c); }
static inline rt_thread_id rt_thread_self(void) { return GetCurrentThreadId(); }
static inline int rt_thread_equal(rt_thread_id a, rt_thread_id b) { return a == b; }
static inline uint64_t rt_now_ms(void) { return (uint64_t)GetTickCount64(); }

/* Wait until woken or `deadline_ms` (rt_now_ms clock) passes; returns 1 on timeout. A deadline
 * of 0 waits without limit. Spurious wake-ups return 0: callers loop on their condition. */
static inline int rt_cond_wait_until(rt_cond* c, rt_mutex* m, uint64_t deadline_ms) {
  DWORD wait = INFINITE;
  if (deadline_ms != 0) {
    uint64_t now = rt_now_ms();
    if (now >= deadline_ms) return 1;
    uint64_t left = deadline_ms - now;
    wait = left >= INFINITE ? INFINITE - 1 : (DWORD)left;
  }
  if (SleepConditionVariableCS(c, m, wait)) return 0;
  return GetLastError() == ERROR_TIMEOUT ? 1 : 0;
}

#else
#include <errno.h>
#include <pthread.h>
#include <time.h>

typedef pthread_mutex_t rt_mutex;
typedef pthread_cond_t rt_cond;
typedef pthread_t rt_thread_id;

static inline void rt_mutex_init(rt_mutex* m) { pthread_mutex_init(m, NULL); }
static inline void rt_mutex_lock(rt_mutex* m) { pthread_mutex_lock(m); }
static inline void rt_mutex_unlock(rt_mutex* m) { pthread_mutex_unlock(m); }
static inline void rt_cond_broadcast(rt_cond* c) { pthread_cond_broadcast(c); }
static inline rt_thread_id rt_thread_self(void) { return pthread_self(); }
static inline int rt_thread_equal(rt_thread_id a, rt_thread_id b) { return pthread_equal(a, b); }

static inline uint64_t rt_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

#if defined(__APPLE__)
/* macOS has no pthread_condattr_setclock: wait with a relative timeout instead. */
static inline void rt_cond_init(rt_cond* c) { pthread_cond_init(c, NULL); }
static inline int rt_cond_wait_until(rt_cond* c, rt_mutex* m, uint64_t deadline_ms) {
  if (deadline_ms == 0) return pthread_cond_wait(c, m), 0;
  uint64_t now = rt_now_ms();
  if (now >= deadline_ms) return 1;
  uint64_t left = deadline_ms - now;
  struct timespec rel = {(time_t)(left / 1000u), (long)(left % 1000u) * 1000000L};
  return pthread_cond_timedwait_relative_np(c, m, &rel) == ETIMEDOUT;
}
#else
static inline void rt_cond_init(rt_cond* c) {
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(c, &ca);
  pthread_condattr_destroy(&ca);
}
static inline int rt_cond_wait_until(rt_cond* c, rt_mutex* m, uint64_t deadline_ms) {
  if (deadline_ms == 0) return pthread_cond_wait(c, m), 0;
  struct timespec ts = {(time_t)(deadline_ms / 1000u), (long)(deadline_ms % 1000u) * 1000000L};
  return pthread_cond_timedwait(c, m, &ts) == ETIMEDOUT;
}
#endif
#endif

/* A deadline `ms` from now on the rt_now_ms clock (never 0, which means "no deadline"). */
static inline uint64_t rt_deadline_after(uint32_t ms) { return rt_now_ms() + ms + 1; }

#endif
