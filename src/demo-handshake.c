/*
 * The handshake of shm fork-demo: the two processes take turns on a futex
 * word in the segment, and the parent's signal handlers change the word
 * under a parent that sleeps on it, so that no signal is lost.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "atomic.h"
#include "fork-demo.h"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the handshake needs lock-free"
    " 32-bit atomics, for the signal handlers and across processes");

volatile sig_atomic_t demo_got_signal;
volatile sig_atomic_t demo_child_gone;
volatile sig_atomic_t demo_child_to_kill;
_Atomic uint32_t *volatile demo_poke_word;
/* The parent sleeps on the word (futex wait), or is about to... */
static volatile sig_atomic_t sleeping;
/* ...while it holds this value. */
static volatile uint32_t sleep_val;

void
demo_post(_Atomic uint32_t *w, uint32_t seq)
{
	uint32_t old;

	old = atomic_exchange_explicit(w, seq & W_SEQ, memory_order_acq_rel);
	if (old & W_WAITING)
		atomic_wake((const void *)w);
}

bool
demo_wait(_Atomic uint32_t *w, uint32_t seq, enum handshake hs,
    bool interruptible)
{
	unsigned int n = 0;
	unsigned int spins = hs == HS_SPIN ? SPIN_LIMIT : 0;
	unsigned int yields = hs == HS_YIELD ? YIELD_LIMIT : 0;
	uint32_t v;

	seq &= W_SEQ;
	for (;;) {
		v = atomic_load_explicit(w, memory_order_acquire);
		if ((v & W_SEQ) == seq)
			return true;
		if (interruptible && (demo_got_signal || demo_child_gone))
			return false;
		if (n < spins) {
			atomic_cpu_relax();
			n++;
			continue;
		}
		if (n < yields) {
			sched_yield();
			n++;
			continue;
		}
		if (!(v & W_WAITING)) {
			if (!atomic_compare_exchange_weak_explicit(w, &v,
			    v | W_WAITING, memory_order_acq_rel,
			    memory_order_acquire))
				continue;
			v |= W_WAITING;
		}
		if (interruptible) {
			/*
			 * Tell the handler what we sleep on before the last
			 * look at the flags: a signal after that look moves
			 * the word off v (see on_signal).
			 */
			sleep_val = v;
			sleeping = 1;
			atomic_signal_fence(memory_order_seq_cst);
			if (demo_got_signal || demo_child_gone) {
				sleeping = 0;
				return false;
			}
		}
		/* Returns at once (EAGAIN) if the word changed meanwhile. */
		(void)atomic_futex((uint32_t *)(void *)w, FUTEX_WAIT, v, NULL);
		if (interruptible)
			sleeping = 0;
	}
}

/*
 * The parent's handler.  When the parent sleeps on the word, or is about
 * to, the handler moves the word off the value it sleeps on, so that the
 * sleep, restarted after the handler (SA_RESTART), returns at once.  The
 * word must change whatever it holds: setting a bit that someone else
 * already set would leave it as it is, and the parent asleep for ever.
 * Flipping W_ABORT does not disturb the child, which looks only at W_SEQ;
 * only a word still at that value is flipped, so that a second signal
 * cannot flip it back.  On SIGINT, SIGTERM and SIGHUP it also kills the
 * child, which ends any read of a pipe from it.
 */
static void
on_signal(int sig)
{
	_Atomic uint32_t *w = demo_poke_word;
	uint32_t cur;
	int e = errno;

	if (sig == SIGCHLD)
		demo_child_gone = 1;
	else {
		if (demo_got_signal == 0)
			demo_got_signal = sig;
		if (demo_child_to_kill > 0)
			kill((pid_t)demo_child_to_kill, SIGKILL);
	}
	if (w != NULL && sleeping) {
		cur = atomic_load_explicit(w, memory_order_acquire);
		while (cur == sleep_val &&
		    !atomic_compare_exchange_weak_explicit(w, &cur,
		    cur ^ W_ABORT, memory_order_acq_rel, memory_order_acquire))
			;
	}
	errno = e;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP	(sizeof(stop_signals) / sizeof(stop_signals[0]))

void
demo_handled_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < NSTOP; i++)
		sigaddset(set, stop_signals[i]);
	sigaddset(set, SIGCHLD);
}

void
demo_install_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	demo_handled_set(&sa.sa_mask);
	/* Restarted writes keep stdout whole; the handler ends the waits. */
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, NULL);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	/* A reader that goes away must not kill us before we clean up. */
	signal(SIGPIPE, SIG_IGN);
}

void
demo_default_handlers(void)
{
	size_t i;

	for (i = 0; i < NSTOP; i++)
		signal(stop_signals[i], SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}
