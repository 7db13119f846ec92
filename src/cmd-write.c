/*
 * shm write: copy data into a segment.
 *
 * The segment changes only when all the data fit (or --truncate says to
 * write what fits), so every path first learns how much there is and only
 * then touches the segment:
 *
 * - DATA arguments are parsed and counted, then encoded straight into the
 *   segment;
 * - standard input is staged (stage.c), then copied once.
 *
 * The copy into the segment is the only step that changes it, and the
 * signals that could end the process are held during it (and act as soon
 * as it is whole), so a signal leaves the segment wholly old or wholly new.
 * They are not held while input is read: Ctrl-C stops a write that waits
 * for its input, and the segment is then unchanged.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "commands.h"
#include "coord.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"
#include "stage.h"
#include "stream.h"

enum {
	OPT_OFFSET = OPT_FIRST_LOCAL,
	OPT_TYPE,
	OPT_STRING,
	OPT_TRUNCATE,
	OPT_ENDIAN,
};

static struct poptOption write_options[] = {
	{ "offset", 'o', POPT_ARG_STRING, NULL, OPT_OFFSET,
	  "start at byte OFFSET (default 0)", "OFFSET" },
	{ "type", 't', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "raw (default), hex, a number type: i8 i16 i32 i64 u8 u16 u32"
	  " u64 f32 f64 (one value per DATA or per word on stdin), or a"
	  " record of them and xN padding: i32,x4,f64 (padding left as it"
	  " is)", "TYPE" },
	{ "endian", 'e', POPT_ARG_STRING, NULL, OPT_ENDIAN,
	  "byte order of the numbers: little, big or native (default)",
	  "ENDIAN" },
	{ "string", 'z', POPT_ARG_NONE, NULL, OPT_STRING,
	  "append a NUL byte after the data", NULL },
	{ "truncate", '\0', POPT_ARG_NONE, NULL, OPT_TRUNCATE,
	  "write what fits and say how much was dropped, instead of failing"
	  " (with --string the NUL is kept)", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, write_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/* What is being written, and where. */
struct wjob {
	enum value_type	 type;
	struct record_type rec;		/* for a number or record type */
	enum byte_order	 order;
	bool		 ordered;	/* --endian */
	const char	*tname;		/* the --type text */
	size_t		 vsize;		/* bytes per record; 1 for raw, hex */
	bool		 nul;		/* --string */
	bool		 truncate;
	uint64_t	 offset;
	struct obj_sel	*sel;
	struct obj	 seg;
	unsigned char	*dst;		/* seg.addr + offset */
	size_t		 room;		/* seg.size - offset */
};

/* Faults in the range that data bytes and the NUL after them go to. */
static void
prefault(const struct wjob *w, size_t data)
{
	obj_prefault(w->dst, data < w->room ? data + 1 : w->room, true);
}

/*
 * Decides how many data bytes go in: all of them when they and the NUL
 * fit, else (with --truncate) as many whole values as fit in front of the
 * NUL.  complete is false when stdin was not read to its end, and total is
 * then only a lower bound.  Returns 0 with *data set, or the exit status
 * after the message.
 */
static int
fit(const struct wjob *w, uint64_t total, bool complete, size_t *data)
{
	char name[64];
	uint64_t need = total + (w->nul ? 1 : 0);
	size_t d;

	if (need <= w->room) {
		*data = (size_t)total;
		return 0;
	}
	if (!w->truncate) {
		msg_error(EXIT_SHM_SIZE, "cannot write %s%" PRIu64 " byte%s%s"
		    " at offset %" PRIu64 " of %s: only %zu fit (it has %zu"
		    " byte%s); the segment is unchanged", complete ? "" :
		    "at least ", need, need == 1 ? "" : "s",
		    w->nul ? " (with the NUL of --string)" : "", w->offset,
		    obj_info_str(&w->seg.info, name, sizeof(name)), w->room,
		    w->seg.size, w->seg.size == 1 ? "" : "s");
		if (w->room == 0)
			msg_hint("offset %" PRIu64 " is the end of the segment:"
			    " write at an offset below %zu", w->offset,
			    w->seg.size);
		else
			msg_hint("write at most %zu byte%s there, or add"
			    " --truncate to write what fits", w->room,
			    w->room == 1 ? "" : "s");
		return EXIT_SHM_SIZE;
	}
	d = w->room;
	if (w->nul && d > 0)
		d--;
	d -= d % w->vsize;
	if (d > total)
		d = (size_t)total;
	*data = d;
	return 0;
}

