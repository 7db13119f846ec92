/*
 * Times short commands in turn (A B C A B C ...) rather than one after the
 * other, so that whatever else the machine does at the time falls on each
 * of them alike.  Each command runs with stdin and stdout on /dev/null.
 * Prints the median wall time of each, in seconds, one line each, in the
 * order given; exits 1 when a command fails.  -r removes PATH before each
 * run, outside the timed part (a file that the commands write).
 * usage: paired [-r PATH] RUNS WARMUP CMD [ARG...] [-- CMD [ARG...]]...
 */
#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *scratch;

/* Runs argv once; returns its wall time, or exits when it fails. */
static double
run(char **argv, const posix_spawn_file_actions_t *fa)
{
	double t0, t1;
	pid_t pid;
	int st, e;

	if (scratch != NULL)
		(void)unlink(scratch);
	t0 = now();
	if ((e = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ)) != 0)
		errx(1, "%s: %s", argv[0], strerror(e));
	if (waitpid(pid, &st, 0) < 0)
		err(1, "waitpid");
	t1 = now();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(1, "%s failed (status %#x)", argv[0], st);
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	char ***cmds;
	double **t;
	long runs, warmup, r;
	int c, i, n = 0;

	while ((c = getopt(argc, argv, "+r:")) != -1) {
		if (c != 'r')
			return 2;
		scratch = optarg;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 4)
		errx(2, "usage: paired [-r PATH] RUNS WARMUP CMD [ARG...]"
		    " [-- CMD...]...");
	runs = strtol(argv[1], NULL, 10);
	warmup = strtol(argv[2], NULL, 10);
	if (runs < 1 || warmup < 0)
		errx(2, "bad RUNS or WARMUP");
	if ((cmds = calloc((size_t)argc, sizeof(*cmds))) == NULL)
		err(1, NULL);
	/* Split argv in place at each "--". */
	cmds[n++] = argv + 3;
	for (i = 3; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			if (i + 1 < argc)
				cmds[n++] = argv + i + 1;
		}
	if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++)
		if ((t[i] = calloc((size_t)runs, sizeof(**t))) == NULL)
			err(1, NULL);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (r = 0; r < warmup; r++)
		for (i = 0; i < n; i++)
			run(cmds[i], &fa);
	for (r = 0; r < runs; r++)
		for (i = 0; i < n; i++)
			t[i][r] = run(cmds[i], &fa);
	for (i = 0; i < n; i++) {
		qsort(t[i], (size_t)runs, sizeof(**t), cmp);
		printf("%.9f\n", runs % 2 ? t[i][runs / 2] :
		    (t[i][runs / 2 - 1] + t[i][runs / 2]) / 2);
	}
	if (scratch != NULL)
		(void)unlink(scratch);
	return 0;
}
