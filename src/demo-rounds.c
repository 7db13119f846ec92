/*
 * The measured round trips of shm fork-demo --rounds (and --compare):
 * after the story, the parent and the child bounce a step through the
 * futex word (or a byte through a pipe pair and a socketpair), and the
 * parent reports the rate, median and p99 of each.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fork-demo.h"
#include "rounds.h"

static void
report(const struct rounds_figures *f)
{
	demo_narrate("%s: %" PRIu64 " round trips in %.3f s: %.0f per second,"
	    " median %" PRIu64 " ns, p99 %" PRIu64 " ns", f->what, f->rounds,
	    f->seconds, f->per_second, f->median_ns, f->p99_ns);
}

/*
 * The parent's side of the round trips through the segment: post step
 * 2i, wait for 2i+1.  Returns false when a signal or the child's death
 * stopped it.
 */
static bool
rounds_segment(const struct demo *d, _Atomic uint32_t *w, uint64_t *samples,
    struct rounds_figures *f)
{
	struct rounds_timer t;
	uint64_t i;

	rounds_start(&t, d->rounds, samples);
	for (i = 0; i < d->rounds; i++) {
		rounds_before(&t, i);
		demo_post(w, (uint32_t)(SEQ_ROUNDS + 2 * i));
		if (!demo_wait(w, (uint32_t)(SEQ_ROUNDS + 2 * i + 1),
		    d->handshake, true))
			return false;
		rounds_after(&t, i);
	}
	rounds_finish(&t, "segment", f);
	return true;
}

/* The child's side through the segment: wait for 2i, post 2i+1. */
static void
child_rounds_segment(const struct demo *d, _Atomic uint32_t *w)
{
	uint64_t i;

	for (i = 0; i < d->rounds; i++) {
		(void)demo_wait(w, (uint32_t)(SEQ_ROUNDS + 2 * i),
		    d->handshake, false);
		demo_post(w, (uint32_t)(SEQ_ROUNDS + 2 * i + 1));
	}
}

/* The parent's side through a pipe pair or a socketpair. */
static bool
rounds_fd(const struct demo *d, const char *what, int out, int in,
    uint64_t *samples, struct rounds_figures *f)
{
	struct rounds_timer t;
	uint64_t i;

	rounds_start(&t, d->rounds, samples);
	for (i = 0; i < d->rounds; i++) {
		if (demo_got_signal)
			return false;
		rounds_before(&t, i);
		if (!rounds_bounce(out, in, &demo_got_signal))
			return false;
		rounds_after(&t, i);
	}
	rounds_finish(&t, what, f);
	return true;
}

/* The child's side: read a byte, send it back. */
static int
child_rounds_fd(const struct demo *d, int in, int out)
{
	uint64_t i;
	char c;

	for (i = 0; i < d->rounds; i++) {
		if (read_all(in, &c, 1) != 1 || write_all(out, &c, 1) != 0)
			return msg_error(EXIT_SHM_FAIL, "the child lost the"
			    " parent during the round trips");
	}
	return EXIT_SHM_OK;
}

/*
 * Chooses the handshake for --rounds (see enum handshake): spinning when
 * the parent can take one CPU and leave the child another, yielding when
 * they may share one.
 */
static void
choose_handshake(struct demo *d)
{
	int first, second, count, e;

	d->handshake = HS_YIELD;
	d->cpu_parent = d->cpu_child = -1;
	if ((e = rounds_cpus(&first, &second, &count)) != 0) {
		demo_narrate("handshake: yield the CPU (up to %d times), then"
		    " futex wait, no spinning: cannot tell which CPUs are"
		    " available (%s)", YIELD_LIMIT, strerror(e));
		return;
	}
	if (second < 0) {
		demo_narrate("handshake: yield the CPU (up to %d times), then"
		    " futex wait, no spinning: only CPU %d is available, so a"
		    " side spinning on it would only keep the other from"
		    " answering", YIELD_LIMIT, first);
		return;
	}
	if (rounds_pin(first) != 0) {
		demo_narrate("handshake: yield the CPU (up to %d times), then"
		    " futex wait, no spinning: cannot pin to CPU %d (%s), so"
		    " the two sides may share one", YIELD_LIMIT, first,
		    strerror(errno));
		return;
	}
	d->handshake = HS_SPIN;
	d->cpu_parent = first;
	d->cpu_child = second;
	demo_narrate("handshake: spin (up to %d pauses), then futex wait: %d"
	    " CPUs are available, so the parent runs on CPU %d and the child on"
	    " CPU %d, each answering the other at once%s", SPIN_LIMIT,
	    count, first, second, d->compare ? " (the pipe and"
	    " the socketpair run on the same two CPUs)" : "");
}

