/* The command line's I/O: input, output sinks, temporary files, signals, the log. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "options.h"

/* The Helm cache log moves aside when it reaches this size: at most about twice this
 * much is kept (error.log and error.log.1). */
#define LOG_LIMIT (256 * 1024)
#define LOG_NAME "error.log"
#define LOG_OLD_NAME "error.log.1"

/* --- temporary files ------------------------------------------------------------- */

/* Read by the signal handler: an entry is complete before n_temps counts it, and
 * changes happen with the fatal signals blocked. */
#define MAX_TEMPS 8
static char *temps[MAX_TEMPS];
static volatile sig_atomic_t n_temps;

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void block_fatal(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static int temp_register(char *path)
{
	sigset_t old;
	int rc = -1;

	block_fatal(&old);
	if (n_temps < MAX_TEMPS) {
		temps[n_temps] = path;
		n_temps = n_temps + 1;
		rc = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static void temp_unregister(const char *path)
{
	sigset_t old;

	block_fatal(&old);
	for (sig_atomic_t i = 0; i < n_temps; i++) {
		if (temps[i] == path) {
			temps[i] = temps[n_temps - 1];
			n_temps = n_temps - 1;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Async-signal-safe. */
static void temps_remove(void)
{
	for (sig_atomic_t i = 0; i < n_temps; i++)
		unlink(temps[i]);
	n_temps = 0;
}

/* --- the log --------------------------------------------------------------------- */

static struct {
	int fd;         /* -1: none, or not open yet */
	bool helm;      /* the Helm cache log: private, rotated, opened at the first message */
	bool tried;     /* the Helm cache log was tried */
	char *dir;      /* owned: the Helm cache log's directory */
	int dir_fd;
	bool to_tty;    /* copy messages to the controlling terminal */
	int tty;        /* -1: not open (yet) */
	bool tty_tried;
} logger = {.fd = -1, .dir_fd = -1, .tty = -1};

static void write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

/* Returns fd when what it names is ours (a directory when mode is 0700, else a
 * regular file), its mode narrowed to mode when wider; else closes it, -1, and
 * sets *why when the reason is not an errno. */
static int keep_private(int fd, mode_t mode, const char **why)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		goto fail;
	if (mode != 0700 && !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		*why = "owned by another user";
		goto fail;
	}
	if ((st.st_mode & 077) && fchmod(fd, mode) != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* Opens the directory, making it and its missing parents 0700 as XDG asks of a cache
 * directory. It must be ours: a wider mode is narrowed to 0700, a directory owned by
 * someone else or reached through a final symlink is refused. Allocates nothing. */
static int open_private_dir(char *path, const char **why)
{
	int fd;

	for (char *p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -1 : keep_private(fd, 0700, why);
}

/* The same for the log file in logger.dir_fd: created 0600, narrowed to 0600. */
static int open_private_log(const char **why)
{
	int fd = openat(logger.dir_fd, LOG_NAME,
		O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);

	return fd < 0 ? -1 : keep_private(fd, 0600, why);
}

static void tty_write(const char *line, size_t len)
{
	if (!logger.to_tty)
		return;
	if (!logger.tty_tried) {
		logger.tty_tried = true;
		/* Without a controlling terminal this fails, silently: nobody is watching. */
		logger.tty = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	}
	if (logger.tty >= 0)
		write_all(logger.tty, line, len);
}

/* Opens the Helm cache log, or says once why it cannot (on stderr and the terminal:
 * the message that triggered this is already on stderr). Allocates nothing, as the
 * out-of-memory path comes here. */
static void helm_log_open(void)
{
	const char *why = NULL;
	char warning[512];
	int n;

	logger.tried = true;
	if (logger.dir) {
		logger.dir_fd = open_private_dir(logger.dir, &why);
		if (logger.dir_fd >= 0)
			logger.fd = open_private_log(&why);
		if (logger.fd >= 0)
			return;
		n = snprintf(warning, sizeof(warning), "wi-inject: warning: %s/%s: cannot keep the "
			"log there: %s\n", logger.dir, LOG_NAME, why ? why : strerror(errno));
	} else {
		n = snprintf(warning, sizeof(warning), "wi-inject: warning: no log: neither "
			"HELM_CACHE_HOME nor HOME is set\n");
	}
	if (n > 0) {
		size_t len = (size_t)n < sizeof(warning) ? (size_t)n : sizeof(warning) - 1;

		write_all(STDERR_FILENO, warning, len);
		tty_write(warning, len);
	}
}

/* A full log moves to error.log.1. Several runs may find it full at once: the lock
 * and the check that the name still means the file this run holds let one of them
 * move it; the others then open the new one. */
static void helm_log_rotate(void)
{
	struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	struct stat held, named;
	const char *why = NULL;
	int fd;

	if (fstat(logger.fd, &held) != 0 || held.st_size < LOG_LIMIT)
		return;
	if (fcntl(logger.fd, F_SETLKW, &lock) != 0)
		return;
	if (fstatat(logger.dir_fd, LOG_NAME, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
	    named.st_dev == held.st_dev && named.st_ino == held.st_ino)
		renameat(logger.dir_fd, LOG_NAME, logger.dir_fd, LOG_OLD_NAME);
	fd = open_private_log(&why);
	lock.l_type = F_UNLCK;
	fcntl(logger.fd, F_SETLK, &lock);
	close(logger.fd);
	logger.fd = fd;
}

/* The diag sink: one message line, to the log and the terminal. Allocates nothing. */
static void log_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	tty_write(line, len);
	if (logger.helm && !logger.tried)
		helm_log_open();
	if (logger.fd < 0)
		return;
	if (logger.helm)
		helm_log_rotate();
	if (logger.fd >= 0) {
		char stamp[64];
		struct timespec now;
		struct tm tm;
		struct iovec iov[2];
		size_t n = 0;

		if (clock_gettime(CLOCK_REALTIME, &now) == 0 && gmtime_r(&now.tv_sec, &tm))
			n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ", &tm);
		n += (size_t)snprintf(stamp + n, sizeof(stamp) - n, "[%ld] ", (long)getpid());
		/* One write per line: O_APPEND keeps concurrent runs' lines whole. */
		iov[0].iov_base = stamp;
		iov[0].iov_len = n;
		iov[1].iov_base = (void *)(uintptr_t)line;
		iov[1].iov_len = len;
		(void)!writev(logger.fd, iov, 2);
	}
}

/* Where Helm keeps its cache when HELM_CACHE_HOME is unset (helmpath's lazypath). */
static char *helm_cache_home(void)
{
	const char *v = getenv("HELM_CACHE_HOME"), *home = getenv("HOME");
	struct wi_buf b = {0};

	if (v && *v)
		return wi_xstrdup(v);
#ifdef __APPLE__
	if (home && *home) {
		wi_buf_printf(&b, "%s/Library/Caches/helm", home);
		return b.data;
	}
#else
	v = getenv("XDG_CACHE_HOME");
	if (v && *v) {
		wi_buf_printf(&b, "%s/helm", v);
		return b.data;
	}
	if (home && *home) {
		wi_buf_printf(&b, "%s/.cache/helm", home);
		return b.data;
	}
#endif
	return NULL;
}

int wi_io_log_open(const char *path)
{
	const char *plugin = getenv("HELM_PLUGIN_NAME");

	/* Helm 4 keeps a plugin's stderr to itself; when stderr is a terminal, the user
	 * sees it already and needs neither copy. */
	if (plugin && *plugin && !isatty(STDERR_FILENO))
		logger.to_tty = true;
	if (path) {
		/* 0600: a log in /tmp is nobody else's business. */
		logger.fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC, 0600);
		if (logger.fd < 0) {
			wi_diag_errorf("%s: cannot open log file: %s", path, strerror(errno));
			return -1;
		}
	} else if (logger.to_tty) {
		char *home = helm_cache_home();

		logger.helm = true;
		if (home) {
			struct wi_buf b = {0};

			wi_buf_printf(&b, "%s/wi-inject", home);
			logger.dir = b.data;
			free(home);
		}
	}
	if (logger.fd >= 0 || logger.helm || logger.to_tty)
		wi_diag_set_sink(log_line, NULL);
	return 0;
}

static void log_close(void)
{
	wi_diag_set_sink(NULL, NULL);
	if (logger.fd >= 0)
		close(logger.fd);
	if (logger.dir_fd >= 0)
		close(logger.dir_fd);
	if (logger.tty >= 0)
		close(logger.tty);
	free(logger.dir);
	logger.fd = logger.dir_fd = logger.tty = -1;
	logger.dir = NULL;
}

/* --- signals and out of memory --------------------------------------------------- */

static bool pipe_closed;

static void on_fatal_signal(int sig)
{
	temps_remove();
	/* The handler was installed SA_RESETHAND and sig is blocked while it runs: it
	 * ends the process, by the default action, as the handler returns. */
	raise(sig);
}

static void on_out_of_memory(void)
{
	static const char message[] = "wi-inject: error: out of memory\n";

	temps_remove();
	write_all(STDERR_FILENO, message, sizeof(message) - 1);
	log_line(NULL, message, sizeof(message) - 1);
	_exit(WI_EXIT_IO);
}

void wi_io_init(void)
{
	struct sigaction sa = {0};

	/* A caller may start us with stdin, stdout or stderr closed: the next file
	 * opened (the -o temporary file) would then take that number, and messages
	 * meant for stderr would land in the output. /dev/null holds the place. */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd) {
			static const char message[] = "wi-inject: error: cannot open /dev/null\n";

			write_all(STDERR_FILENO, message, sizeof(message) - 1);
			_exit(WI_EXIT_IO);
		}
	}

	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) {
		struct sigaction old;

		/* A signal ignored on entry stays ignored, as the caller meant. */
		if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	wi_alloc_set_failure_hook(on_out_of_memory);
}

int wi_io_exit(int status)
{
	sigset_t set;

	log_close();
	if (!pipe_closed)
		return status;
	temps_remove();
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGPIPE);
	return 128 + SIGPIPE;
}

/* --- input ----------------------------------------------------------------------- */

int wi_io_reader_open(struct wi_reader *r, const char *path)
{
	r->file = stdin;
	r->name = "<stdin>";
	if (!path || strcmp(path, "-") == 0)
		return 0;
	r->file = fopen(path, "rb");
	if (!r->file) {
		wi_diag_errorf("%s: %s", path, strerror(errno));
		return -1;
	}
	r->name = path;
	wi_diag_set_input_name(path);
	return 0;
}

size_t wi_io_read(struct wi_reader *r, void *buf, size_t size, bool *failed)
{
	size_t n = fread(buf, 1, size, r->file);

	*failed = false;
	if (n < size && ferror(r->file)) {
		wi_diag_errorf("read error: %s", strerror(errno));
		*failed = true;
	}
	return n;
}

void wi_io_reader_close(struct wi_reader *r)
{
	if (r->file && r->file != stdin)
		fclose(r->file);
	r->file = NULL;
}

/* --- output ---------------------------------------------------------------------- */

/* A write error, reported once; a closed pipe is not reported at all. */
static int sink_fail(struct wi_sink *s, const char *what)
{
	if (errno == EPIPE)
		pipe_closed = true;
	else if (!s->failed)
		wi_diag_errorf("%s: %s%s", s->name, what, strerror(errno));
	s->failed = true;
	return -1;
}

int wi_io_sink_open(struct wi_sink *s, const char *path)
{
	struct wi_buf tmp = {0};
	struct stat st;
	const char *slash;
	sigset_t old_mask;
	mode_t mode;
	int fd;

	memset(s, 0, sizeof(*s));
	s->name = path ? path : "<stdout>";
	if (!path) {
		s->file = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device, a pipe, /dev/stdout: written in place, as nothing can
		 * replace it. */
		s->file = fopen(path, "wb");
		if (!s->file) {
			wi_diag_errorf("%s: %s", path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (stat(path, &st) == 0) {
		/* Replace the file a symlink points at, not the link, and keep its mode. */
		s->path = realpath(path, NULL);
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);

		umask(mask);
		mode = 0666 & ~mask;
	}
	if (!s->path)
		s->path = wi_xstrdup(path);
	slash = strrchr(s->path, '/');
	if (slash)
		wi_buf_append(&tmp, s->path, (size_t)(slash - s->path) + 1);
	wi_buf_puts(&tmp, ".wi-inject-XXXXXX");
	/* Created and registered with the fatal signals blocked: no signal can find
	 * the file made but not yet known. */
	block_fatal(&old_mask);
	fd = mkstemp(tmp.data);
	if (fd >= 0 && temp_register(tmp.data) != 0) {
		close(fd);
		unlink(tmp.data);
		fd = -1;
		errno = EMFILE;
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (fd < 0) {
		wi_diag_errorf("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		goto fail;
	}
	if (fchmod(fd, mode) != 0 || !(s->file = fdopen(fd, "wb"))) {
		wi_diag_errorf("%s: %s", tmp.data, strerror(errno));
		close(fd);
		unlink(tmp.data);
		temp_unregister(tmp.data);
		goto fail;
	}
	s->tmp_path = tmp.data;
	return 0;
fail:
	wi_buf_release(&tmp);
	free(s->path);
	s->path = NULL;
	return -1;
}

int wi_io_sink_write(struct wi_sink *s, const void *data, size_t len)
{
	if (s->failed)
		return -1;
	if (len && fwrite(data, 1, len, s->file) != len)
		return sink_fail(s, "write error: ");
	return 0;
}

/* Pieces per writev. A unit of gen-stream.py's streams goes out in 40 to 70 (two
 * per edit); more take another call. */
#define GATHER 128

int wi_io_sink_write_pieces(struct wi_sink *s, const struct wi_piece *pieces, size_t n)
{
	struct iovec iov[GATHER];
	size_t skip = 0; /* bytes of pieces[0] already written */
	int fd;

	if (s->failed)
		return -1;
	if (fflush(s->file) != 0) /* what went through stdio goes first */
		return sink_fail(s, "write error: ");
	fd = fileno(s->file);
	while (n) {
		size_t k = n < GATHER ? n : GATHER;
		ssize_t done;

		for (size_t i = 0; i < k; i++) {
			size_t from = i ? 0 : skip;

			/* writev only reads: iov_base is not const for readv's sake. */
			iov[i].iov_base = (void *)(uintptr_t)(pieces[i].data + from);
			iov[i].iov_len = pieces[i].len - from;
		}
		done = writev(fd, iov, (int)k);
		if (done < 0 && errno == EINTR)
			continue;
		if (done == 0) /* only for nothing to write, which pieces never are */
			errno = EIO;
		if (done <= 0)
			return sink_fail(s, "write error: ");
		/* A short write (a signal, a full disk) goes on where it stopped. */
		while (n && (size_t)done >= pieces->len - skip) {
			done -= (ssize_t)(pieces->len - skip);
			skip = 0;
			pieces++;
			n--;
		}
		skip += (size_t)done;
	}
	return 0;
}

int wi_io_sink_close(struct wi_sink *s, bool keep)
{
	int rc = s->failed ? -1 : 0;

	if (!s->file)
		return rc;
	if (fflush(s->file) != 0 || ferror(s->file))
		rc = sink_fail(s, "write error: ");
	if (fclose(s->file) != 0 && rc == 0)
		rc = sink_fail(s, "write error: ");
	s->file = NULL;
	if (s->tmp_path) {
		if (rc == 0 && keep && rename(s->tmp_path, s->path) != 0) {
			wi_diag_errorf("%s: cannot replace: %s", s->path, strerror(errno));
			rc = -1;
		}
		if (rc != 0 || !keep)
			unlink(s->tmp_path);
		temp_unregister(s->tmp_path);
		free(s->tmp_path);
		s->tmp_path = NULL;
	}
	free(s->path);
	s->path = NULL;
	return rc;
}
