/*
 * shm fork-demo: the classic tutorial program, done right.  A parent makes
 * a segment and attaches it, a forked child attaches it on its own, and the
 * parent hands the child a value through it.  The order comes from a futex
 * word in the segment, not from sleeping.  With --rounds the two then
 * measure round trips through the segment, and with --compare through a
 * pipe and a socketpair as well.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "fork-demo.h"
#include "options.h"
#include "msg.h"
#include "parse.h"

/* How narration names the object (obj_info_ref), in a buffer of its own. */
#define REF_LEN		(OBJ_NAME_MAX + 8)
#define REF(info)	obj_info_ref((info), (char[REF_LEN]){ 0 }, REF_LEN)

#define MAX_ROUNDS	1000000000ULL

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

/* Who speaks: "parent" or "child", and the pid. */
static const char *role = "parent";
static pid_t self;
static bool quiet;

/*
 * One line of the story on stdout, flushed at once, so that the lines of
 * the two processes come out in the order they happened and fork() has
 * nothing buffered to copy.
 */
void
demo_narrate(const char *fmt, ...)
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

	if ((rc = demo_rounds_pin_child(d)) != EXIT_SHM_OK)
		return rc;
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
		demo_narrate("ftok('%s', %d) gives key %s here too: attached"
		    " %s itself", sel.path, sel.proj,
		    obj_key_str(sel.key, key), REF(&s.info));
		break;
	case SEL_KEY:
		demo_narrate("key %s names %s: attached it itself",
		    obj_key_str(sel.key, key), REF(&s.info));
		break;
	case SEL_ID:
		demo_narrate("attached %s itself", REF(&s.info));
		break;
	case SEL_POSIX:
		demo_narrate("shm_open('/%s') here too: mapped it itself",
		    sel.name);
		break;
	default:
		demo_narrate("attached %s itself (a private segment has no"
		    " key: the id came through fork)", REF(&s.info));
		break;
	}
	if (strcmp(obj_info_ident(&s.info, mine, sizeof(mine)),
	    obj_info_ident(&d->info, theirs, sizeof(theirs))) != 0) {
		ret = msg_error(EXIT_SHM_FAIL, "the child found %s where the"
		    " parent uses %s: the segment was replaced meanwhile",
		    REF(&s.info), REF(&d->info));
		goto out;
	}
	w = demo_word(&s);
	demo_narrate("waiting on the futex word at offset %d for the parent's"
	    " go", WORD_OFF);
	demo_post(w, SEQ_READY);
	(void)demo_wait(w, SEQ_GO, HS_FUTEX, false);
	memcpy(&v, s.addr + VALUE_OFF, sizeof(v));
	demo_narrate("read %" PRId32 " at offset %d", v, VALUE_OFF);
	if (v != d->value)
		ret = msg_error(EXIT_SHM_FAIL, "the child read %" PRId32 ", not"
		    " the %" PRId32 " the parent wrote", v, d->value);
	demo_post(w, SEQ_SEEN);
	if (ret == EXIT_SHM_OK && d->rounds > 0)
		ret = demo_rounds_child(d, w);