static void
close_fds(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

int
demo_rounds_prepare(struct demo *d, uint64_t **samples)
{
	if (d->rounds > 0) {
		choose_handshake(d);
		*samples = xcalloc(d->rounds < ROUNDS_MAX_SAMPLES ? d->rounds :
		    ROUNDS_MAX_SAMPLES, sizeof(**samples));
	}
	if (d->compare && (pipe(d->p2c) != 0 || pipe(d->c2p) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, d->sock) != 0))
		return msg_error(EXIT_SHM_FAIL, "cannot make the pipes and"
		    " the socketpair: %s", strerror(errno));
	return EXIT_SHM_OK;
}

int
demo_rounds_pin_child(const struct demo *d)
{
	if (d->cpu_child >= 0 && rounds_pin(d->cpu_child) != 0)
		return msg_error(EXIT_SHM_FAIL, "the child cannot pin itself"
		    " to CPU %d: %s", d->cpu_child, strerror(errno));
	return EXIT_SHM_OK;
}

void
demo_rounds_parent_ends(struct demo *d)
{
	if (!d->compare)
		return;
	close(d->p2c[0]);
	close(d->c2p[1]);
	close(d->sock[1]);
	d->p2c[0] = d->c2p[1] = d->sock[1] = -1;
}

void
demo_rounds_child_ends(struct demo *d)
{
	if (!d->compare)
		return;
	close(d->p2c[1]);
	close(d->c2p[0]);
	close(d->sock[0]);
}

void
demo_rounds_close(struct demo *d)
{
	close_fds(d->p2c, 2);
	close_fds(d->c2p, 2);
	close_fds(d->sock, 2);
}

bool
demo_rounds_parent(const struct demo *d, uint64_t *samples)
{
	struct rounds_figures seg_f, pipe_f, sock_f;

	if (!rounds_segment(d, demo_word(&d->seg), samples, &seg_f))
		return false;
	if (d->compare &&
	    (!rounds_fd(d, "pipe", d->p2c[1], d->c2p[0], samples, &pipe_f) ||
	    !rounds_fd(d, "socketpair", d->sock[0], d->sock[0], samples,
	    &sock_f)))
		return false;
	report(&seg_f);
	if (!d->compare)
		return true;
	report(&pipe_f);
	report(&sock_f);
	demo_narrate("segment vs pipe: %.1fx the round trips per second;"
	    " segment vs socketpair: %.1fx",
	    pipe_f.per_second > 0 ? seg_f.per_second / pipe_f.per_second : 0,
	    sock_f.per_second > 0 ? seg_f.per_second / sock_f.per_second : 0);
	return true;
}

int
demo_rounds_child(const struct demo *d, _Atomic uint32_t *w)
{
	int ret;

	child_rounds_segment(d, w);
	if (!d->compare) {
		demo_narrate("answered %" PRIu64 " round trips through the"
		    " segment", d->rounds);
		return EXIT_SHM_OK;
	}
	if ((ret = child_rounds_fd(d, d->p2c[0], d->c2p[1])) != 0 ||
	    (ret = child_rounds_fd(d, d->sock[1], d->sock[1])) != 0)
		return ret;
	demo_narrate("answered %" PRIu64 " round trips through the segment,"
	    " the pipes and the socketpair", d->rounds);
	return EXIT_SHM_OK;
}
