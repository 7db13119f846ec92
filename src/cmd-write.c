/*
 * shm write: copy data into a segment.
 *
 * The segment changes only when all the data fit (or --truncate says to
 * write what fits), so every path first learns how much there is and only
 * then touches the segment:
 *
 * - DATA arguments are parsed and counted, then encoded straight into the
 *   segment;
 * - standard input, whatever it is (a regular file, a file in /proc or
 *   /sys, a pipe, a terminal; raw, hex or number text), is staged in a
 *   page-aligned buffer that never grows past the room left plus the one
 *   byte that tells it does not fit, then copied once.  Nothing is read
 *   past that byte: input that does not end is not read for ever.  A
 *   regular file's size is only a hint for the buffer: /sys says 4096 for
 *   23 bytes, /proc says 0, and a file may shrink or fail (EIO) part way.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "atomic.h"
#include "commands.h"
#include "coord.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

/* The first staging buffer; it doubles from there. */
#define STAGE_FIRST	(1U << 20)

/* Text of hex or numbers is read from stdin in chunks of this size. */
#define TEXT_CHUNK	(64U * 1024)

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

/*
 * Data read from stdin before they go into the segment.  It holds at most
 * limit bytes (the room, and one more to know the data do not fit) and
 * counts all that were given in total.
 */
struct stage {
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;		/* bytes mapped */
	size_t		 limit;
	size_t		 hint;		/* first size, when input tells one */
	uint64_t	 total;		/* a lower bound unless eof */
	bool		 eof;		/* all of stdin was read and taken */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r';
}

static bool
is_hex_digit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* What a value of a number type must look like, for messages. */
static const char *
type_want(enum value_type t)
{
	switch (t) {
	case VT_I8:
		return "an integer from -128 to 127";
	case VT_I16:
		return "an integer from -32768 to 32767";
	case VT_I32:
		return "an integer from -2147483648 to 2147483647";
	case VT_I64:
		return "an integer from -9223372036854775808 to"
		    " 9223372036854775807";
	case VT_U8:
		return "an integer from 0 to 255";
	case VT_U16:
		return "an integer from 0 to 65535";
	case VT_U32:
		return "an integer from 0 to 4294967295";
	case VT_U64:
		return "an integer from 0 to 18446744073709551615";
	case VT_F32:
		return "a number of magnitude up to 3.40282e+38, inf or nan";
	default:
		return "a number of magnitude up to 1.79769e+308, inf or nan";
	}
}

/* One character for a message: 'z', or byte 0x01. */
static const char *
char_str(char c, char *buf, size_t len)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x20 && u < 0x7f && u != '\'')
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", u);
	return buf;
}

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

/* The field of the j-th value of a record. */
static size_t
value_field(const struct record_type *rec, size_t j)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (rec->field[i].type != VT_RAW && j-- == 0)
			return i;
	return rec->n;
}

/*
 * Parses word as the k-th value (from 0) of the data into out (in the
 * segment's byte order): its field is the (k mod values per record)-th
 * value of the record.  Returns 0, or -1 with the field's type in *type.
 */
static int
parse_field(const struct wjob *w, uint64_t k, const char *word,
    unsigned char *out, enum value_type *type)
{
	const struct record_field *f;

	f = &w->rec.field[value_field(&w->rec, (size_t)(k %
	    w->rec.nvalues))];
	*type = f->type;
	if (parse_value(f->type, word, out) != 0)
		return -1;
	value_order(out, f->size, w->order);
	return 0;
}

/* Where the k-th value goes, from the start of the data. */
static size_t
value_place(const struct wjob *w, uint64_t k)
{
	const struct record_field *f;

	f = &w->rec.field[value_field(&w->rec, (size_t)(k %
	    w->rec.nvalues))];
	return (size_t)(k / w->rec.nvalues) * w->rec.size + f->offset;
}

