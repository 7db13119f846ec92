/*
 * shm wait: block until a segment appears, goes, gets attached or
 * detached, or a value in it satisfies an expression or changes.
 *
 * It never spins.  A value is watched with a futex wait on the 32-bit word
 * that holds its first byte: shm write, add and cas wake that word, so
 * their changes end the wait at once.  Other programs change memory
 * without a wake, so each wait also has a timeout, 1 ms at first and
 * doubling to 10 ms, after which the value is looked at again; a wake
 * starts it over at 1 ms.  What only the kernel knows (whether the segment
 * exists, how many processes have it attached) is polled on the same
 * schedule.  At 10 ms a waiter makes 100 cheap system calls a second.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic.h"
#include "commands.h"
#include "coord.h"
#include "format.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

#define BACKOFF_MIN	1000000ULL	/* 1 ms */
#define BACKOFF_MAX	10000000ULL	/* 10 ms */
/*
 * A long --changed range is compared less often: at most one byte per 10
 * ns of sleep, about 1 % of a CPU that compares 10 bytes a nanosecond.
 */
#define NS_PER_BYTE	10
/* How often a watched segment is looked for (marked for removal?). */
#define CHECK_EVERY	100000000ULL	/* 100 ms */

enum {
	OPT_EXISTS = OPT_FIRST_LOCAL,
	OPT_GONE,
	OPT_ATTACHED,
	OPT_DETACHED,
	OPT_VALUE,
	OPT_CHANGED,
	OPT_COUNT,
	OPT_TIMEOUT,
	OPT_QUIET,
};

static struct poptOption cond_options[] = {
	{ "exists", '\0', POPT_ARG_NONE, NULL, OPT_EXISTS,
	  "until the segment exists", NULL },
	{ "gone", '\0', POPT_ARG_NONE, NULL, OPT_GONE,
	  "until it no longer exists, or is marked for removal", NULL },
	{ "attached", '\0', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
	  OPT_ATTACHED, "until at least N processes (default 1) have it"
	  " attached", "N" },
	{ "detached", '\0', POPT_ARG_NONE, NULL, OPT_DETACHED,
	  "until no process has it attached", NULL },
	{ "value", '\0', POPT_ARG_STRING, NULL, OPT_VALUE,
	  "until the number at OFFSET satisfies EXPR: N, ==N, !=N, <N, <=N,"
	  " >N, >=N (needs --type); prints it", "EXPR" },
	{ "changed", '\0', POPT_ARG_NONE, NULL, OPT_CHANGED,
	  "until a byte from OFFSET (COUNT of them, default to the end)"
	  " differs from what it held at the start", NULL },
	POPT_TABLEEND
};

static struct poptOption wait_options[] = {
	{ "count", 'n', POPT_ARG_STRING, NULL, OPT_COUNT,
	  "bytes of the range, for --changed", "COUNT" },
	{ "timeout", '\0', POPT_ARG_STRING, NULL, OPT_TIMEOUT,
	  "give up after DURATION (exit 7); 0 tests once", "DURATION" },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "print neither the value nor why it timed out", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cond_options, 0,
	  "Conditions (exactly one):", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, wait_options, 0, "Options:",
	  NULL },
	COORD_INCLUDE_PLACE(NULL),
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

struct wait_opts {
	int		 cond;		/* OPT_EXISTS ... OPT_CHANGED, or 0 */
	const char	*cond_name;
	int		 nconds;
	uint64_t	 attached;	/* N of --attached */
	char		*expr_text;
	struct value_expr expr;
	struct coord_place place;	/* -o, -t, -e */
	uint64_t	 count;
	bool		 counted;
	uint64_t	 timeout;	/* ns */
	bool		 timed;
	bool		 quiet;
	struct opt_given given;
};

/* Exactly one condition. */
static const struct opt_excl wait_excl[] = {
	{ { OPT_EXISTS, OPT_GONE, OPT_ATTACHED, OPT_DETACHED, OPT_VALUE,
	    OPT_CHANGED }, "give exactly one condition" },
	{ { 0 }, NULL },
};

static void
set_cond(struct wait_opts *o, int val, const char *name)
{
	if (o->nconds++ == 0 || o->cond == val) {
		o->cond = val;
		o->cond_name = name;
	}
}