/* Ends the data with the NUL of --string where there is room for it. */
static size_t
put_nul(const struct wjob *w, size_t data)
{
	if (!w->nul || data >= w->room)
		return data;
	w->dst[data] = '\0';
	return data + 1;
}

/*
 * With --truncate: says on stderr what did not fit.  complete is false
 * when stdin was not read to its end: total is then only a lower bound.
 */
static void
say_dropped(const struct wjob *w, uint64_t total, bool complete,
    size_t written)
{
	char name[64];
	uint64_t need = total + (w->nul ? 1 : 0);

	if (written >= need)
		return;
	obj_info_str(&w->seg.info, name, sizeof(name));
	if (complete)
		msg_note("wrote %zu of %" PRIu64 " byte%s%s: dropped the last %"
		    PRIu64 ", which did not fit in the %zu byte%s from offset %"
		    PRIu64 " of %s", written, need, need == 1 ? "" : "s",
		    w->nul ? " (with the NUL of --string)" : "", need - written,
		    w->room, w->room == 1 ? "" : "s", w->offset, name);
	else
		msg_note("wrote %zu of at least %" PRIu64 " bytes%s: dropped"
		    " at least %" PRIu64 " byte%s, which did not fit in the"
		    " %zu byte%s from offset %" PRIu64 " of %s; the rest of"
		    " standard input was not read", written, need, w->nul ?
		    " (with the NUL of --string)" : "", need - written,
		    need - written == 1 ? "" : "s", w->room,
		    w->room == 1 ? "" : "s", w->offset, name);
}

/*
 * Holds the signals that would end the process, while the segment is
 * written: all but those a fault raises, which cannot wait, and SIGKILL
 * and SIGSTOP, which cannot be held.  One that comes meanwhile acts when
 * they are let go, after the copy: the process then dies by it as it
 * would have, with the segment whole.
 */
