/* See include/CXlsxCapture.h. _GNU_SOURCE (for fopencookie) comes from Package.swift. */
#include "CXlsxCapture.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* This thread's window: whether it is open, and what it kept. */
static _Thread_local int capturing;
static _Thread_local char *kept;
static _Thread_local size_t kept_length;
static _Thread_local size_t kept_capacity;

/* The routing stream (made once, never closed: a thread that read `stderr` just before it was
 * put back may still write to it), the stream it replaces, and how many windows are open. */
static pthread_mutex_t swap_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *router;
static FILE *saved;
static int open_windows;

/* Keeps `size` bytes in this thread's buffer (dropped if memory runs out: capture is best effort). */
static void keep(const char *data, size_t size) {
    if (kept_length + size + 1 > kept_capacity) {
        size_t capacity = kept_capacity ? kept_capacity : 256;
        while (kept_length + size + 1 > capacity) capacity *= 2;
        char *grown = realloc(kept, capacity);
        if (!grown) return;
        kept = grown;
        kept_capacity = capacity;
    }
    memcpy(kept + kept_length, data, size);
    kept_length += size;
    kept[kept_length] = '\0';
}

/* Everything written to the routing stream comes here, on the writing thread. */
static size_t route(const char *data, size_t size) {
    if (capturing) {
        keep(data, size);
        return size;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(STDERR_FILENO, data + done, size - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        done += (size_t)n;
    }
    return done;
}

#if defined(__GLIBC__)
static ssize_t cookie_write(void *cookie, const char *data, size_t size) {
    (void)cookie;
    size_t done = route(data, size);
    return done == 0 && size > 0 ? -1 : (ssize_t)done;
}

static FILE *make_router(void) {
    cookie_io_functions_t functions = { .read = NULL, .write = cookie_write, .seek = NULL, .close = NULL };
    return fopencookie(NULL, "w", functions);
}
#elif defined(__APPLE__)
static int funopen_write(void *cookie, const char *data, int size) {
    (void)cookie;
    if (size <= 0) return 0;
    size_t done = route(data, (size_t)size);
    return done == 0 ? -1 : (int)done;
}

static FILE *make_router(void) {
    return funopen(NULL, NULL, funopen_write, NULL, NULL);
}
#else
/* No way to make a routing stream here: nothing is captured, the library's lines pass through. */
static FILE *make_router(void) { return NULL; }
#endif

void adhere_capture_begin(void) {
    pthread_mutex_lock(&swap_lock);
    if (!router) {
        router = make_router();
        if (router) setvbuf(router, NULL, _IONBF, 0); /* as stderr: every write passes at once */
    }
    if (router) {
        if (open_windows == 0) {
            saved = stderr;
            stderr = router;
        }
        open_windows += 1;
        capturing = 1;
    }
    pthread_mutex_unlock(&swap_lock);
}

char *adhere_capture_end(void) {
    if (!capturing) return NULL;
    capturing = 0;
    pthread_mutex_lock(&swap_lock);
    open_windows -= 1;
    if (open_windows == 0) stderr = saved;
    pthread_mutex_unlock(&swap_lock);
    char *text = kept;
    kept = NULL;
    kept_length = 0;
    kept_capacity = 0;
    return text;
}