static int
take_options(poptContext ctx, int val, void *data)
{
	struct wait_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	opt_given_add(&o->given, val);
	if (coord_place_option(val))
		return coord_take_place(ctx, val, &o->place);
	arg = poptGetOptArg(ctx);
	switch (val) {
	case OPT_EXISTS:
		set_cond(o, val, "--exists");
		break;
	case OPT_GONE:
		set_cond(o, val, "--gone");
		break;
	case OPT_ATTACHED:
		set_cond(o, val, "--attached");
		o->attached = 1;
		if (arg != NULL && parse_size(arg, &o->attached) != 0)
			ret = msg_usage("--attached: invalid number '%s' (want"
			    " a count of processes)", arg);
		break;
	case OPT_DETACHED:
		set_cond(o, val, "--detached");
		break;
	case OPT_VALUE:
		set_cond(o, val, "--value");
		free(o->expr_text);
		o->expr_text = arg;
		arg = NULL;
		break;
	case OPT_CHANGED:
		set_cond(o, val, "--changed");
		break;
	case OPT_COUNT:
		ret = opt_size("--count", arg, &o->count);
		o->counted = true;
		break;
	case OPT_TIMEOUT:
		ret = coord_duration("--timeout", arg, &o->timeout);
		o->timed = true;
		break;
	case OPT_QUIET:
		o->quiet = true;
		break;
	}
	free(arg);
	return ret;
}

/* The options make sense together: one condition, and what it takes. */
static int
check_options(struct wait_opts *o)
{
	bool value = o->cond == OPT_VALUE, changed = o->cond == OPT_CHANGED;

	if (o->nconds == 0)
		return msg_usage("no condition given: --exists, --gone,"
		    " --attached, --detached, --value=EXPR or --changed");
	if (opt_check_excl(wait_excl, &o->given, options) != EXIT_SHM_OK)
		return EXIT_SHM_USAGE;
	/* The same condition twice. */
	if (o->nconds > 1)
		return msg_usage("give exactly one condition: %s and another"
		    " clash", o->cond_name);
	if (o->place.typed && !value)
		return msg_usage("--type goes with --value");
	if (o->place.ordered && !value)
		return msg_usage("--endian goes with --value");
	if (o->counted && !changed)
		return msg_usage("--count goes with --changed");
	if (o->counted && o->count == 0)
		return msg_usage("--count=0: an empty range never changes");
	if (o->place.offset_given && !value && !changed)
		return msg_usage("--offset goes with --value or --changed");
	if (value && !o->place.typed)
		return msg_usage("--value needs --type: the value's type (i8"
		    " ... u64, f32, f64)");
	if (value &&
	    parse_value_expr(o->place.type, o->expr_text, &o->expr) != 0)
		return msg_usage("--value: invalid expression '%s' (want N,"
		    " ==N, !=N, <N, <=N, >N or >=N, with N a %s)", o->expr_text,
		    value_type_name(o->place.type));
	if (value)
		return coord_check_place("wait for", NULL, o->place.type,
		    o->place.offset);
	return EXIT_SHM_OK;
}

/* The state of a wait: what is watched, and what was last seen. */
struct waiter {
	struct wait_opts *o;
	struct obj_sel	*sel;
	struct obj	 seg;		/* --value, --changed */
	int		 id;		/* the segment, once known; -1 */
	struct obj_info	 info;		/* last seen */
	bool		 found;		/* info is valid */
	union value	 value;		/* last seen */
	unsigned char	*snapshot;	/* --changed: the range at the start */
	size_t		 len;
	unsigned char	*watch;		/* the first byte watched */
	uint64_t	 checked;	/* when removal was last looked for */
};

/*
 * Looks the segment up by id (once known) or by the selector, quietly.
 * Returns EXIT_SHM_OK, EXIT_SHM_NOENT, or another status after a message.
 */
static int
look(struct waiter *w)
{
	struct obj_sel by_id = { .kind = SEL_ID };
	int rc;

	if (w->id >= 0) {
		by_id.id = w->id;
		rc = obj_lookup(&by_id, &w->info, OBJ_QUIET_MISSING);
	} else {
		rc = obj_lookup(w->sel, &w->info, OBJ_QUIET_MISSING);
	}
	w->found = rc == EXIT_SHM_OK;
	return rc;
}

static int
removed(const struct waiter *w)
{
	char what[128];

	return msg_error(EXIT_SHM_NOENT, "%s was removed while shm waited on"
	    " it", obj_info_str(&w->seg.info, what, sizeof(what)));
}

/*
 * Tests the condition once: *holds says whether it holds.  Returns
 * EXIT_SHM_OK, or the exit status to end with.
 */
