/*
 * A per-instance set of background threads for the example plugins. handle_message starts a
 * worker and returns at once; workers sleep through workers_sleep so they wake up early when
 * the instance stops; destroy calls workers_stop_and_join, which returns only after every
 * worker has finished, so no thread outlives the instance or calls a host it no longer owns.
 *
 * Define _POSIX_C_SOURCE 200809L before any include in the .c file that includes this.
 */
#ifndef EXAMPLES_WORKERS_H
#define EXAMPLES_WORKERS_H

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* The clock of the pool's condition variable: monotonic where a condition variable can use it;
 * macOS has no pthread_condattr_setclock, so its waits use the wall clock. */
#if defined(__APPLE__)
#define WORKERS_CLOCK CLOCK_REALTIME
#else
#define WORKERS_CLOCK CLOCK_MONOTONIC
#endif

typedef struct Workers Workers;
/* Body of a worker. It owns arg and must free it. */
typedef void (*WorkerFn)(Workers* pool, void* arg);

typedef struct Worker {
  pthread_t thread;
  Workers* pool;
  WorkerFn fn;
  void* arg;
  int done;
  struct Worker* next;
} Worker;

struct Workers {
  pthread_mutex_t lock;
  pthread_cond_t wake; /* signalled when stopping becomes 1 */
  int stopping;
  Worker* head;
};

static inline int workers_init(Workers* pool) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0) return -1;
#if !defined(__APPLE__)
  pthread_condattr_setclock(&attr, WORKERS_CLOCK);
#endif
  int failed = pthread_cond_init(&pool->wake, &attr);
  pthread_condattr_destroy(&attr);
  if (failed) return -1;
  if (pthread_mutex_init(&pool->lock, NULL) != 0) {
    pthread_cond_destroy(&pool->wake);
    return -1;
  }
  pool->stopping = 0;
  pool->head = NULL;
  return 0;
}

static inline int workers_stopping(Workers* pool) {
  pthread_mutex_lock(&pool->lock);
  int stopping = pool->stopping;
  pthread_mutex_unlock(&pool->lock);
  return stopping;
}

/* Sleeps up to ms milliseconds; returns 1 (early) when the pool is stopping, else 0. */
static inline int workers_sleep(Workers* pool, unsigned ms) {
  struct timespec deadline;
  clock_gettime(WORKERS_CLOCK, &deadline);
  deadline.tv_sec += (time_t)(ms / 1000u);
  deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&pool->lock);
  while (!pool->stopping && pthread_cond_timedwait(&pool->wake, &pool->lock, &deadline) == 0) {
  }
  int stopping = pool->stopping;
  pthread_mutex_unlock(&pool->lock);
  return stopping;
}

/*
 * Like workers_sleep, but also returns early (1) once *flag is non-zero. The flag is guarded by
 * the pool's lock: set it with workers_raise.
 */
static inline int workers_sleep_or(Workers* pool, unsigned ms, const int* flag) {
  struct timespec deadline;
  clock_gettime(WORKERS_CLOCK, &deadline);
  deadline.tv_sec += (time_t)(ms / 1000u);
  deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&pool->lock);
  while (!pool->stopping && !*flag && pthread_cond_timedwait(&pool->wake, &pool->lock, &deadline) == 0) {
  }
  int early = pool->stopping || *flag;
  pthread_mutex_unlock(&pool->lock);
  return early;
}

/* Sets *flag under the pool's lock and wakes every sleeping worker (see workers_sleep_or). */
static inline void workers_raise(Workers* pool, int* flag) {
  pthread_mutex_lock(&pool->lock);
  *flag = 1;
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
}

static inline void* workers_trampoline_(void* raw) {
  Worker* worker = (Worker*)raw;
  worker->fn(worker->pool, worker->arg);
  pthread_mutex_lock(&worker->pool->lock);
  worker->done = 1;
  pthread_mutex_unlock(&worker->pool->lock);
  return NULL;
}

/* Joins the workers that have already finished, so a long-lived instance does not pile them up. */
static inline void workers_reap(Workers* pool) {
  Worker* finished = NULL;
  pthread_mutex_lock(&pool->lock);
  for (Worker** link = &pool->head; *link != NULL;) {
    Worker* worker = *link;
    if (worker->done) {
      *link = worker->next;
      worker->next = finished;
      finished = worker;
    } else {
      link = &worker->next;
    }
  }
  pthread_mutex_unlock(&pool->lock);
  while (finished != NULL) {
    Worker* next = finished->next;
    pthread_join(finished->thread, NULL);
    free(finished);
    finished = next;
  }
}

/* Starts fn(pool, arg) on a new thread. Returns 0, or -1 (the caller still owns arg). */
static inline int workers_spawn(Workers* pool, WorkerFn fn, void* arg) {
  workers_reap(pool);
  Worker* worker = (Worker*)calloc(1, sizeof *worker);
  if (worker == NULL) return -1;
  worker->pool = pool;
  worker->fn = fn;
  worker->arg = arg;
  pthread_mutex_lock(&pool->lock);
  int ok = !pool->stopping && pthread_create(&worker->thread, NULL, workers_trampoline_, worker) == 0;
  if (ok) {
    worker->next = pool->head;
    pool->head = worker;
  }
  pthread_mutex_unlock(&pool->lock);
  if (!ok) free(worker);
  return ok ? 0 : -1;
}

/* Wakes every sleeping worker, waits for all of them and releases the pool. */
static inline void workers_stop_and_join(Workers* pool) {
  pthread_mutex_lock(&pool->lock);
  pool->stopping = 1;
  pthread_cond_broadcast(&pool->wake);
  Worker* all = pool->head;
  pool->head = NULL;
  pthread_mutex_unlock(&pool->lock);
  while (all != NULL) {
    Worker* next = all->next;
    pthread_join(all->thread, NULL);
    free(all);
    all = next;
  }
  pthread_mutex_destroy(&pool->lock);
  pthread_cond_destroy(&pool->wake);
}

#endif /* EXAMPLES_WORKERS_H */
