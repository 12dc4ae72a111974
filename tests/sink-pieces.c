/* wi_io_sink_write_pieces: pieces go out in order, whole, after what stdio holds,
 * even when writev stops part way. A pipe whose reader is slow blocks each writev
 * once 64 KiB are in it; an interval timer whose handler does not ask for restarts
 * then ends the call early, with part of the pieces written. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

#define TOTAL (4u << 20)
#define PIECES 3000

static int tests, failures;
static volatile sig_atomic_t ticks;

static void expect(int ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tests, what);
}

static void tick(int sig)
{
	(void)sig;
	ticks++;
}

/* The reader: takes the pipe slowly, then says whether it got prefix + data. */
static int reader(int fd, const char *prefix, const unsigned char *data)
{
	size_t plen = strlen(prefix), at = 0, cap = plen + TOTAL + 1; /* 1: room for a byte too many */
	unsigned char *got = malloc(cap);
	const struct timespec pause = {0, 2 * 1000 * 1000};
	ssize_t n;

	if (!got)
		return 2;
	while (at < cap && (n = read(fd, got + at, cap - at < 65536 ? cap - at : 65536)) > 0) {
		at += (size_t)n;
		nanosleep(&pause, NULL);
	}
	return at == plen + TOTAL && memcmp(got, prefix, plen) == 0 &&
	       memcmp(got + plen, data, TOTAL) == 0 ? 0 : 1;
}

int main(void)
{
	static const char prefix[] = "written through stdio first\n";
	unsigned char *data = malloc(TOTAL);
	struct wi_piece pieces[PIECES];
	struct sigaction sa = {0};
	struct itimerval every = {{0, 3000}, {0, 3000}}, off = {{0, 0}, {0, 0}};
	struct wi_sink sink = {0};
	size_t at = 0;
	int fds[2], status = 0, rc;
	pid_t pid;

	if (!data || pipe(fds) != 0)
		return 2;
	for (size_t i = 0; i < TOTAL; i++)
		data[i] = (unsigned char)(i * 7 + i / 4093);
	/* Pieces of uneven sizes, 1 byte to about 2.8 KiB, covering data in order. */
	for (size_t i = 0; i < PIECES; i++) {
		size_t len = i + 1 == PIECES ? TOTAL - at : 1 + (i * 37) % 2800;

		pieces[i] = (struct wi_piece){(const char *)data + at, len};
		at += len;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(fds[1]);
		_exit(reader(fds[0], prefix, data));
	}
	close(fds[0]);
	sa.sa_handler = tick; /* no SA_RESTART: a blocked writev returns what it wrote */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sink.file = fdopen(fds[1], "wb");
	sink.name = "pipe";
	if (!sink.file)
		return 2;
	fputs(prefix, sink.file); /* buffered: must come out before the pieces */
	setitimer(ITIMER_REAL, &every, NULL);
	rc = wi_io_sink_write_pieces(&sink, pieces, PIECES);
	setitimer(ITIMER_REAL, &off, NULL);
	expect(rc == 0, "the pieces are written");
	/* That a call was cut short is not visible from here; strace shows it does
	 * happen (writev returning 8192, 16728, ... of a batch). */
	expect(ticks > 0, "signals arrived while writing");
	fclose(sink.file);
	waitpid(pid, &status, 0);
	expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"the reader got what stdio held, then every piece, whole and in order");
	printf("1..%d\n", tests);
	free(data);
	return failures ? 1 : 0;
}
