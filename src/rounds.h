/*
 * Timing round trips between two processes: the clock, the sampling of
 * per-round times, and the figures made of them (rate, median, p99).  No
 * I/O: the caller tells them.
 */
#ifndef SHM_ROUNDS_H
#define SHM_ROUNDS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per-round times kept for the median and p99; more rounds are sampled. */
#define ROUNDS_MAX_SAMPLES	1000000

/* Times of one kind of round trip. */
struct rounds_figures {
	const char	*what;
	uint64_t	 rounds;
	double		 seconds;
	double		 per_second;
	uint64_t	 median_ns;
	uint64_t	 p99_ns;
};

/* The clock of one run of round trips. */
struct rounds_timer {
	uint64_t	*samples;	/* ROUNDS_MAX_SAMPLES at most */
	uint64_t	 rounds;
	uint64_t	 stride;	/* every stride-th round is timed */
	uint64_t	 start, end;
	size_t		 n;		/* samples taken */
	double		 t0;
};

/*
 * Starts the clock for rounds round trips; samples has room for the
 * smaller of rounds and ROUNDS_MAX_SAMPLES.
 */
void	rounds_start(struct rounds_timer *, uint64_t rounds,
	    uint64_t *samples);

/* Call before and after round i. */
void	rounds_before(struct rounds_timer *, uint64_t i);
void	rounds_after(struct rounds_timer *, uint64_t i);

/* Stops the clock and fills f: what it timed, the rate, median, p99. */
void	rounds_finish(struct rounds_timer *, const char *what,
	    struct rounds_figures *f);

/*
 * One byte out on out and one back from in (a pipe pair or a socketpair).
 * Returns true, or false when the peer is gone, or when a signal came and
 * *stop is set.
 */
bool	rounds_bounce(int out, int in, volatile sig_atomic_t *stop);

/*
 * Two CPUs this process may run on, the lowest: *first and *second, -1
 * when there is no such CPU.  Returns 0, or an errno when the set of CPUs
 * cannot be read.
 */
int	rounds_cpus(int *first, int *second, int *count);

/* Pins this process to cpu.  Returns 0, or -1 with errno set. */
int	rounds_pin(int cpu);

#endif
