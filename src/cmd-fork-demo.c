/*
 * shm fork-demo: the classic tutorial program, done right.  A parent makes
 * a segment and attaches it, a forked child attaches it on its own, and the
 * parent hands the child a value through it.  The order comes from a futex
 * word in the segment, not from sleeping.  With --rounds the two then
 * measure round trips through the segment, and with --compare through a
 * pipe and a socketpair as well.
 *
 * The segment's layout: the value, an int32, at offset 0 (where the
 * tutorial keeps its int, so 'shm read -t i32' shows it), and the handshake
 * word on a cache line of its own at offset 64.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "commands.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "rounds.h"
#include "object.h"

#define VALUE_OFF	0
#define WORD_OFF	64
#define DEMO_MIN_SIZE	128	/* room for the value and the word */

/* How narration names the object (obj_info_ref), in a buffer of its own. */
#define REF_LEN		(OBJ_NAME_MAX + 8)
#define REF(info)	obj_info_ref((info), (char[REF_LEN]){ 0 }, REF_LEN)

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

#define MAX_ROUNDS	1000000000ULL

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the handshake needs lock-free"
    " 32-bit atomics, for the signal handlers and across processes");

enum {
	OPT_VALUE = OPT_FIRST_LOCAL,
	OPT_ROUNDS,
	OPT_COMPARE,
	OPT_KEEP,
	OPT_REUSE,
	OPT_QUIET,
};

static struct poptOption demo_options[] = {
	{ "value", '\0', POPT_ARG_STRING, NULL, OPT_VALUE,
	  "the int32 the parent hands over (default 3)", "N" },
	{ "rounds", '\0', POPT_ARG_STRING, NULL, OPT_ROUNDS,
	  "then time N round trips through the segment", "N" },
	{ "compare", '\0', POPT_ARG_NONE, NULL, OPT_COMPARE,
	  "time the same through a pipe and a socketpair", NULL },
	{ "keep", '\0', POPT_ARG_NONE, NULL, OPT_KEEP,
	  "leave the segment in place at the end", NULL },
	{ "reuse", '\0', POPT_ARG_NONE, NULL, OPT_REUSE,
	  "use an existing segment, and leave it in place", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "print nothing but errors", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR_PRIVATE,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, demo_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

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

/* What the parent's signal handlers see. */
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t child_gone;
static volatile sig_atomic_t child_to_kill;
static _Atomic uint32_t *volatile poke_word;
/* The parent sleeps on the word (futex wait), or is about to... */
static volatile sig_atomic_t sleeping;
/* ...while it holds this value. */
static volatile uint32_t sleep_val;

/* Who speaks: "parent" or "child", and the pid. */
static const char *role = "parent";
static pid_t self;
static bool quiet;

static void narrate(const char *, ...) PRINTF_LIKE(1, 2);

/*
 * One line of the story on stdout, flushed at once, so that the lines of
 * the two processes come out in the order they happened and fork() has
 * nothing buffered to copy.
 */
static void
narrate(const char *fmt, ...)
{
	va_list ap;

	if (quiet || !stdout_flush())
		return;
	errno = 0;
	printf("%s %ld: ", role, (long)self);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	stdout_flush();
}

static _Atomic uint32_t *
word_of(const struct obj *s)
{
	return (_Atomic uint32_t *)(void *)(s->addr + WORD_OFF);
}

/* Moves the conversation to step seq and wakes the other side if it sleeps. */
static void
post(_Atomic uint32_t *w, uint32_t seq)
{
	uint32_t old;

	old = atomic_exchange_explicit(w, seq & W_SEQ, memory_order_acq_rel);
	if (old & W_WAITING)
		atomic_wake((const void *)w);
}

/*
 * Waits until the conversation reaches step seq: spins or yields as hs
 * says, then sleeps on the futex.  In the parent (interruptible) it gives
 * up when a signal came or the child died; returns 0, or -1 when it gave
 * up.
 */
static int
wait_seq(_Atomic uint32_t *w, uint32_t seq, enum handshake hs,
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
			return 0;
		if (interruptible && (got_signal || child_gone))
			return -1;
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
			if (got_signal || child_gone) {
				sleeping = 0;
				return -1;
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
	_Atomic uint32_t *w = poke_word;
	uint32_t cur;
	int e = errno;

	if (sig == SIGCHLD)
		child_gone = 1;
	else {
		if (got_signal == 0)
			got_signal = sig;
		if (child_to_kill > 0)
			kill((pid_t)child_to_kill, SIGKILL);
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

static void
handled_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < NSTOP; i++)
		sigaddset(set, stop_signals[i]);
	sigaddset(set, SIGCHLD);
}

static void
install_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	handled_set(&sa.sa_mask);
	/* Restarted writes keep stdout whole; the handler ends the waits. */
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, NULL);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	/* A reader that goes away must not kill us before we clean up. */
	signal(SIGPIPE, SIG_IGN);
}

static void
report(const struct rounds_figures *f)
{
	narrate("%s: %" PRIu64 " round trips in %.3f s: %.0f per second,"
	    " median %" PRIu64 " ns, p99 %" PRIu64 " ns", f->what, f->rounds,
	    f->seconds, f->per_second, f->median_ns, f->p99_ns);
}

/*
 * The parent's side of the round trips through the segment: post step
 * 2i, wait for 2i+1.  Returns 0, or -1 when a signal or the child's death
 * stopped it.
 */
static int
rounds_segment(const struct demo *d, _Atomic uint32_t *w, uint64_t *samples,
    struct rounds_figures *f)
{
	struct rounds_timer t;
	uint64_t i;

