/*
 * The staging of shm write's standard input: see stage.h.  A regular
 * file's size is only a hint for the buffer: /sys says 4096 for 23 bytes,
 * /proc says 0, and a file may shrink or fail (EIO) part way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "msg.h"
#include "stage.h"
#include "stream.h"

/* The first staging buffer; it doubles from there. */
#define STAGE_FIRST	(1U << 20)

/* Text of hex or numbers is read from stdin in chunks of this size. */
#define TEXT_CHUNK	(64U * 1024)

static int
read_error(int e)
{
	return msg_error(EXIT_SHM_FAIL, "cannot read standard input: %s;"
	    " the segment is unchanged", strerror(e));
}

int
stage_not_whole(const char *tname, uint64_t n, size_t nvalues,
    const char *where)
{
	return msg_usage("--type %s: %" PRIu64 " value%s%s do not make whole"
	    " records of %zu values each (give a multiple of %zu)%s",
	    tname, n, n == 1 ? "" : "s", where, nvalues, nvalues,
	    *where != '\0' ? "; the segment is unchanged" : "");
}

/*
 * Makes room for more bytes in the staging buffer: doubles it, up to its
 * limit.  The buffer is mapped, not malloc'd, so that growing it never
 * copies it: mremap(2) moves the pages, and the input, which may be as
 * large as the segment, is never held twice.  realloc() does the same
 * only for blocks its allocator maps itself (in glibc, above a threshold
 * that moves with what the process freed before; never under
 * AddressSanitizer, whose realloc copies).  The mapping is also page
 * aligned, as MADV_HUGEPAGE needs, and pages past what the input fills
 * (a regular file's size is only a hint) cost nothing.
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

void
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
stage_full(const struct stage_spec *spec, const struct stage *st)
{
	return st->len >= st->limit ||
	    (!spec->truncate && st->total + (spec->nul ? 1 : 0) > spec->room);
}

/* Raw bytes: read(2) into the staging buffer. */
static int
stage_raw(const struct stage_spec *spec, struct stage *st)
{
	ssize_t r;
	int rc;

	while (!stage_full(spec, st)) {
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

/* Where the text parser puts what it makes. */
struct text_sink {
	const struct stage_spec *spec;
	struct stage	*st;
	int		 rc;		/* of stage_put() */
};

/* Stages the bytes; says stop when they are all there is room for. */
static int
text_put(void *arg, const unsigned char *p, size_t n)
{
	struct text_sink *ts = arg;

	if (ts->rc == 0)
		ts->rc = stage_put(ts->st, p, n);
	return ts->rc != 0 || stage_full(ts->spec, ts->st);
}

/* The message of a failure of the text parser. */
static int
text_error(const struct stage_spec *spec, const struct stream *s,
    enum stream_status status)
{
	char c[16];

	switch (status) {
	case STREAM_BAD_HEX:
		return msg_error(EXIT_SHM_USAGE, "--type hex: invalid data at"
		    " offset %" PRIu64 " of standard input: %s is not a hex"
		    " digit; the segment is unchanged", s->bad_at,
		    stream_char_str(s->bad_char, c, sizeof(c)));
	case STREAM_ODD_HEX:
		return msg_error(EXIT_SHM_USAGE, "--type hex: an odd number of"
		    " hex digits (%" PRIu64 ") on standard input: each byte"
		    " takes two; the segment is unchanged", s->digits);
	case STREAM_BAD_VALUE:
		return msg_error(EXIT_SHM_USAGE, "--type %s: invalid value"
		    " '%s' (word %" PRIu64 " of standard input; want %s);"
		    " the segment is unchanged", spec->tname, s->word,
		    s->words, stream_want(s->bad_type));
	case STREAM_LONG_WORD:
		return msg_error(EXIT_SHM_USAGE, "--type %s: invalid value"
		    " '%s...' (word %" PRIu64 " of standard input is longer"
		    " than %u bytes); the segment is unchanged", spec->tname,
		    s->word, s->words + 1, STREAM_WORD_MAX);
	case STREAM_NOT_WHOLE:
		return stage_not_whole(spec->tname, s->words,
		    spec->rec->nvalues, " on standard input");
	default:
		return 0;
	}
}

/*
 * Hex or number text, read in chunks and parsed as it comes.  The parser
 * stops at the value that fills the buffer: the rest is not read.
 */
static int
stage_text(const struct stage_spec *spec, struct stage *st)
{
	static char text[TEXT_CHUNK];
	static struct stream s;
	struct text_sink ts = { spec, st, 0 };
	enum stream_status status = STREAM_OK;
	ssize_t r;

	stream_init(&s, spec->type, spec->rec, spec->order, text_put, &ts);
	while (!stage_full(spec, st)) {
		r = read(STDIN_FILENO, text, sizeof(text));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return read_error(errno);
		if (r == 0) {
			if ((status = stream_end(&s)) == STREAM_OK)
				st->eof = true;
			break;
		}
		if ((status = stream_feed(&s, text, (size_t)r)) != STREAM_OK)
			break;
	}
	if (ts.rc != 0)
		return ts.rc;
	return text_error(spec, &s, status);
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

int
stage_stdin(const struct stage_spec *spec, struct stage *st)
{
	struct stat sb;
	off_t pos = -1;
	int rc;

	st->limit = spec->room < SIZE_MAX ? spec->room + 1 : spec->room;
	/* A regular file's size is a hint: the buffer need not grow. */
	if (spec->type == VT_RAW && fstat(STDIN_FILENO, &sb) == 0 &&
	    S_ISREG(sb.st_mode) &&
	    (pos = lseek(STDIN_FILENO, 0, SEEK_CUR)) >= 0 &&
	    sb.st_size > pos)
		st->hint = (uint64_t)(sb.st_size - pos) < st->limit ?
		    (size_t)(sb.st_size - pos) + 1 : st->limit;
	say_terminal();
	if (spec->type == VT_RAW)
		rc = stage_raw(spec, st);
	else
		rc = stage_text(spec, st);
	if (rc == 0 && !st->eof && pos >= 0)
		stage_rest(st, pos);
	return rc;
}