/* Values that do not make whole records: a usage error. */
static int
not_whole(const struct wjob *w, uint64_t n, const char *where)
{
	return msg_usage("--type %s: %" PRIu64 " value%s%s do not make whole"
	    " records of %zu values each (give a multiple of %zu)%s",
	    w->tname, n, n == 1 ? "" : "s", where, w->rec.nvalues,
	    w->rec.nvalues, *where != '\0' ? "; the segment is unchanged" :
	    "");
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
				if (is_blank(*s))
					continue;
				if (!is_hex_digit(*s))
					return msg_usage("--type hex: invalid"
					    " data '%s': %s is not a hex digit",
					    args[i], char_str(*s, c,
					    sizeof(c)));
				digits++;
			}
			break;
		default:
			if (parse_field(w, (uint64_t)i, args[i], v, &t) != 0)
				return msg_usage("--type %s: invalid value"
				    " '%s' (want %s)", w->tname, args[i],
				    type_want(t));
			break;
		}
	}
	if (w->rec.nvalues > 0) {
		if ((size_t)n % w->rec.nvalues != 0)
			return not_whole(w, (uint64_t)n, "");
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
			(void)parse_field(w, (uint64_t)i, args[i],
			    dst + value_place(w, (uint64_t)i), &t);
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

/* Standard input. */

static int
read_error(int e)
{
	return msg_error(EXIT_SHM_FAIL, "cannot read standard input: %s;"
	    " the segment is unchanged", strerror(e));
}

/*
 * Makes room for more bytes in the staging buffer: doubles it, up to its
 * limit.  mremap(2) moves the pages rather than copying them.
 */
static int
stage_grow(struct stage *st)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t cap = st->cap ? st->cap * 2 : STAGE_FIRST;
	void *p;

	if (st->cap == 0 && st->hint > cap)
		cap = st->hint;
	if (cap < st->cap || cap > st->limit)
		cap = st->limit;
	cap = (cap + page - 1) & ~(page - 1);
	if (st->buf == NULL)
		p = mmap(NULL, cap, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		p = mremap(st->buf, st->cap, cap, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return msg_error(EXIT_SHM_FAIL, "cannot stage %zu bytes of"
		    " standard input: %s", cap, strerror(errno));
	/* Huge pages, where the system allows: fewer faults to fill it. */
	(void)madvise(p, cap, MADV_HUGEPAGE);
	st->buf = p;
	st->cap = cap;
	return 0;
}

static void
stage_free(struct stage *st)
{
	if (st->buf != NULL)
		munmap(st->buf, st->cap);
	st->buf = NULL;
}

/* Bytes the buffer may take now without growing past its limit. */
static size_t
stage_space(const struct stage *st)
{
	size_t cap = st->cap < st->limit ? st->cap : st->limit;

	return cap - st->len;
}

/* Keeps what fits under the limit, counts it all. */
static int
stage_put(struct stage *st, const unsigned char *p, size_t n)
{
	size_t k;
	int rc;

	st->total += n;
	while (n > 0 && st->len < st->limit) {
		if (stage_space(st) == 0 && (rc = stage_grow(st)) != 0)
			return rc;
		k = stage_space(st);
		if (k > n)
			k = n;
		memcpy(st->buf + st->len, p, k);
		st->len += k;
		p += k;
		n -= k;
	}
	return 0;
}

/*
 * Whether reading on is pointless: the buffer holds more than fits (what
 * --truncate drops is then counted no further), or, without --truncate,
 * the data already cannot fit.
 */
static bool
stage_full(const struct wjob *w, const struct stage *st)
{
	return st->len >= st->limit ||
	    (!w->truncate && st->total + (w->nul ? 1 : 0) > w->room);
}

/* Raw bytes: read(2) into the staging buffer. */
static int
stage_raw(const struct wjob *w, struct stage *st)
{
	ssize_t r;
	int rc;

	while (!stage_full(w, st)) {
		if (stage_space(st) == 0 && (rc = stage_grow(st)) != 0)
			return rc;
		r = read(STDIN_FILENO, st->buf + st->len, stage_space(st));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return read_error(errno);
		if (r == 0) {
			st->eof = true;
			break;
		}
		st->len += (size_t)r;
		st->total += (uint64_t)r;
	}
	return 0;
}

/* Position of the first character that is neither hex nor blank. */
static size_t
bad_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_blank(s[i]) && !is_hex_digit(s[i]))
			break;
	return i;
}

