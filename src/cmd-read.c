/*
 * shm read: copy data out of a segment.
 *
 * Raw bytes go to stdout straight from the attachment, never through a
 * buffer: into a pipe by vmsplice(2), which hands the pages themselves to
 * the pipe, and elsewhere by large write(2)s.  Text forms (values, hex, the
 * hexdump) go through stdio, whose errors main() reports at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "output.h"
#include "parse.h"
#include "segment.h"

/* Pages handed to the pipe per vmsplice(2). */
#define SPLICE_CHUNK	(1U << 20)

/* Below this, a reader's wake-ups every 64 KiB cost little. */
#define WIDEN_MIN	(4U << 20)

/* Bytes of segment encoded per write for --type hex. */
#define HEX_CHUNK	(32U * 1024)

enum {
	OPT_OFFSET = OPT_FIRST_LOCAL,
	OPT_COUNT,
	OPT_TYPE,
	OPT_STRING,
	OPT_HEXDUMP,
	OPT_RAW,
};

static struct poptOption read_options[] = {
	{ "offset", 'o', POPT_ARG_STRING, NULL, OPT_OFFSET,
	  "start at byte OFFSET (default 0)", "OFFSET" },
	{ "count", 'n', POPT_ARG_STRING, NULL, OPT_COUNT,
	  "bytes to read (default: to the end); values for a number type"
	  " (default 1)", "COUNT" },
	{ "type", 't', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "raw, hex (lower-case digits, one line), or a number type: i8 i16"
	  " i32 i64 u8 u16 u32 u64 f32 f64 (one value per line)", "TYPE" },
	{ "string", 'z', POPT_ARG_NONE, NULL, OPT_STRING,
	  "stop at the first NUL byte", NULL },
	{ "hexdump", 'x', POPT_ARG_NONE, NULL, OPT_HEXDUMP,
	  "offsets, bytes in hex and characters, as hexdump -C", NULL },
	{ "raw", '\0', POPT_ARG_NONE, NULL, OPT_RAW,
	  "raw bytes even to a terminal", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, read_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

static int
write_error(int e)
{
	/* A reader that went away ends us quietly, as it does cat(1). */
	if (e == EPIPE)
		return EXIT_SHM_OK;
	return msg_error(EXIT_SHM_FAIL, "write error: %s", strerror(e));
}

/*
 * Checks stdout after text output.  Once stdio has dropped a buffer it
 * could not write, fflush() succeeds and only ferror() is left, without
 * the cause (a closed pipe would look like EIO to close_stdout()); errno
 * still holds it here, so judge now and leave stdout clean.
 */
static int
check_stdout(void)
{
	int e;

	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_SHM_OK;
	e = errno != 0 ? errno : EIO;
	__fpurge(stdout);
	clearerr(stdout);
	return write_error(e);
}

/*
 * Hands the pages to the pipe on stdout.  The pipe then holds references
 * to the segment's pages, not copies: a reader sees what they hold when it
 * reads, as it would reading the segment itself.  Returns 0, or -1 with
 * errno set and *done the bytes handed over.
 */
static int
splice_out(const unsigned char *p, size_t len, size_t *done)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	struct iovec iov;
	ssize_t n;

	*done = 0;
	while (*done < len) {
		iov.iov_base = (void *)(p + *done);
		iov.iov_len = len - *done < SPLICE_CHUNK ? len - *done :
		    SPLICE_CHUNK;
		n = vmsplice(STDOUT_FILENO, &iov, 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* stdout was left non-blocking by someone else. */
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		*done += (size_t)n;
	}
	return 0;
}

/*
 * A pipe holds 64 KiB unless asked: a reader then wakes us every 16 pages.
 * Room for a whole chunk of pages halves the time of a large read-out.
 * Only a hint: an unprivileged user past fs.pipe-user-pages-soft gets
 * EPERM, and the pipe stays as it was.
 */
static void
widen_pipe(size_t len)
{
	int cur;

	if (len < WIDEN_MIN)
		return;
	cur = fcntl(STDOUT_FILENO, F_GETPIPE_SZ);
	if (cur >= 0 && (unsigned int)cur < SPLICE_CHUNK)
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, (int)SPLICE_CHUNK);
}

static int
out_raw(const unsigned char *p, size_t len)
{
	struct stat sb;
	size_t done = 0;

	if (len == 0)
		return EXIT_SHM_OK;
	if (fstat(STDOUT_FILENO, &sb) != 0)
		sb.st_mode = 0;
	if (S_ISFIFO(sb.st_mode)) {
		/*
		 * No prefault: vmsplice(2) faults the pages in as it takes
		 * them, and measured no faster after MADV_POPULATE_READ.
		 */
		widen_pipe(len);
		if (splice_out(p, len, &done) == 0)
			return EXIT_SHM_OK;
		/* Not a pipe after all, or no vmsplice: write the rest. */
		if (errno != EINVAL && errno != ENOSYS)
			return write_error(errno);
	} else if (S_ISREG(sb.st_mode) || S_ISSOCK(sb.st_mode) ||
	    S_ISBLK(sb.st_mode)) {
		/*
		 * These copy every page; a character device (a terminal,
		 * /dev/null) may never touch most of them.
		 */
		seg_prefault(p, len, false);
	}
	if (write_all(STDOUT_FILENO, p + done, len - done) != 0)
		return write_error(errno);
	return EXIT_SHM_OK;
}

/* Continuous lower-case hex digits and a newline: what write -t hex reads. */
static void
out_hex(const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	static char buf[2 * HEX_CHUNK];
	size_t i, n;

	while (len > 0 && !ferror(stdout)) {
		n = len < HEX_CHUNK ? len : HEX_CHUNK;
		for (i = 0; i < n; i++) {
			buf[2 * i] = digits[p[i] >> 4];
			buf[2 * i + 1] = digits[p[i] & 0xf];
		}
		fwrite(buf, 1, 2 * n, stdout);
		p += n;
		len -= n;
		if (len == 0)
			putchar('\n');
	}
}

/* The range asked for is not in the segment: row 15 of the diagnoses. */
static int
past_end(const struct seg *seg, uint64_t offset, bool counted,
    uint64_t count, enum value_type type, bool values)
{
	char name[64], what[96] = "";
	size_t sz = value_type_size(type), left;

	if (counted && values && count <= UINT64_MAX / sz)
		snprintf(what, sizeof(what), "%" PRIu64 " %s value%s (%"
		    PRIu64 " byte%s) ", count, value_type_name(type),
		    count == 1 ? "" : "s", count * sz,
		    count * sz == 1 ? "" : "s");
	else if (counted && values)
		snprintf(what, sizeof(what), "%" PRIu64 " %s values ", count,
		    value_type_name(type));
	else if (counted)
		snprintf(what, sizeof(what), "%" PRIu64 " byte%s ", count,
		    count == 1 ? "" : "s");
	msg_error(EXIT_SHM_SIZE, "cannot read %sat offset %" PRIu64 " of %s:"
	    " past its end (it has %zu byte%s)", what, offset,
	    seg_info_str(&seg->info, name, sizeof(name)), seg->size,
	    seg->size == 1 ? "" : "s");
	if (offset > seg->size) {
		msg_hint("offsets run from 0 to %zu", seg->size);
		return EXIT_SHM_SIZE;
	}
	left = seg->size - (size_t)offset;
	if (left < (values ? sz : 1)) {
		/* nothing to offer at this offset: name one that has some */
		if (values && seg->size < sz)
			msg_hint("the segment is smaller than one %s value"
			    " (%zu bytes): read it as bytes", value_type_name(
			    type), sz);
		else if (values)
			msg_hint("there %s %zu byte%s from offset %" PRIu64
			    ", less than one %s value (%zu bytes): the last"
			    " whole one starts at offset %zu", left == 1 ?
			    "is" : "are", left, left == 1 ? "" : "s", offset,
			    value_type_name(type), sz, seg->size - sz);
		else
			msg_hint("offset %" PRIu64 " is the end of the"
			    " segment: its last byte is at offset %zu", offset,
			    seg->size - 1);
	} else if (values)
		msg_hint("there %s %zu byte%s from offset %" PRIu64 ": read"
		    " at most %zu value%s there (-n %zu)", left == 1 ? "is" :
		    "are", left, left == 1 ? "" : "s", offset, left / sz,
		    left / sz == 1 ? "" : "s", left / sz);
	else
		msg_hint("there %s %zu byte%s from offset %" PRIu64 ": read"
		    " at most that many (-n %zu), or leave out -n to read to"
		    " the end", left == 1 ? "is" : "are", left,
		    left == 1 ? "" : "s", offset, left);
	return EXIT_SHM_SIZE;
}

/* The options other than the selector. */
struct read_opts {
	enum value_type	 type;
	uint64_t	 offset;
	uint64_t	 count;
	bool		 counted;
	bool		 typed;
	bool		 string;
	bool		 hexdump;
	bool		 raw;
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct read_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_OFFSET:
		arg = poptGetOptArg(ctx);
		ret = opt_size("--offset", arg, &o->offset);
		free(arg);
		break;
	case OPT_COUNT:
		arg = poptGetOptArg(ctx);
		ret = opt_size("--count", arg, &o->count);
		o->counted = true;
		free(arg);
		break;
	case OPT_TYPE:
		arg = poptGetOptArg(ctx);
		ret = opt_type(arg, &o->type);
		o->typed = true;
		free(arg);
		break;
	case OPT_STRING:
		o->string = true;
		break;
	case OPT_HEXDUMP:
		o->hexdump = true;
		break;
	case OPT_RAW:
		o->raw = true;
		break;
	}
	return ret;
}

