/*
 * Timing round trips between two processes.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "rounds.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
summarize(struct rounds_figures *f, uint64_t *samples, size_t n)
{
	size_t i99;

	f->per_second = f->seconds > 0 ? (double)f->rounds / f->seconds : 0;
	f->median_ns = f->p99_ns = 0;
	if (n == 0)
		return;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	f->median_ns = n % 2 ? samples[n / 2] :
	    (samples[n / 2 - 1] + samples[n / 2]) / 2;
	i99 = (n * 99 + 99) / 100;
	f->p99_ns = samples[i99 > 0 ? i99 - 1 : 0];
}

void
rounds_start(struct rounds_timer *t, uint64_t rounds, uint64_t *samples)
{
	t->samples = samples;
	t->rounds = rounds;
	t->stride = (rounds + ROUNDS_MAX_SAMPLES - 1) / ROUNDS_MAX_SAMPLES;
	if (t->stride == 0)
		t->stride = 1;
	t->start = t->end = 0;
	t->n = 0;
	t->t0 = now();
}

void
rounds_before(struct rounds_timer *t, uint64_t i)
{
	/* back to back, the end of one round is the start of the next */
	if (i % t->stride == 0)
		t->start = t->stride == 1 && i > 0 ? t->end : now_ns();
}

void
rounds_after(struct rounds_timer *t, uint64_t i)
{
	if (i % t->stride == 0) {
		t->end = now_ns();
		t->samples[t->n++] = t->end - t->start;
	}
}

void
rounds_finish(struct rounds_timer *t, const char *what,
    struct rounds_figures *f)
{
	f->what = what;
	f->rounds = t->rounds;
	f->seconds = now() - t->t0;
	summarize(f, t->samples, t->n);
}

bool
rounds_bounce(int out, int in, volatile sig_atomic_t *stop)
{
	char c = 'x';
	ssize_t r;

	while ((r = write(out, &c, 1)) != 1)
		if (r >= 0 || errno != EINTR || *stop)
			return false;
	while ((r = read(in, &c, 1)) != 1)
		if (r == 0 || errno != EINTR || *stop)
			return false;
	return true;
}

int
rounds_cpus(int *first, int *second, int *count)
{
	cpu_set_t set;
	int cpu;

	*first = *second = -1;
	*count = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return errno;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (*first < 0)
			*first = cpu;
		else if (*second < 0)
			*second = cpu;
	}
	*count = CPU_COUNT(&set);
	return 0;
}

int
rounds_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}