out:
	if ((rc = obj_detach(&s)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	demo_narrate("detached; exiting with status %d", ret);
	return ret;
}

/*
 * Runs the child's side in the new process and returns its exit status;
 * cmd_fork_demo() frees what the parent allocated and ends the child.
 */
static int
child_process(struct demo *d, const sigset_t *blocked)
{
	int rc;

	role = "child";
	self = getpid();
	demo_poke_word = NULL;
	demo_default_handlers();
	/* If the parent dies, so does the child, instead of waiting forever. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != d->parent)
		return EXIT_SHM_FAIL;
	sigprocmask(SIG_UNBLOCK, blocked, NULL);
	demo_rounds_child_ends(d);
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
		demo_narrate("ftok('%s', %d) gives key %s", d->sel->path,
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
		demo_narrate("%s POSIX object /%s: %" PRIu64 " bytes, mode"
		    " %04o%s", d->created ? "created a new" :
		    "found the existing", d->info.name, d->info.size,
		    d->info.mode & 0777, d->created ? "" : "; --reuse: it"
		    " stays in place at the end");
		return EXIT_SHM_OK;
	}
	demo_narrate("%s %ssegment: key %s%s, id %d, %" PRIu64 " bytes, mode"
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
	demo_child_to_kill = 0;
	/* After a signal, the handler has killed the child. */
	killed = killed || demo_got_signal;
	if (WIFEXITED(st)) {
		code = WEXITSTATUS(st);
		if (code == 0) {
			demo_narrate("child %ld exited with status 0: it saw %"
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
		demo_narrate("stopped child %ld (signal %d, %s)",
		    (long)d->child, sig, strsignal(sig));
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
	demo_narrate("marked %s for removal: it goes when the last of us"
	    " detaches, whatever happens to us", REF(&d->info));
	return EXIT_SHM_OK;
}

/*
 * The parent's part after fork: wait for the child to be ready, write the
 * value, let the child read it, and run the round trips.  Returns the exit
 * status; *cut is set when a signal or the child's death cut it short.
 */
static int
converse(struct demo *d, uint64_t *samples, bool *cut)
{
	_Atomic uint32_t *w = demo_word(&d->seg);
	int rc;

	*cut = true;
	if (!demo_wait(w, SEQ_READY, HS_FUTEX, true))
		return EXIT_SHM_OK;
	demo_narrate("child %ld is attached and waiting", (long)d->child);
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
	demo_narrate("wrote %" PRId32 " at offset %d; waking the child (futex"
	    " at offset %d)", d->value, VALUE_OFF, WORD_OFF);
	demo_post(w, SEQ_GO);
	if (!demo_wait(w, SEQ_SEEN, HS_FUTEX, true))
		return EXIT_SHM_OK;
	if (d->rounds > 0 && !demo_rounds_parent(d, samples))
		return EXIT_SHM_OK;
	*cut = false;
	return EXIT_SHM_OK;
}

/* Finds or makes the segment and attaches it; tells what it reads. */
static int
attach_segment(struct demo *d, bool *attached)
{
	int32_t v;
	int ret;

	if ((ret = get_segment(d)) != EXIT_SHM_OK || demo_got_signal)
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
	demo_poke_word = demo_word(&d->seg);
	memcpy(&v, d->seg.addr + VALUE_OFF, sizeof(v));
	if (d->created)
		demo_narrate("attached %s: offset %d reads %" PRId32 ", as"
		    " a new segment is all zeros", REF(&d->info), VALUE_OFF, v);
	else
		demo_narrate("attached %s: offset %d reads %" PRId32 ": the"
		    " segment is not new (made by pid %ld)", REF(&d->info),
		    VALUE_OFF, v, (long)d->info.cpid);
	if (d->removed)
		demo_narrate("marked %s for removal at once: it goes when"
		    " the last of us detaches, whatever happens to us (the"
		    " child inherits the attachment)", REF(&d->info));
	atomic_store(demo_word(&d->seg), SEQ_RESET);
	return EXIT_SHM_OK;
}

/* Talks with the child, then reaps it; returns the exit status. */
static int
talk_and_reap(struct demo *d, uint64_t *samples)
{
	bool killed = false, cut;
	int rc, ret;

	demo_rounds_parent_ends(d);
	ret = converse(d, samples, &cut);
	if (ret != EXIT_SHM_OK || (cut && demo_got_signal)) {
		/* our failure or a signal: the child's part is over too */
		kill(d->child, SIGKILL);
		killed = true;
	}
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

	demo_poke_word = NULL;
	if (attached && (rc = obj_detach(&d->seg)) != EXIT_SHM_OK &&
	    ret == EXIT_SHM_OK)
		ret = rc;
	if (d->removed)
		demo_narrate("detached; %s is gone", REF(&d->info));
	else if (!d->created) {
		/* never removed: not ours (--reuse), or never found */
		if (attached)
			demo_narrate("detached; left %s in place, as --reuse"
			    " asks", REF(&d->info));
	} else if (d->keep && !demo_got_signal) {
		args = obj_info_opts(NULL, &d->info);
		demo_narrate("detached; kept %s: remove it with: shm rm %s",
		    REF(&d->info), args);
		free(args);
	} else {
		if ((rc = obj_remove(&d->info)) == EXIT_SHM_OK) {
			demo_narrate("detached and removed %s", REF(&d->info));
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
	int sig = demo_got_signal;

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
	demo_install_handlers();
	demo_handled_set(&handled);

	if ((ret = attach_segment(d, &attached)) != EXIT_SHM_OK ||
	    demo_got_signal)
		goto out;
	if ((ret = demo_rounds_prepare(d, &samples)) != EXIT_SHM_OK ||
	    demo_got_signal)
		goto out;

	demo_narrate("forking the child");
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
	demo_child_to_kill = (sig_atomic_t)d->child;
	forked = true;
	sigprocmask(SIG_SETMASK, &old, NULL);
	ret = talk_and_reap(d, samples);
out:
	if (d->child > 0) {
		kill(d->child, SIGKILL);
		reap(d, true);
	}
	demo_rounds_close(d);
	free(samples);
	ret = leave_segment(d, attached, ret);
	if (demo_got_signal)
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
	if (!opt_parse(ctx, &sels, take_options, &d, OPT_NO_OPERANDS, &ret))
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