/* Hex text: decoded chunk by chunk as it comes. */
static int
stage_hex(const struct wjob *w, struct stage *st)
{
	static char text[TEXT_CHUNK];
	static unsigned char out[TEXT_CHUNK / 2 + 1];
	uint64_t seen = 0, digits = 0;
	ssize_t r, n;
	size_t i;
	int rc, half = -1;
	char c[16];

	while (!stage_full(w, st)) {
		r = read(STDIN_FILENO, text, sizeof(text));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return read_error(errno);
		if (r == 0) {
			st->eof = true;
			break;
		}
		if ((n = parse_hex(text, (size_t)r, out, &half)) < 0) {
			i = bad_hex(text, (size_t)r);
			return msg_error(EXIT_SHM_USAGE, "--type hex: invalid"
			    " data at offset %" PRIu64 " of standard input: %s"
			    " is not a hex digit; the segment is unchanged",
			    seen + i, char_str(text[i], c, sizeof(c)));
		}
		for (i = 0; i < (size_t)r; i++)
			digits += !is_blank(text[i]);
		seen += (uint64_t)r;
		if ((rc = stage_put(st, out, (size_t)n)) != 0)
			return rc;
	}
	if (half >= 0 && st->eof)
		return msg_error(EXIT_SHM_USAGE, "--type hex: an odd number of"
		    " hex digits (%" PRIu64 ") on standard input: each byte"
		    " takes two; the segment is unchanged", digits);
	return 0;
}

