/* timeit: run a command several times; print the best wall time and the peak RSS.
 *
 *   timeit [-i STDIN] [-o STDOUT] [-e STDERR] [-C DIR] [-n MIN_RUNS] [-N MAX_RUNS]
 *          [-b BUDGET_S] [-s SLOW_S] -- CMD [ARG...]
 *
 * Each run gets STDIN (default /dev/null) on standard input and writes standard
 * output to STDOUT (truncated before the clock starts; default /dev/null) and
 * standard error to STDERR (default /dev/null). Wall time: CLOCK_MONOTONIC around
 * fork .. wait4. Peak RSS: wait4's ru_maxrss, as /usr/bin/time -f %M reports it
 * (this program is small, so what the child inherits before exec is ~1 MiB).
 *
 * Runs: at least MIN_RUNS (3), then more while the total is under BUDGET_S (1.0)
 * seconds, up to MAX_RUNS (20); but when the first run alone takes over SLOW_S
 * seconds (default: never) that single run is all, so a tool a hundred times
 * slower than the rest cannot eat the time limit.
 *
 * Prints one line: BEST_SECONDS PEAK_RSS_KIB RUNS. Exits with the command's status
 * (128+signal when killed) as soon as a run fails. Built by scripts/bench.sh with
 * the system compiler; not part of the meson build. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0) {
		fprintf(stderr, "timeit: %s: %s\n", path, strerror(errno));
		exit(125);
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null", *errp = "/dev/null", *dir = NULL;
	int min_runs = 3, max_runs = 20, runs = 0, opt;
	double budget = 1.0, slow = -1, total = 0, best = -1;
	long peak = 0;

	while ((opt = getopt(argc, argv, "+i:o:e:C:n:N:b:s:")) != -1) {
		switch (opt) {
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'e': errp = optarg; break;
		case 'C': dir = optarg; break;
		case 'n': min_runs = atoi(optarg); break;
		case 'N': max_runs = atoi(optarg); break;
		case 'b': budget = atof(optarg); break;
		case 's': slow = atof(optarg); break;
		default: return 125;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: timeit [options] -- CMD [ARG...]\n");
		return 125;
	}
	if (max_runs < min_runs)
		max_runs = min_runs;
	while (runs < min_runs || (runs < max_runs && total < budget)) {
		int fi = open_or_die(in, O_RDONLY);
		int fo = open_or_die(out, O_WRONLY | O_CREAT | O_TRUNC);
		int fe = open_or_die(errp, O_WRONLY | O_CREAT | O_TRUNC);
		struct rusage ru;
		int status;
		double t0 = now(), dt;
		pid_t pid = fork();

		if (pid < 0) {
			perror("timeit: fork");
			return 125;
		}
		if (pid == 0) {
			dup2(fi, 0);
			dup2(fo, 1);
			dup2(fe, 2);
			if (dir && chdir(dir) != 0)
				_exit(126);
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("timeit: wait4");
			return 125;
		}
		dt = now() - t0;
		close(fi);
		close(fo);
		close(fe);
		runs++;
		total += dt;
		if (best < 0 || dt < best)
			best = dt;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

			printf("%.6f %ld %d\n", best, peak, runs);
			fprintf(stderr, "timeit: %s: exit status %d\n", argv[optind], rc);
			return rc;
		}
		if (runs == 1 && slow >= 0 && dt > slow)
			break;
	}
	printf("%.6f %ld %d\n", best, peak, runs);
	return 0;
}