int
cmd_read(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct read_opts o = { .type = VT_RAW };
	struct seg seg = { 0 };
	bool values;
	const unsigned char *p, *nul;
	size_t len, sz;
	poptContext ctx;
	int rc, ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-o OFFSET] [-n COUNT] [-t TYPE] [-z|--string]"
	    " [-x|--hexdump] [--raw]\n\n"
	    "Writes the bytes from OFFSET to the end (or COUNT of them) on"
	    " standard output;\nto a terminal as a hexdump unless --type or"
	    " --raw is given.");
	ret = opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS);
	if (ret != OPT_GO_ON)
		goto out;
	if (o.raw && (o.hexdump || o.typed)) {
		ret = msg_usage("--raw and %s clash: choose one form of output",
		    o.hexdump ? "--hexdump" : "--type");
		goto out;
	}
	if (o.hexdump && o.typed) {
		ret = msg_usage("--hexdump and --type clash: choose one form of"
		    " output");
		goto out;
	}
	values = o.type != VT_RAW && o.type != VT_HEX;
	if (values && o.string) {
		ret = msg_usage("--string stops at a NUL byte: it goes with raw"
		    " or hex output, not --type %s", value_type_name(o.type));
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	if ((ret = seg_open(&sels.sel[0], true, &seg)) != EXIT_SHM_OK)
		goto out;

	/*
	 * A number type reads one value unless told; the rest read to the
	 * end.  Exactly at the end, with no count (or 0), there is nothing
	 * to read and nothing is printed: an empty range, as head -c 0.
	 */
	sz = value_type_size(o.type);
	if (values && !o.counted)
		o.count = 1;
	if (o.offset > seg.size || (values || o.counted ?
	    o.count > (seg.size - (size_t)o.offset) / sz : false)) {
		ret = past_end(&seg, o.offset, values || o.counted, o.count,
		    o.type, values);
		goto out;
	}
	p = seg.addr + o.offset;
	len = values || o.counted ? (size_t)o.count * sz :
	    seg.size - (size_t)o.offset;
	if (o.string && (nul = memchr(p, '\0', len)) != NULL)
		len = (size_t)(nul - p);

	errno = 0;
	if (o.hexdump || (!o.typed && !o.raw && isatty(STDOUT_FILENO))) {
		format_hexdump(stdout, p, len, o.offset);
		ret = check_stdout();
	} else if (values) {
		format_values(stdout, o.type, p, (size_t)o.count);
		ret = check_stdout();
	} else if (o.type == VT_HEX) {
		out_hex(p, len);
		ret = check_stdout();
	} else {
		ret = out_raw(p, len);
	}
out:
	if ((rc = seg_detach(&seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