	rounds_start(&t, d->rounds, samples);
	for (i = 0; i < d->rounds; i++) {
		rounds_before(&t, i);
		post(w, (uint32_t)(SEQ_ROUNDS + 2 * i));
		if (wait_seq(w, (uint32_t)(SEQ_ROUNDS + 2 * i + 1),
		    d->handshake, true) != 0)
			return -1;
		rounds_after(&t, i);
	}
	rounds_finish(&t, "segment", f);
	return 0;
}

static void
child_rounds_segment(const struct demo *d, _Atomic uint32_t *w)
{
	uint64_t i;

	for (i = 0; i < d->rounds; i++) {
		wait_seq(w, (uint32_t)(SEQ_ROUNDS + 2 * i), d->handshake,
		    false);
		post(w, (uint32_t)(SEQ_ROUNDS + 2 * i + 1));
	}
}

static int
rounds_fd(const struct demo *d, const char *what, int out, int in,
    uint64_t *samples, struct rounds_figures *f)
{
	struct rounds_timer t;
	uint64_t i;

	rounds_start(&t, d->rounds, samples);
	for (i = 0; i < d->rounds; i++) {
		if (got_signal)
			return -1;
		rounds_before(&t, i);
		if (!rounds_bounce(out, in, &got_signal))
			return -1;
		rounds_after(&t, i);
	}
	rounds_finish(&t, what, f);
	return 0;
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
		narrate("handshake: yield the CPU (up to %d times), then futex"
		    " wait, no spinning: cannot tell which CPUs are available"
		    " (%s)", YIELD_LIMIT, strerror(e));
		return;
	}
	if (second < 0) {
		narrate("handshake: yield the CPU (up to %d times), then futex"
		    " wait, no spinning: only CPU %d is available, so a side"
		    " spinning on it would only keep the other from answering",
		    YIELD_LIMIT, first);
		return;
	}
	if (rounds_pin(first) != 0) {
		narrate("handshake: yield the CPU (up to %d times), then futex"
		    " wait, no spinning: cannot pin to CPU %d (%s), so the two"
		    " sides may share one", YIELD_LIMIT, first,
		    strerror(errno));
		return;
	}
	d->handshake = HS_SPIN;
	d->cpu_parent = first;
	d->cpu_child = second;
	narrate("handshake: spin (up to %d pauses), then futex wait: %d CPUs"
	    " are available, so the parent runs on CPU %d and the child on"
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

/* The child: attach on its own, wait for the go, read, answer, detach. */
static int
child_main(struct demo *d)
{
	struct obj_sel sel = *d->sel;
	struct obj s = { 0 };
	_Atomic uint32_t *w;
	char key[11], mine[64], theirs[64];
	int32_t v;
	int rc, ret = EXIT_SHM_OK;

	if (d->cpu_child >= 0 && rounds_pin(d->cpu_child) != 0)
		return msg_error(EXIT_SHM_FAIL, "the child cannot pin itself"
		    " to CPU %d: %s", d->cpu_child, strerror(errno));
	/*
	 * Attach as an unrelated process would, deriving the key itself,
	 * then drop the attachment that fork() copied (until then it keeps
	 * a private segment, marked for removal, alive).
	 */
	if (sel.kind == SEL_PRIVATE)
		rc = obj_attach(&sel, &d->info, false, &s);
	else {
		sel.resolved = sel.kind == SEL_KEY;
		rc = obj_open(&sel, false, &s);
	}
	if (rc != EXIT_SHM_OK)
		return rc;
	if ((rc = obj_detach(&d->seg)) != EXIT_SHM_OK) {
		obj_detach(&s);
		return rc;
	}
	switch (sel.kind) {
	case SEL_FILE:
		narrate("ftok('%s', %d) gives key %s here too: attached %s"
		    " itself", sel.path, sel.proj, obj_key_str(sel.key, key),
		    REF(&s.info));
		break;
	case SEL_KEY:
		narrate("key %s names %s: attached it itself",
		    obj_key_str(sel.key, key), REF(&s.info));
		break;
	case SEL_ID:
		narrate("attached %s itself", REF(&s.info));
		break;
	case SEL_POSIX:
		narrate("shm_open('/%s') here too: mapped it itself", sel.name);
		break;
	default:
		narrate("attached %s itself (a private segment has no key:"
		    " the id came through fork)", REF(&s.info));
		break;
	}
	if (strcmp(obj_info_ident(&s.info, mine, sizeof(mine)),
	    obj_info_ident(&d->info, theirs, sizeof(theirs))) != 0) {
		ret = msg_error(EXIT_SHM_FAIL, "the child found %s where the"
		    " parent uses %s: the segment was replaced meanwhile",
		    REF(&s.info), REF(&d->info));
		goto out;
	}
	w = word_of(&s);
	narrate("waiting on the futex word at offset %d for the parent's"
	    " go", WORD_OFF);
	post(w, SEQ_READY);
	wait_seq(w, SEQ_GO, HS_FUTEX, false);
	memcpy(&v, s.addr + VALUE_OFF, sizeof(v));
	narrate("read %" PRId32 " at offset %d", v, VALUE_OFF);
	if (v != d->value)
		ret = msg_error(EXIT_SHM_FAIL, "the child read %" PRId32 ", not"
		    " the %" PRId32 " the parent wrote", v, d->value);
	post(w, SEQ_SEEN);
	if (ret != EXIT_SHM_OK || d->rounds == 0)
		goto out;
	child_rounds_segment(d, w);
	if (d->compare) {
		if ((ret = child_rounds_fd(d, d->p2c[0], d->c2p[1])) != 0 ||
		    (ret = child_rounds_fd(d, d->sock[1], d->sock[1])) != 0)
			goto out;
		narrate("answered %" PRIu64 " round trips through the"
		    " segment, the pipes and the socketpair", d->rounds);
	} else
		narrate("answered %" PRIu64 " round trips through the segment",
		    d->rounds);
out:
	if ((rc = obj_detach(&s)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	narrate("detached; exiting with status %d", ret);
	return ret;
}

/*
 * Runs the child's side in the new process and returns its exit status;
 * cmd_fork_demo() frees what the parent allocated and ends the child.
 */
static int
child_process(struct demo *d, const sigset_t *blocked)
{
	size_t i;
	int rc;

	role = "child";
	self = getpid();
	poke_word = NULL;
	for (i = 0; i < NSTOP; i++)
		signal(stop_signals[i], SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* If the parent dies, so does the child, instead of waiting forever. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != d->parent)
		return EXIT_SHM_FAIL;
	sigprocmask(SIG_UNBLOCK, blocked, NULL);
	if (d->compare) {
		close(d->p2c[1]);
		close(d->c2p[0]);
		close(d->sock[0]);
	}
	rc = child_main(d);
	/* The parent's story goes to the same place: it reports failures. */
	clearerr(stdout);
	return rc;
}

/*
 * An existing segment without --reuse: refuse, before anything is written
 * to it (diagnosis row 34).
 */
static int
refuse_existing(const struct demo *d)
{
	char what[PATH_MAX + 96], args[PATH_MAX + 64];

	obj_info_str(&d->info, what, sizeof(what));
	obj_sel_args(d->sel, args, sizeof(args));
	msg_error(EXIT_SHM_EXISTS, "%s already exists (%" PRIu64 " bytes):"
	    " fork-demo would overwrite it (bytes %d-%d, the value, and %d-%d,"
	    " the handshake word) and then remove it", what, d->info.size,
	    VALUE_OFF, VALUE_OFF + 3, WORD_OFF, WORD_OFF + 3);
	msg_hint("if nothing needs it, remove it first (see it with"
	    " 'shm stat %s'): shm rm %s", args, args);
	msg_hint("or name another key, or none for a new private segment");
	msg_hint("or use it as it is, and leave it in place: shm fork-demo %s"
	    " --reuse", args);
	return EXIT_SHM_EXISTS;
}

/*
 * Finds or makes the segment.  A new one has a page, mode 0600; whether it
 * is new is the kernel's answer (IPC_CREAT | IPC_EXCL in obj_create), so a
 * segment made by someone else meanwhile is never taken for ours.  An
 * existing one is refused, or with --reuse used as it is when it has room
 * for the value and the word.
 */
static int
get_segment(struct demo *d)
{
	char key[11];
	long page = sysconf(_SC_PAGESIZE);
	int rc;

	if ((rc = obj_resolve(d->sel)) != EXIT_SHM_OK)
		return rc;
	if (d->sel->kind == SEL_FILE)
		narrate("ftok('%s', %d) gives key %s", d->sel->path,
		    d->sel->proj, obj_key_str(d->sel->key, key));
	if (d->sel->kind == SEL_PRIVATE)
		rc = EXIT_SHM_NOENT;
	else if (d->sel->kind == SEL_ID)
		rc = obj_lookup(d->sel, &d->info, 0);	/* none: exit 3 */
	else
		rc = obj_lookup(d->sel, &d->info, OBJ_QUIET_MISSING);
	if (rc == EXIT_SHM_NOENT && d->sel->kind != SEL_ID) {
		struct obj_create_req req = {
			.size = page > 0 ? (uint64_t)page : 4096,
			.mode = 0600,
		};

		rc = obj_create(d->sel, &req, &d->info, &d->created);
	}
	if (rc != EXIT_SHM_OK)
		return rc;
	if (!d->created && !d->reuse)
		return refuse_existing(d);
	if (d->info.size < DEMO_MIN_SIZE) {
		msg_error(EXIT_SHM_SIZE, "segment %s has %" PRIu64 " bytes;"
		    " fork-demo needs %d (the value at offset %d, the"
		    " handshake word at offset %d)", REF(&d->info),
		    d->info.size, DEMO_MIN_SIZE, VALUE_OFF, WORD_OFF);
		msg_hint("name another segment, or none for a private one");
		return EXIT_SHM_SIZE;
	}
	if (d->sel->kind == SEL_POSIX) {
		narrate("%s POSIX object /%s: %" PRIu64 " bytes, mode %04o%s",
		    d->created ? "created a new" : "found the existing",
		    d->info.name, d->info.size, d->info.mode & 0777,
		    d->created ? "" : "; --reuse: it stays in place at the"
		    " end");
		return EXIT_SHM_OK;
	}
	narrate("%s %ssegment: key %s%s, id %d, %" PRIu64 " bytes, mode"
	    " %04o%s", d->created ? "created a new" : "found the existing",
	    d->sel->kind == SEL_PRIVATE ? "private " : "",
	    obj_key_str(d->info.key, key),
	    d->info.key == 0 ? " (IPC_PRIVATE)" : "", d->info.id,
	    d->info.size, d->info.mode & 0777,
	    d->created ? "" : "; --reuse: it stays in place at the end");
	return EXIT_SHM_OK;
}

/* Reaps the child and tells how it ended; returns the exit status. */
static int
reap(struct demo *d, bool killed)
{
	int st, code, sig;

	while (waitpid(d->child, &st, 0) < 0)
		if (errno != EINTR)
			return msg_error(EXIT_SHM_FAIL, "cannot wait for child"
			    " %ld: %s", (long)d->child, strerror(errno));
	child_to_kill = 0;
	/* After a signal, the handler has killed the child. */
	killed = killed || got_signal;
	if (WIFEXITED(st)) {
		code = WEXITSTATUS(st);
		if (code == 0) {
			narrate("child %ld exited with status 0: it saw %"
			    PRId32, (long)d->child, d->value);
			return EXIT_SHM_OK;
		}
		if (!killed)
			msg_error(code, "child %ld exited with status %d",
			    (long)d->child, code);
		return code <= EXIT_SHM_SIZE ? code : EXIT_SHM_FAIL;
	}
	sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	if (killed)
		narrate("stopped child %ld (signal %d, %s)", (long)d->child,
		    sig, strsignal(sig));
	else
		msg_error(EXIT_SHM_FAIL, "child %ld was killed by signal %d"
		    " (%s)", (long)d->child, sig, strsignal(sig));
	return EXIT_SHM_FAIL;
}

/* Marks the segment we made for removal: it goes with the last detach. */
static int
mark_removed(struct demo *d)
{
	int rc;

	if ((rc = obj_remove(&d->info)) != EXIT_SHM_OK)
		return rc;
	d->removed = true;
	narrate("marked %s for removal: it goes when the last of us"
	    " detaches, whatever happens to us", REF(&d->info));
	return EXIT_SHM_OK;
}

/*
 * The parent's part after fork: wait for the child to be ready, write the
 * value, let the child read it, and run the round trips.  Returns the exit
 * status; -1 when a signal or the child's death cut it short.
 */
static int
converse(struct demo *d, uint64_t *samples)
{
	_Atomic uint32_t *w = word_of(&d->seg);
	struct rounds_figures seg_f, pipe_f, sock_f;
	int rc;

	if (wait_seq(w, SEQ_READY, HS_FUTEX, true) != 0)
		return -1;
	narrate("child %ld is attached and waiting", (long)d->child);
	if (d->created && !d->keep && !d->removed) {
		/*
		 * Both are attached: from now on the segment we made goes
		 * with the last detach, even if both of us are killed.  (Not
		 * before: marked, it loses its key, and the child opens it
		 * by the key.)
		 */
		if ((rc = mark_removed(d)) != EXIT_SHM_OK)
			return rc;
	}
	memcpy(d->seg.addr + VALUE_OFF, &d->value, sizeof(d->value));
	narrate("wrote %" PRId32 " at offset %d; waking the child (futex at"
	    " offset %d)", d->value, VALUE_OFF, WORD_OFF);
	post(w, SEQ_GO);
	if (wait_seq(w, SEQ_SEEN, HS_FUTEX, true) != 0)
		return -1;
	if (d->rounds == 0)
		return EXIT_SHM_OK;
	if (rounds_segment(d, w, samples, &seg_f) != 0)
		return -1;
	if (d->compare &&
	    (rounds_fd(d, "pipe", d->p2c[1], d->c2p[0], samples,
	    &pipe_f) != 0 ||
	    rounds_fd(d, "socketpair", d->sock[0], d->sock[0], samples,
	    &sock_f) != 0))
		return -1;
	report(&seg_f);
	if (!d->compare)
		return EXIT_SHM_OK;
	report(&pipe_f);
	report(&sock_f);
	narrate("segment vs pipe: %.1fx the round trips per second;"
	    " segment vs socketpair: %.1fx",
	    pipe_f.per_second > 0 ? seg_f.per_second / pipe_f.per_second : 0,
	    sock_f.per_second > 0 ? seg_f.per_second / sock_f.per_second : 0);
	return EXIT_SHM_OK;
}

/* Finds or makes the segment and attaches it; tells what it reads. */
static int
attach_segment(struct demo *d, bool *attached)
{
	int32_t v;
	int ret;

	if ((ret = get_segment(d)) != EXIT_SHM_OK || got_signal)
		return ret;
	if ((ret = obj_attach(d->sel, &d->info, false, &d->seg)) !=
	    EXIT_SHM_OK)
		return ret;
	*attached = true;
	/*
	 * A private segment is reached by its id, which the child inherits
	 * with the attachment: mark it at once, so that no kill -9 from now
	 * on can leave it behind.
	 */
	if (d->created && !d->keep && d->sel->kind == SEL_PRIVATE) {
		if ((ret = obj_remove(&d->info)) != EXIT_SHM_OK)
			return ret;
		d->removed = true;
	}
	poke_word = word_of(&d->seg);
	memcpy(&v, d->seg.addr + VALUE_OFF, sizeof(v));
	if (d->created)
		narrate("attached %s: offset %d reads %" PRId32 ", as a new"
		    " segment is all zeros", REF(&d->info), VALUE_OFF, v);
	else
		narrate("attached %s: offset %d reads %" PRId32 ": the"
		    " segment is not new (made by pid %ld)", REF(&d->info),
		    VALUE_OFF, v, (long)d->info.cpid);
	if (d->removed)
		narrate("marked %s for removal at once: it goes when the"
		    " last of us detaches, whatever happens to us (the child"
		    " inherits the attachment)", REF(&d->info));
	atomic_store(word_of(&d->seg), SEQ_RESET);
	return EXIT_SHM_OK;
}

/* Makes what --rounds and --compare need before the fork. */
static int
prepare_rounds(struct demo *d, uint64_t **samples)
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

/* Talks with the child, then reaps it; returns the exit status. */
static int
talk_and_reap(struct demo *d, uint64_t *samples)
{
	bool killed = false;
	int rc, ret = EXIT_SHM_OK;

	if (d->compare) {
		close(d->p2c[0]);
		close(d->c2p[1]);
		close(d->sock[1]);
		d->p2c[0] = d->c2p[1] = d->sock[1] = -1;
	}
	rc = converse(d, samples);
	if (rc > 0 || (rc < 0 && got_signal)) {
		/* our failure or a signal: the child's part is over too */
		kill(d->child, SIGKILL);
		killed = true;
	}
	if (rc > 0)
		ret = rc;
	if ((rc = reap(d, killed)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	d->child = 0;
	return ret;
}

/*
 * Detaches, and removes the segment unless it is kept or not ours; tells
 * what became of it.  Returns ret, or the first failure when ret is 0.
 */
static int
leave_segment(struct demo *d, bool attached, int ret)
{
	char *args;
	int rc;

	poke_word = NULL;
	if (attached && (rc = obj_detach(&d->seg)) != EXIT_SHM_OK &&
	    ret == EXIT_SHM_OK)
		ret = rc;
	if (d->removed)
		narrate("detached; %s is gone", REF(&d->info));
	else if (!d->created) {
		/* never removed: not ours (--reuse), or never found */
		if (attached)
			narrate("detached; left %s in place, as --reuse"
			    " asks", REF(&d->info));
	} else if (d->keep && !got_signal) {
		args = obj_info_opts(NULL, &d->info);
		narrate("detached; kept %s: remove it with: shm rm %s",
		    REF(&d->info), args);
		free(args);
	} else {
		if ((rc = obj_remove(&d->info)) == EXIT_SHM_OK) {
			narrate("detached and removed %s", REF(&d->info));
			d->removed = true;
		} else if (ret == EXIT_SHM_OK)
			ret = rc;
	}
	return ret;
}

/* Says which signal stopped us and what was cleaned up, then dies of it. */
static int
die_of_signal(const struct demo *d, bool forked, bool attached,
    const sigset_t *handled)
{
	int sig = got_signal;

	msg_error(128 + sig, "stopped by signal %d (%s)%s%s", sig,
	    strsignal(sig), forked ? "; the child is reaped" : "",
	    d->removed ? (forked ? " and the segment removed" :
	    "; the segment is removed") : attached && !d->created ?
	    (forked ? " and the segment left in place (--reuse)" :
	    "; the segment is left in place (--reuse)") : "");
	fflush(stdout);
	/* Die of the same signal, so the caller sees what happened. */
	signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, handled, NULL);
	raise(sig);
	return 128 + sig;
}

static int
run_parent(struct demo *d)
{
	sigset_t handled, old;
	uint64_t *samples = NULL;
	bool attached = false, forked = false;
	int ret;

	self = d->parent = getpid();
	d->child = 0;
	d->p2c[0] = d->p2c[1] = d->c2p[0] = d->c2p[1] = -1;
	d->sock[0] = d->sock[1] = -1;
	d->cpu_parent = d->cpu_child = -1;
	install_handlers();
	handled_set(&handled);

	if ((ret = attach_segment(d, &attached)) != EXIT_SHM_OK ||
	    got_signal)
		goto out;
	if ((ret = prepare_rounds(d, &samples)) != EXIT_SHM_OK || got_signal)
		goto out;

	narrate("forking the child");
	fflush(stdout);
	/* Until the pid is known, a signal must not find half a child. */
	sigprocmask(SIG_BLOCK, &handled, &old);
	d->child = fork();
	if (d->child == 0) {
		d->in_child = true;
		free(samples);
		return child_process(d, &handled);
	}
	if (d->child < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		d->child = 0;
		ret = msg_error(EXIT_SHM_FAIL, "cannot fork: %s",
		    strerror(errno));
		goto out;
	}
	child_to_kill = (sig_atomic_t)d->child;
	forked = true;
	sigprocmask(SIG_SETMASK, &old, NULL);
	ret = talk_and_reap(d, samples);
out:
	if (d->child > 0) {
		kill(d->child, SIGKILL);
		reap(d, true);
	}
	close_fds(d->p2c, 2);
	close_fds(d->c2p, 2);
	close_fds(d->sock, 2);
	free(samples);
	ret = leave_segment(d, attached, ret);
	if (got_signal)
		return die_of_signal(d, forked, attached, &handled);
	/*
	 * The story is flushed line by line, so a failed write was seen then
	 * (a closed pipe too, SIGPIPE being ignored until all is clean).
	 */
	return stdout_status(ret);
}

/* The options other than the selector go into the demo. */
static int
take_options(poptContext ctx, int val, void *data)
{
	struct demo *d = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_VALUE:
		arg = poptGetOptArg(ctx);
		if (parse_value(VT_I32, arg, &d->value) != 0)
			ret = msg_usage("--value: invalid number '%s' (want a"
			    " 32-bit signed integer, decimal or 0x hex)", arg);
		free(arg);
		break;
	case OPT_ROUNDS:
		arg = poptGetOptArg(ctx);
		ret = opt_size("--rounds", arg, &d->rounds);
		if (ret == EXIT_SHM_OK &&
		    (d->rounds == 0 || d->rounds > MAX_ROUNDS))
			ret = msg_usage("--rounds: '%s' is out of range (want 1"
			    " to %llu)", arg, MAX_ROUNDS);
		free(arg);
		break;
	case OPT_COMPARE:
		d->compare = true;
		break;
	case OPT_KEEP:
		d->keep = true;
		break;
	case OPT_REUSE:
		d->reuse = true;
		break;
	case OPT_QUIET:
		quiet = true;
		break;
	}
	return ret;
}

int
cmd_fork_demo(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct obj_sel private = { .kind = SEL_PRIVATE, .proj = 1 };
	struct demo d;
	poptContext ctx;
	int ret;

	memset(&d, 0, sizeof(d));
	d.value = 3;
	ctx = opt_context(argc, argv, options, "[--value=N] [SELECTOR]"
	    " [--rounds=N [--compare]] [--keep] [--reuse] [-q|--quiet]");
	ret = opt_parse(ctx, &sels, take_options, &d, OPT_NO_OPERANDS);
	if (ret != OPT_GO_ON)
		goto out;
	if (d.compare && d.rounds == 0) {
		ret = msg_usage("--compare goes with --rounds");
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, SELS_OPTIONAL | SELS_PRIVATE)) !=
	    EXIT_SHM_OK)
		goto out;
	d.sel = sels.n > 0 ? &sels.sel[0] : &private;
	if (d.reuse && d.sel->kind == SEL_PRIVATE) {
		ret = msg_usage("--reuse goes with --key, --file or --id: a"
		    " private segment is always new");
		goto out;
	}
	ret = run_parent(&d);
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	/*
	 * The child ends here, with everything freed, and without the
	 * parent's check of stdout at exit: the parent reports for both.
	 */
	if (d.in_child)
		_exit(ret);
	return ret;
}