/* One word of number text, NUL-terminated in place. */
static int
stage_word(const struct wjob *w, struct stage *st, const char *word,
    size_t len, uint64_t nth)
{
	static const unsigned char zeros[256];
	const struct record_type *rec = &w->rec;
	size_t j = (size_t)((nth - 1) % rec->nvalues), at, from, to, k, pad,
	    c;
	unsigned char v[8];
	enum value_type t;
	int rc;

	if (memchr(word, '\0', len) != NULL ||
	    parse_field(w, nth - 1, word, v, &t) != 0)
		return msg_error(EXIT_SHM_USAGE, "--type %s: invalid value"
		    " '%s' (word %" PRIu64 " of standard input; want %s);"
		    " the segment is unchanged", w->tname, word, nth,
		    type_want(t));
	/* The padding before the value, the value, the padding after it. */
	at = value_field(rec, j);
	from = j == 0 ? 0 : value_field(rec, j - 1) + 1;
	to = j + 1 == rec->nvalues ? rec->n : at + 1;
	for (k = from; k < to; k++) {
		if (k == at) {
			if ((rc = stage_put(st, v, rec->field[k].size)) != 0)
				return rc;
			continue;
		}
		for (pad = rec->field[k].size; pad > 0; pad -= c) {
			c = pad < sizeof(zeros) ? pad : sizeof(zeros);
			if ((rc = stage_put(st, zeros, c)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Numbers: white-space separated words, a word may span two reads. */
static int
stage_numbers(const struct wjob *w, struct stage *st)
{
	static char text[TEXT_CHUNK + 1];
	size_t have = 0, i, start;
	uint64_t nth = 0;
	bool eof = false;
	ssize_t r;
	int rc;

	while (!eof && !stage_full(w, st)) {
		r = read(STDIN_FILENO, text + have, TEXT_CHUNK - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return read_error(errno);
		eof = r == 0;
		have += (size_t)r;
		for (i = start = 0; i <= have; i++) {
			if (i < have && !is_blank(text[i]))
				continue;
			/* The last word may go on in the next read. */
			if (i == have && !eof)
				break;
			if (i > start) {
				text[i] = '\0';
				if ((rc = stage_word(w, st, text + start,
				    i - start, ++nth)) != 0)
					return rc;
				/* Words may be left: not st->eof. */
				if (stage_full(w, st))
					return 0;
			}
			start = i + 1;
		}
		if (start > have)
			start = have;
		if (start == 0 && have == TEXT_CHUNK) {
			text[40] = '\0';
			return msg_error(EXIT_SHM_USAGE, "--type %s: invalid"
			    " value '%s...' (word %" PRIu64 " of standard"
			    " input is longer than %u bytes); the segment is"
			    " unchanged", w->tname, text,
			    nth + 1, TEXT_CHUNK);
		}
		memmove(text, text + start, have - start);
		have -= start;
	}
	st->eof = eof;
	if (eof && nth % w->rec.nvalues != 0)
		return not_whole(w, nth, " on standard input");
	return 0;
}

/*
 * Raw bytes from a regular file, read up to the limit but not to its end:
 * when the file's size is true (a file in /sys says 4096 for 23 bytes),
 * it tells how many bytes were given, and the messages need not say "at
 * least".  The size is true when the byte before it can be read and none
 * after it.  pos is where stdin stood before the read.
 */
static void
stage_rest(struct stage *st, off_t pos)
{
	struct stat sb;
	char c;

	if (fstat(STDIN_FILENO, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size <= 0 || sb.st_size < pos ||
	    (uint64_t)(sb.st_size - pos) < st->total ||
	    pread(STDIN_FILENO, &c, 1, sb.st_size - 1) != 1 ||
	    pread(STDIN_FILENO, &c, 1, sb.st_size) != 0)
		return;
	st->total = (uint64_t)(sb.st_size - pos);
	st->eof = true;
}

/* The name of a control key, as a terminal's user knows it: Ctrl-D. */
static const char *
key_name(cc_t c, char *buf, size_t len)
{
	if (c < 0x20)
		snprintf(buf, len, "Ctrl-%c", c + '@');
	else if (c == 0x7f)
		snprintf(buf, len, "Ctrl-?");
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

/* Data typed at a terminal: says how to end them, and how to give up. */
static void
say_terminal(void)
{
	struct termios t;
	char eof[16], intr[16];

	if (!isatty(STDIN_FILENO))
		return;
	if (tcgetattr(STDIN_FILENO, &t) != 0 || !(t.c_lflag & ICANON) ||
	    t.c_cc[VEOF] == _POSIX_VDISABLE) {
		msg_note("reading standard input from the terminal");
		return;
	}
	key_name(t.c_cc[VEOF], eof, sizeof(eof));
	if (!(t.c_lflag & ISIG) || t.c_cc[VINTR] == _POSIX_VDISABLE)
		msg_note("reading standard input; end it with %s at the start"
		    " of a line", eof);
	else
		msg_note("reading standard input; end it with %s at the start"
		    " of a line (%s leaves the segment unchanged)", eof,
		    key_name(t.c_cc[VINTR], intr, sizeof(intr)));
}

static int
write_stdin(const struct wjob *w)
{
	struct stage st = { 0 };
	struct stat sb;
	off_t pos = -1;
	int rc;

	st.limit = w->room < SIZE_MAX ? w->room + 1 : w->room;
	/* A regular file's size is a hint: the buffer need not grow. */
	if (w->type == VT_RAW && fstat(STDIN_FILENO, &sb) == 0 &&
	    S_ISREG(sb.st_mode) &&
	    (pos = lseek(STDIN_FILENO, 0, SEEK_CUR)) >= 0 &&
	    sb.st_size > pos)
		st.hint = (uint64_t)(sb.st_size - pos) < st.limit ?
		    (size_t)(sb.st_size - pos) + 1 : st.limit;
	say_terminal();
	if (w->type == VT_RAW)
		rc = stage_raw(w, &st);
	else if (w->type == VT_HEX)
		rc = stage_hex(w, &st);
	else
		rc = stage_numbers(w, &st);
	if (rc == 0 && !st.eof && pos >= 0)
		stage_rest(&st, pos);
	if (rc == 0)
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
	ret = opt_parse(ctx, &sels, take_options, &w, OPT_OWN_ERRORS);
	if (ret != OPT_GO_ON)
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
