/* The command line's I/O: the input, the output sinks (atomic for -o), temporary files
 * removed on every way out (error, signal, out of memory), a closed pipe, the log. */
#ifndef WI_IO_H
#define WI_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "splice.h"

/* Call first. SIGINT, SIGTERM and SIGHUP (unless ignored on entry, as a shell's
 * background jobs have SIGINT) remove the temporary files, then end the process by the
 * same signal. SIGPIPE is ignored, so that a reader going away is seen as EPIPE (see
 * wi_io_exit). Out of memory removes them too, says so and exits 1. */
void wi_io_init(void);

/* Sets up the log. path (borrowed; --log-file or WI_INJECT_LOG; NULL for none) is
 * appended to from now on; returns -1 with a message when it cannot be opened.
 * Without it, a Helm plugin run (HELM_PLUGIN_NAME set) whose stderr is not a terminal
 * logs to $HELM_CACHE_HOME/wi-inject/error.log: a private directory and file, opened at
 * the first message, kept to about twice LOG_LIMIT by moving a full log to error.log.1.
 * Such a run also writes each message to its controlling terminal, if it has one. Log
 * lines are the messages, each after a UTC time stamp and the process id. A log that
 * cannot be written loses no message: stderr always has it. */
int wi_io_log_open(const char *path);

/* Input: path NULL or "-" is standard input. open returns -1 with a message. */
struct wi_reader {
	FILE *file;
	const char *name; /* borrowed; for messages */
};
int wi_io_reader_open(struct wi_reader *r, const char *path);
/* Reads up to size bytes into buf and returns how many; fewer only at the end of the
 * input or on a read error, which sets *failed and prints a message. */
size_t wi_io_read(struct wi_reader *r, void *buf, size_t size, bool *failed);
void wi_io_reader_close(struct wi_reader *r);

/* Output: standard output (path NULL), or a temporary file beside path, renamed over
 * it only when everything succeeded, so a failure never leaves a truncated file. A
 * path that is not a regular file (a device, a pipe) is written in place. A closed
 * pipe fails the write quietly: wi_io_exit ends the run. */
struct wi_sink {
	FILE *file;
	char *path;       /* owned: the file to replace, symlinks resolved; NULL if none */
	char *tmp_path;   /* owned; registered for removal on a signal or out of memory */
	const char *name; /* borrowed; for messages */
	bool failed;      /* a write failed and was reported */
};
int wi_io_sink_open(struct wi_sink *s, const char *path);
int wi_io_sink_write(struct wi_sink *s, const void *data, size_t len);
/* The pieces in order, with one writev for many: the filter's output is not copied
 * into a buffer first. */
int wi_io_sink_write_pieces(struct wi_sink *s, const struct wi_piece *pieces, size_t n);
/* Flushes and closes: renames into place when keep is true, else discards. */
int wi_io_sink_close(struct wi_sink *s, bool keep);

/* Call last, with the exit status: returns it, after closing the log. When a reader
 * went away (EPIPE), the process ends here by SIGPIPE instead, with no message, as a
 * Unix filter does (status 141 in a shell). */
int wi_io_exit(int status);

#endif
