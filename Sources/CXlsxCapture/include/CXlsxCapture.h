#ifndef ADHERE_CXLSXCAPTURE_H
#define ADHERE_CXLSXCAPTURE_H

/*
 * Keeps what libxlsxwriter prints to stderr (its "[ERROR]" lines) from reaching the process's
 * standard error, one thread at a time, without touching file descriptor 2.
 *
 * libxlsxwriter prints with fprintf(stderr, ...). While at least one thread is between
 * adhere_capture_begin() and adhere_capture_end(), the C variable `stderr` points at a stream
 * whose writes are routed by the writing thread: a thread inside its capture window has its
 * text kept in its own buffer; any other thread's text goes straight on to file descriptor 2,
 * unchanged and in order. Nothing is serialised but the swap itself (a mutex held for a few
 * instructions), so workbooks can still be closed on every core at once. See LibraryOutput.swift.
 */

#include <stddef.h>

/* Starts keeping what this thread writes to `stderr`. Windows do not nest on a thread. */
void adhere_capture_begin(void);

/* Ends this thread's window and returns what was kept, NUL-terminated (malloc'd: free it),
 * or NULL when nothing was written. */
char *adhere_capture_end(void);

#endif
