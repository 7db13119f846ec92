/*
 * What the parts of shm fork-demo share: the story (cmd-fork-demo.c), the
 * handshake through the futex word with the parent's signals
 * (demo-handshake.c), and the measured round trips of --rounds and
 * --compare (demo-rounds.c).
 *
 * The segment's layout: the value, an int32, at offset 0 (where the
 * tutorial keeps its int, so 'shm read -t i32' shows it), and the handshake
 * word on a cache line of its own at offset 64.
 */
#ifndef SHM_FORK_DEMO_H
#define SHM_FORK_DEMO_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "msg.h"
#include "object.h"

#define VALUE_OFF	0
#define WORD_OFF	64
#define DEMO_MIN_SIZE	128	/* room for the value and the word */

/*
 * The handshake word.  Its low bits count the steps of the conversation;
 * the parent posts even steps and the child odd ones, so each side knows
 * which value it waits for.  A side about to sleep sets WAITING, so the
 * other calls futex(FUTEX_WAKE) only when someone sleeps.  The parent's
 * signal handlers flip ABORT to change the word under a parent that sleeps
 * on it, or is about to, so that no signal is lost.
 */
#define W_SEQ		0x3fffffffu
#define W_WAITING	0x40000000u
#define W_ABORT		0x80000000u

enum {
	SEQ_RESET,		/* the parent, before fork */
	SEQ_READY,		/* child: attached, waiting */
	SEQ_GO,			/* parent: the value is written */
	SEQ_SEEN,		/* child: read it */
	SEQ_ROUNDS,		/* round i: parent posts +2i, child +2i+1 */
};

/*
 * How a side waits for the other during --rounds, before it sleeps on the
 * futex.  Two sleeping sides make every round trip two wake-ups, as slow as
 * a pipe.  With the peer on another CPU, a side spins (SPIN_LIMIT pause
 * instructions: long enough to cover a peer that answers within a
 * microsecond, short enough that a preempted peer costs little).  With
 * both on one CPU, spinning only keeps the peer from running; there a side
 * yields the CPU (YIELD_LIMIT times), which hands it straight to the peer,
 * now runnable, and spares both futex calls when the answer is back.
 */
enum handshake {
	HS_FUTEX,		/* sleep at once */
	HS_SPIN,
	HS_YIELD,
};

#define SPIN_LIMIT	4000
#define YIELD_LIMIT	3

struct demo {
	struct obj_sel	*sel;
	int32_t		 value;
	uint64_t	 rounds;
	bool		 compare;
	bool		 keep;
	bool		 reuse;		/* use an existing segment */

	struct obj_info	 info;
	struct obj	 seg;
	bool		 created;
	bool		 removed;	/* marked for removal (IPC_RMID) */
	pid_t		 parent;
	pid_t		 child;
	enum handshake	 handshake;	/* of --rounds */
	int		 cpu_parent;	/* -1: not pinned */
	int		 cpu_child;
	int		 p2c[2];	/* pipes, --compare */
	int		 c2p[2];
	int		 sock[2];	/* socketpair, --compare */
	bool		 in_child;	/* this process is the child */
};

/* What the parent's signal handlers set: the first stopping signal, */
extern volatile sig_atomic_t demo_got_signal;
/* SIGCHLD came, */
extern volatile sig_atomic_t demo_child_gone;
/* and the child they kill on a stopping signal (0: none). */
extern volatile sig_atomic_t demo_child_to_kill;
/* The word the handlers change under a parent that sleeps on it. */
extern _Atomic uint32_t *volatile demo_poke_word;

/* One line of the story on stdout: "parent PID: ...", flushed. */
void	demo_narrate(const char *, ...) PRINTF_LIKE(1, 2);

/* The handshake word of the segment s. */
static inline _Atomic uint32_t *
demo_word(const struct obj *s)
{
	return (_Atomic uint32_t *)(void *)(s->addr + WORD_OFF);
}

/* Moves the conversation to step seq and wakes the other side if it sleeps. */
void	demo_post(_Atomic uint32_t *w, uint32_t seq);

/*
 * Waits until the conversation reaches step seq: spins or yields as hs
 * says, then sleeps on the futex.  In the parent (interruptible) it gives
 * up when a signal came or the child died.  Returns true when the step
 * came, false when it gave up.
 */
bool	demo_wait(_Atomic uint32_t *w, uint32_t seq, enum handshake hs,
	    bool interruptible);

/* The signals the parent handles: SIGINT, SIGTERM, SIGHUP, SIGCHLD. */
void	demo_handled_set(sigset_t *set);

/* Installs the parent's handlers, and ignores SIGPIPE. */
void	demo_install_handlers(void);

/* Gives the child the default handlers back. */
void	demo_default_handlers(void);

/*
 * Before the fork, for --rounds and --compare: chooses the handshake (and
 * the CPUs), allocates the samples, makes the pipes and the socketpair.
 * Returns the exit status.
 */
int	demo_rounds_prepare(struct demo *d, uint64_t **samples);

/* In the child: pins it to its CPU, if the handshake chose one. */
int	demo_rounds_pin_child(const struct demo *d);

/* After the fork: each side closes the ends of the pipes it does not use. */
void	demo_rounds_parent_ends(struct demo *d);
void	demo_rounds_child_ends(struct demo *d);

/* Closes what is left of the pipes and the socketpair. */
void	demo_rounds_close(struct demo *d);

/*
 * The parent's round trips, and their report.  Returns true, or false
 * when a signal or the child's death cut them short.
 */
bool	demo_rounds_parent(const struct demo *d, uint64_t *samples);

/* The child's side of the round trips.  Returns the exit status. */
int	demo_rounds_child(const struct demo *d, _Atomic uint32_t *w);

#endif