static int
test(struct waiter *w, bool *holds)
{
	struct wait_opts *o = w->o;
	char what[OBJ_NAME_MAX + 64];
	int rc;

	*holds = false;
	switch (o->cond) {
	case OPT_EXISTS:
		rc = look(w);
		*holds = rc == EXIT_SHM_OK;
		return rc == EXIT_SHM_NOENT ? EXIT_SHM_OK : rc;
	case OPT_GONE:
		rc = look(w);
		if (rc == EXIT_SHM_NOENT) {
			*holds = true;
			return EXIT_SHM_OK;
		}
		if (rc != EXIT_SHM_OK)
			return rc;
		w->id = w->info.id;
		*holds = (w->info.mode & OBJ_MODE_DEST) != 0;
		return EXIT_SHM_OK;
	case OPT_ATTACHED:
	case OPT_DETACHED:
		rc = look(w);
		if (rc == EXIT_SHM_NOENT && o->cond == OPT_DETACHED) {
			/* It went with its last attachment. */
			*holds = true;
			return EXIT_SHM_OK;
		}
		if (rc == EXIT_SHM_NOENT)
			return msg_error(EXIT_SHM_NOENT, "%s was removed while"
			    " shm waited on it", obj_info_str(&w->info, what,
			    sizeof(what)));
		if (rc != EXIT_SHM_OK)
			return rc;
		if (o->cond == OPT_DETACHED)
			*holds = w->info.nattch == 0;
		else
			*holds = w->info.nattch >= o->attached;
		return EXIT_SHM_OK;
	case OPT_VALUE:
		atomic_load_value(w->watch, o->place.type, o->place.order,
		    &w->value);
		*holds = value_expr_holds(o->place.type, &o->expr, &w->value);
		return EXIT_SHM_OK;
	default:
		*holds = memcmp(w->watch, w->snapshot, w->len) != 0;
		return EXIT_SHM_OK;
	}
}

/* For --value and --changed: the segment marked for removal ends it. */
static int
still_there(struct waiter *w, uint64_t now)
{
	struct obj_info info;

	if (now - w->checked < CHECK_EVERY)
		return EXIT_SHM_OK;
	w->checked = now;
	if (obj_restat(&w->seg.info, &info) != 0 ||
	    (info.mode & OBJ_MODE_DEST))
		return removed(w);
	return EXIT_SHM_OK;
}

/* A value as format_values() prints it, without the newline. */
static void
value_text(enum value_type type, const union value *v, char *buf, size_t len)
{
	FILE *fp;

	buf[0] = '\0';
	if ((fp = fmemopen(buf, len, "w")) == NULL)
		return;
	format_values(fp, type, (const unsigned char *)v, 1);
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
}

/* What the condition is, and what was last seen, for the timeout. */
static int
timed_out(struct waiter *w)
{
	struct wait_opts *o = w->o;
	char what[256], dur[32], val[64];
	FILE *mem;
	char *seen = NULL;
	size_t seenlen = 0;

	if (o->quiet)
		return EXIT_SHM_UNMET;
	coord_duration_str(o->timeout, dur, sizeof(dur));
	if (w->seg.addr != NULL || w->found)
		obj_info_str(w->seg.addr != NULL ? &w->seg.info : &w->info,
		    what, sizeof(what));
	else
		obj_sel_str(w->sel, what, sizeof(what));
	if ((mem = open_memstream(&seen, &seenlen)) == NULL)
		return msg_error(EXIT_SHM_UNMET, "timed out after %s", dur);
	switch (o->cond) {
	case OPT_EXISTS:
		fprintf(mem, "for %s to exist: it does not", what);
		break;
	case OPT_GONE:
		fprintf(mem, "for %s to go: it still exists", what);
		break;
	case OPT_ATTACHED:
		fprintf(mem, "for %s to have %" PRIu64 " process%s attached:"
		    " it has %" PRIu64, what, o->attached,
		    o->attached == 1 ? "" : "es", w->info.nattch);
		break;
	case OPT_DETACHED:
		fprintf(mem, "for %s to have no process attached: it has %"
		    PRIu64, what, w->info.nattch);
		break;
	case OPT_VALUE:
		value_text(o->place.type, &w->value, val, sizeof(val));
		fprintf(mem, "for the %s at offset %" PRIu64 " of %s to be %s"
		    "%s: it is %s", value_type_name(o->place.type),
		    o->place.offset, what, value_op_str(o->expr.op),
		    o->expr_text +
		    strspn(o->expr_text, "=!<>"), val);
		break;
	default:
		fprintf(mem, "for the %zu byte%s at offset %" PRIu64 " of %s"
		    " to change: they are as they were", w->len,
		    w->len == 1 ? "" : "s", o->place.offset, what);
		break;
	}
	fputc('\0', mem);
	fclose(mem);
	msg_error(EXIT_SHM_UNMET, "timed out after %s waiting %s", dur, seen);
	free(seen);
	return EXIT_SHM_UNMET;
}