static void
hold_signals(sigset_t *old)
{
	static const int faults[] = {
		SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGSYS, SIGTRAP,
	};
	sigset_t set;
	size_t i;

	sigfillset(&set);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&set, faults[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
let_go_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * Puts data bytes of src (laid out as the type says) into the segment:
 * the padding of a record is left as it is, and a single value at an
 * offset that is a multiple of its size goes in with one atomic store.
 */
static void
put_data(const struct wjob *w, const unsigned char *src, size_t data)
{
	const struct record_field *f;
	union value v;
	size_t r, i;

	if (data == 0)
		return;
	if (w->rec.nvalues > 0 && w->rec.n == 1 && data == w->rec.size &&
	    atomic_aligned(w->rec.field[0].type, w->offset)) {
		memcpy(&v, src, data);
		/* src is in the segment's order already: store it as it is */
		atomic_store_value(w->dst, w->rec.field[0].type, BO_NATIVE,
		    &v);
		return;
	}
	if (w->rec.nvalues == 0 || w->rec.n == w->rec.nvalues) {
		memcpy(w->dst, src, data);
		return;
	}
	for (r = 0; r < data; r += w->rec.size)
		for (i = 0; i < w->rec.n; i++) {
			f = &w->rec.field[i];
			if (f->type != VT_RAW)
				memcpy(w->dst + r + f->offset,
				    src + r + f->offset, f->size);
		}
}

/* Wakes the waiters of shm wait on what was written. */
static void
wake(const struct wjob *w, size_t written)
{
	if (written > 0)
		atomic_wake_range(w->dst, written);
}

static int
copy_in(const struct wjob *w, const unsigned char *src, uint64_t total,
    bool complete)
{
	sigset_t old;
	size_t data, written;
	int rc;

	if ((rc = fit(w, total, complete, &data)) != 0)
		return rc;
	/* memory for every byte first: all of them go in, or none */
	if ((rc = obj_reserve(&w->seg, w->offset, w->nul && data < w->room ?
	    data + 1 : data)) != EXIT_SHM_OK)
		return rc;
	prefault(w, data);
	hold_signals(&old);
	put_data(w, src, data);
	written = put_nul(w, data);
	let_go_signals(&old);
	wake(w, written);
	say_dropped(w, total, complete, written);
	return EXIT_SHM_OK;
}

/* DATA arguments. */

/*
 * Checks every DATA argument and counts the bytes they make, before the
 * segment is touched.  Returns 0 or EXIT_SHM_USAGE after the message.
 */
static int
args_count(const struct wjob *w, const char **args, int n, uint64_t *total)
{
	unsigned char v[8];
	uint64_t digits = 0;
	enum value_type t;
	const char *s;
	char c[16];
	int i;

	*total = 0;
	for (i = 0; i < n; i++) {
		switch (w->type) {
		case VT_RAW:
			*total += strlen(args[i]);
			break;
		case VT_HEX:
			for (s = args[i]; *s != '\0'; s++) {
				if (parse_is_blank(*s))
					continue;
				if (!parse_is_hex_digit(*s))
					return msg_usage("--type hex: invalid"
					    " data '%s': %s is not a hex digit",
					    args[i], stream_char_str(*s, c,
					    sizeof(c)));
				digits++;
			}
			break;
		default:
			if (stream_value(&w->rec, w->order, (uint64_t)i,
			    args[i], v, &t) != 0)
				return msg_usage("--type %s: invalid value"
				    " '%s' (want %s)", w->tname, args[i],
				    stream_want(t));
			break;
		}
	}
	if (w->rec.nvalues > 0) {
		if ((size_t)n % w->rec.nvalues != 0)
			return stage_not_whole(w->tname, (uint64_t)n,
			    w->rec.nvalues, "");
		*total = (uint64_t)((size_t)n / w->rec.nvalues) * w->rec.size;
	}
	if (w->type == VT_HEX) {
		if (digits % 2 != 0)
			return msg_usage("--type hex: an odd number of hex"
			    " digits (%" PRIu64 "): each byte takes two",
			    digits);
		*total = digits / 2;
	}
	return 0;
}

/* Encodes the checked arguments into dst, which has room for total bytes. */
static void
args_encode(const struct wjob *w, const char **args, int n,
    unsigned char *dst)
{
	enum value_type t;
	size_t len;
	ssize_t got;
	int i, half = -1;

	for (i = 0; i < n; i++) {
		len = strlen(args[i]);
		switch (w->type) {
		case VT_RAW:
			memcpy(dst, args[i], len);
			dst += len;
			break;
		case VT_HEX:
			/* Checked by args_count(): it cannot fail. */
			got = parse_hex(args[i], len, dst, &half);
			dst += got > 0 ? got : 0;
			break;
		default:
			(void)stream_value(&w->rec, w->order, (uint64_t)i,
			    args[i], dst + stream_value_place(&w->rec,
			    (uint64_t)i), &t);
			break;
		}
	}
}

static int
write_args(const struct wjob *w, const char **args, int n, uint64_t total)
{
	unsigned char *tmp;
	size_t data, written;
	sigset_t old;
	int rc;

	if ((rc = fit(w, total, true, &data)) != 0)
		return rc;
	/*
	 * Encoded aside, then copied: --truncate may keep only the front,
	 * the padding of records is left as it is, and a single value goes
	 * in with one store.  Arguments are small (ARG_MAX).
	 */
	if ((tmp = calloc(1, total > 0 ? total : 1)) == NULL)
		return msg_error(EXIT_SHM_FAIL, "out of memory");
	args_encode(w, args, n, tmp);
	prefault(w, data);
	hold_signals(&old);
	put_data(w, tmp, data);
	written = put_nul(w, data);
	let_go_signals(&old);
	wake(w, written);
	free(tmp);
	say_dropped(w, total, true, written);
	return EXIT_SHM_OK;
}

/* Standard input: staged whole, then copied in. */
static int
write_stdin(const struct wjob *w)
{
	struct stage_spec spec = {
		.type = w->type, .rec = &w->rec, .order = w->order,
		.tname = w->tname, .room = w->room, .nul = w->nul,
		.truncate = w->truncate,
	};
	struct stage st = { 0 };
	int rc;

	if ((rc = stage_stdin(&spec, &st)) == 0)
		rc = copy_in(w, st.buf, st.total, st.eof);
	stage_free(&st);
	return rc;
}

/* Negative numbers look like options to popt: say where they go. */
static int
bad_option(poptContext ctx, int rc)
{
	const char *opt = poptBadOption(ctx, POPT_BADOPTION_NOALIAS);

	rc = opt_error(ctx, rc);
	if (opt[0] == '-' && ((opt[1] >= '0' && opt[1] <= '9') ||
	    opt[1] == '.'))
		msg_hint("values that begin with '-' go after '--', as in:"
		    " shm write -k 0x10 -t i16 -- -2 300");
	return rc;
}

/* The options other than the selector go into the job. */
static int
take_options(poptContext ctx, int val, void *data)
{
	struct wjob *w = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_OFFSET:
		arg = poptGetOptArg(ctx);
		ret = opt_size("--offset", arg, &w->offset);
		free(arg);
		break;
	case OPT_TYPE:
		arg = poptGetOptArg(ctx);
		ret = opt_type_record(arg, &w->type, &w->rec);
		free((void *)(uintptr_t)w->tname);
		w->tname = arg;		/* freed by cmd_write() */
		break;
	case OPT_ENDIAN:
		arg = poptGetOptArg(ctx);
		ret = coord_endian(arg, &w->order);
		w->ordered = true;
		free(arg);
		break;
	case OPT_STRING:
		w->nul = true;
		break;
	case OPT_TRUNCATE:
		w->truncate = true;
		break;
	default:
		/* popt's error codes, below -1 (OPT_OWN_ERRORS). */
		if (val < -1)
			ret = bad_option(ctx, val);
		break;
	}
	return ret;
}

int
cmd_write(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct wjob w = { .type = VT_RAW, .vsize = 1 };
	const char **args;
	uint64_t total = 0;
	poptContext ctx;
	char name[64];
	int rc, ret, nargs = 0, i;
	bool from_stdin;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-o OFFSET] [-t TYPE] [-e ENDIAN] [-z|--string]"
	    " [--truncate] [DATA...]\n\n"
	    "Writes the DATA arguments (raw: back to back, no separator), or"
	    " standard input\nwhen there are none or DATA is '-'.  Values"
	    " that begin with '-' go after '--'.");
	if (!opt_parse(ctx, &sels, take_options, &w, OPT_OWN_ERRORS, &ret))
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	w.sel = &sels.sel[0];
	w.vsize = w.rec.nvalues > 0 ? w.rec.size : 1;
	if (w.ordered && w.rec.nvalues == 0) {
		ret = msg_usage("--endian goes with a number or record --type:"
		    " bytes have no byte order");
		goto out;
	}
	if ((args = poptGetArgs(ctx)) != NULL)
		while (args[nargs] != NULL)
			nargs++;
	from_stdin = nargs == 0 || (nargs == 1 && strcmp(args[0], "-") == 0);
	for (i = 0; !from_stdin && i < nargs; i++)
		if (strcmp(args[i], "-") == 0) {
			ret = msg_usage("'-' (standard input) goes alone, not"
			    " with other DATA arguments");
			goto out;
		}
	/* Bad data are a usage error before the segment is even opened. */
	if (!from_stdin &&
	    (ret = args_count(&w, args, nargs, &total)) != EXIT_SHM_OK)
		goto out;
	if ((ret = obj_open(w.sel, false, &w.seg)) != EXIT_SHM_OK)
		goto out;
	if (w.offset > w.seg.size) {
		if (from_stdin)
			ret = msg_error(EXIT_SHM_SIZE, "cannot write at"
			    " offset %" PRIu64 " of %s: past its end (it has"
			    " %zu byte%s)", w.offset,
			    obj_info_str(&w.seg.info, name, sizeof(name)),
			    w.seg.size, w.seg.size == 1 ? "" : "s");
		else
			ret = msg_error(EXIT_SHM_SIZE, "cannot write %" PRIu64
			    " byte%s at offset %" PRIu64 " of %s: past its end"
			    " (it has %zu byte%s)", total + w.nul,
			    total + w.nul == 1 ? "" : "s", w.offset,
			    obj_info_str(&w.seg.info, name, sizeof(name)),
			    w.seg.size, w.seg.size == 1 ? "" : "s");
		msg_hint("offsets run from 0 to %zu", w.seg.size);
		goto out;
	}
	w.dst = w.seg.addr + w.offset;
	w.room = w.seg.size - (size_t)w.offset;
	if (from_stdin)
		ret = write_stdin(&w);
	else
		ret = write_args(&w, args, nargs, total);
out:
	if ((rc = obj_detach(&w.seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	record_free(&w.rec);
	free((void *)(uintptr_t)w.tname);
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
