/*
 * Wake latency of shm wait: starts `SHM wait -k KEY -t u32 --value=>=N`,
 * lets it fall asleep on its futex, runs `SHM add -k KEY -t u32 1`, and
 * times from the moment the add has exited to the moment the waiter has.
 * Prints the median, in seconds.  Then, with CPU-SECONDS > 0, starts one
 * more waiter on a value that never comes, leaves it CPU-SECONDS, and
 * prints the share of one CPU it used (from /proc/PID/schedstat).
 * usage: wakelat SHM KEY ROUNDS CPU-SECONDS
 */
#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static posix_spawn_file_actions_t fa;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static pid_t
spawn(char **argv)
{
	pid_t pid;
	int e;

	if ((e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) != 0)
		errx(1, "%s: %s", argv[0], strerror(e));
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		err(1, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(1, "pid %d failed (status %#x)", (int)pid, st);
}

/* Waits (untimed) until pid sleeps on a futex. */
static void
asleep(pid_t pid)
{
	char path[64], buf[64];
	int fd, i;
	ssize_t n;
	struct timespec ms = { 0, 1000000 };

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	for (i = 0; i < 5000; i++) {
		if ((fd = open(path, O_RDONLY)) >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[n > 0 ? n : 0] = '\0';
			if (strstr(buf, "futex") != NULL)
				break;
		}
		nanosleep(&ms, NULL);
	}
	/* A waiter that returned at once measures nothing. */
	if (i == 5000)
		errx(1, "pid %d never slept on a futex (did its condition"
		    " hold already?)", (int)pid);
	/* Let it reach the longest timeout of its back-off. */
	ms.tv_nsec = 30000000;
	nanosleep(&ms, NULL);
}

static double
cpu_seconds(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL || fscanf(fp, "%llu", &ns) != 1)
		errx(1, "cannot read %s", path);
	fclose(fp);
	return (double)ns / 1e9;
}

int
main(int argc, char **argv)
{
	char expr[64], *wait_argv[9], *add_argv[8];
	double *lat, t0, c0, c1;
	long rounds, secs, r;
	pid_t w;

	if (argc != 5)
		errx(2, "usage: wakelat SHM KEY ROUNDS CPU-SECONDS");
	rounds = strtol(argv[3], NULL, 10);
	secs = strtol(argv[4], NULL, 10);
	if (rounds < 1 || (lat = calloc((size_t)rounds, sizeof(*lat))) == NULL)
		errx(2, "bad ROUNDS");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	wait_argv[0] = argv[1];
	wait_argv[1] = (char *)"wait";
	wait_argv[2] = (char *)"-k";
	wait_argv[3] = argv[2];
	wait_argv[4] = (char *)"-t";
	wait_argv[5] = (char *)"u32";
	wait_argv[6] = expr;
	wait_argv[7] = NULL;
	add_argv[0] = argv[1];
	add_argv[1] = (char *)"add";
	add_argv[2] = (char *)"-k";
	add_argv[3] = argv[2];
	add_argv[4] = (char *)"-t";
	add_argv[5] = (char *)"u32";
	add_argv[6] = (char *)"1";
	add_argv[7] = NULL;
	/* The value starts at 0: round r waits for r + 1. */
	for (r = 0; r < rounds; r++) {
		snprintf(expr, sizeof(expr), "--value=>=%ld", r + 1);
		w = spawn(wait_argv);
		asleep(w);
		reap(spawn(add_argv));
		t0 = now();
		reap(w);
		lat[r] = now() - t0;
	}
	qsort(lat, (size_t)rounds, sizeof(*lat), cmp);
	printf("%.9f\n", rounds % 2 ? lat[rounds / 2] :
	    (lat[rounds / 2 - 1] + lat[rounds / 2]) / 2);
	if (secs > 0) {
		snprintf(expr, sizeof(expr), "--value=0");
		w = spawn(wait_argv);
		asleep(w);
		c0 = cpu_seconds(w);
		t0 = now();
		sleep((unsigned int)secs);
		c1 = cpu_seconds(w);
		printf("%.6f\n", (c1 - c0) / (now() - t0));
		kill(w, SIGTERM);
		waitpid(w, NULL, 0);
	}
	return 0;
}