static int
attach(struct waiter *w)
{
	struct wait_opts *o = w->o;
	int ret;

	if ((ret = obj_open(w->sel, true, &w->seg)) != EXIT_SHM_OK)
		return ret;
	if (o->cond == OPT_VALUE)
		return coord_check_place("wait for", &w->seg, o->place.type,
		    o->place.offset);
	if (o->place.offset >= w->seg.size || (o->counted &&
	    o->count > w->seg.size - o->place.offset)) {
		char what[128];

		obj_info_str(&w->seg.info, what, sizeof(what));
		if (o->counted)
			msg_error(EXIT_SHM_SIZE, "cannot watch %" PRIu64
			    " bytes at offset %" PRIu64 " of %s: past its end"
			    " (it has %zu bytes)", o->count, o->place.offset,
			    what, w->seg.size);
		else
			msg_error(EXIT_SHM_SIZE, "cannot watch from offset %"
			    PRIu64 " of %s: nothing is left there (it has %zu"
			    " bytes)", o->place.offset, what, w->seg.size);
		return EXIT_SHM_SIZE;
	}
	w->len = o->counted ? (size_t)o->count : w->seg.size -
	    (size_t)o->place.offset;
	if ((w->snapshot = malloc(w->len ? w->len : 1)) == NULL)
		return msg_error(EXIT_SHM_FAIL, "out of memory");
	memcpy(w->snapshot, w->seg.addr + o->place.offset, w->len);
	return EXIT_SHM_OK;
}

static int
run(struct waiter *w)
{
	struct wait_opts *o = w->o;
	bool memory = o->cond == OPT_VALUE || o->cond == OPT_CHANGED;
	uint64_t start = coord_now(), now, left, nap = BACKOFF_MIN;
	uint64_t most = BACKOFF_MAX;
	struct timespec ts;
	bool holds;
	uint32_t word = 0;
	int rc;

	if (memory) {
		if ((rc = attach(w)) != EXIT_SHM_OK)
			return rc;
		w->watch = w->seg.addr + o->place.offset;
		w->checked = start;
		if (w->len > most / NS_PER_BYTE)
			most = w->len * NS_PER_BYTE;
	} else if (o->cond != OPT_EXISTS && o->cond != OPT_GONE) {
		/* The segment must be there to be watched. */
		if ((rc = obj_lookup(w->sel, &w->info, 0)) != EXIT_SHM_OK)
			return rc;
		w->found = true;
		w->id = w->info.id;
	}
	for (;;) {
		/* The word first: a change after the test wakes the wait. */
		if (memory)
			word = atomic_word_load(w->watch);
		if ((rc = test(w, &holds)) != EXIT_SHM_OK)
			return rc;
		if (holds)
			break;
		now = coord_now();
		if (memory && (rc = still_there(w, now)) != EXIT_SHM_OK)
			return rc;
		if (o->timed && now - start >= o->timeout)
			return timed_out(w);
		left = o->timed ? o->timeout - (now - start) : UINT64_MAX;
		if (nap > left)
			nap = left;
		if (memory) {
			if (atomic_wait(w->watch, word, nap) == 0) {
				nap = BACKOFF_MIN;
				continue;
			}
		} else {
			ts.tv_sec = (time_t)(nap / 1000000000);
			ts.tv_nsec = (long)(nap % 1000000000);
			nanosleep(&ts, NULL);
		}
		nap = nap * 2 > most ? most : nap * 2;
	}
	if (o->cond == OPT_VALUE && !o->quiet)
		format_values(stdout, o->place.type,
		    (const unsigned char *)&w->value, 1);
	return EXIT_SHM_OK;
}

int
cmd_wait(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct wait_opts o = { .place.order = BO_NATIVE };
	struct waiter w = { .o = &o, .id = -1 };
	poptContext ctx;
	int rc, ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR CONDITION [--timeout=DURATION] [-q|--quiet]\n\n"
	    "Blocks until CONDITION holds, then exits 0; timed out, exits 7."
	    "  A change made\nby shm write, add or cas ends the wait at once;"
	    " one made by another program\nis seen within 10 ms.");
	if (!opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = check_options(&o)) != EXIT_SHM_OK)
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	w.sel = &sels.sel[0];
	ret = run(&w);
out:
	if ((rc = obj_detach(&w.seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	free(w.snapshot);
	free(o.expr_text);
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
