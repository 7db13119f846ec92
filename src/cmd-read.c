/*
 * shm read: copy data out of a segment.
 *
 * Every form copies the bytes while shm read runs, so what it prints is a
 * snapshot: raw bytes by write(2) straight from the attachment (never
 * vmsplice(2), which would hand the pipe the segment's own pages, for the
 * reader to see as they are when it reads them), text through stdio, whose
 * errors main() reports at exit.
 *
 * Pages that were never written (holes) are not touched: reading one would
 * allocate it (holes.c tells them).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "atomic.h"
#include "commands.h"
#include "coord.h"
#include "format.h"
#include "holes.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

/* Bytes copied out and written at a time. */
#define COPY_CHUNK	(1U << 20)

/* Bytes read with obj_pread() and written at a time: what a cache holds. */
#define PREAD_CHUNK	(128U * 1024)

/* A pipe this big or bigger for read-outs from this size. */
#define PIPE_SIZE	(1U << 20)
#define WIDEN_MIN	(4U << 20)

/* Zeros to write for holes, and text for values, a chunk at a time. */
#define ZERO_CHUNK	(64U * 1024)

/* Bytes of segment encoded per write for --type hex. */
#define HEX_CHUNK	(32U * 1024)

enum {
	OPT_OFFSET = OPT_FIRST_LOCAL,
	OPT_COUNT,
	OPT_TYPE,
	OPT_STRING,
	OPT_HEXDUMP,
	OPT_RAW,
	OPT_ENDIAN,
};

static struct poptOption read_options[] = {
	{ "offset", 'o', POPT_ARG_STRING, NULL, OPT_OFFSET,
	  "start at byte OFFSET (default 0)", "OFFSET" },
	{ "count", 'n', POPT_ARG_STRING, NULL, OPT_COUNT,
	  "bytes to read (default: to the end); values or records for a"
	  " number or record type (default 1)", "COUNT" },
	{ "type", 't', POPT_ARG_STRING, NULL, OPT_TYPE,
	  "raw, hex (lower-case digits, one line), a number type: i8 i16"
	  " i32 i64 u8 u16 u32 u64 f32 f64 (one value per line), or a record"
	  " of them and xN padding: i32,x4,f64 (one record per line)",
	  "TYPE" },
	{ "endian", 'e', POPT_ARG_STRING, NULL, OPT_ENDIAN,
	  "byte order of the numbers: little, big or native (default)",
	  "ENDIAN" },
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

/*
 * A reader that went away ends us by SIGPIPE, quietly, as it ends cat(1);
 * EPIPE means SIGPIPE was blocked, and output was lost: an error, as cat's.
 */
static int
write_error(int e)
{
	return msg_error(EXIT_SHM_FAIL, "write error: %s", strerror(e));
}

/* Writes all of p, waiting out a stdout left non-blocking by another. */
static int
put_all(const void *p, size_t len)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	const char *q = p;
	ssize_t n;

	while (len > 0) {
		n = write(STDOUT_FILENO, q, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		q += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A pipe holds 64 KiB unless asked: a reader then wakes us every 16 pages.
 * Room for 1 MiB halves the time of a large read-out.  Only a hint: an
 * unprivileged user past fs.pipe-user-pages-soft gets EPERM, and the pipe
 * stays as it was.
 */
static void
widen_pipe(size_t len)
{
	int cur;

	if (len < WIDEN_MIN)
		return;
	cur = fcntl(STDOUT_FILENO, F_GETPIPE_SZ);
	if (cur >= 0 && (unsigned int)cur < PIPE_SIZE)
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, (int)PIPE_SIZE);
}

/*
 * Copies n bytes at p, in the attachment, to stdout.  Through a buffer
 * filled by process_vm_readv(2) of our own memory: the kernel then copies
 * from the pages as it finds them, faulting them in as a batch, where a
 * write(2) straight from the attachment pays a fault and a TLB miss for
 * each page (three times the time of cat(1) from a tmpfs file, on a
 * virtual machine).  Where process_vm_readv() is refused (a seccomp
 * filter), by write(2) from the attachment, faulted in ahead a chunk at a
 * time.
 */
static int
put_data(const unsigned char *p, size_t n, bool *vm_ok)
{
	static unsigned char buf[COPY_CHUNK];
	struct iovec local, remote;
	ssize_t got;
	size_t k;

	while (n > 0) {
		k = n < COPY_CHUNK ? n : COPY_CHUNK;
		if (*vm_ok) {
			local.iov_base = buf;
			local.iov_len = k;
			remote.iov_base = (void *)(uintptr_t)p;
			remote.iov_len = k;
			got = process_vm_readv(getpid(), &local, 1, &remote,
			    1, 0);
			if (got > 0) {
				if (put_all(buf, (size_t)got) != 0)
					return -1;
				p += got;
				n -= (size_t)got;
				continue;
			}
			*vm_ok = false;
		}
		obj_prefault(p, k, false);
		if (put_all(p, k) != 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

/*
 * Copies n bytes at off to stdout through the object's own pread (obj_pread),
 * a cache-sized chunk at a time, where its kind has one: zeros for what is
 * past the end of an object that shrank meanwhile.  Returns 0, 1 when the
 * kind has none (EOPNOTSUPP, before anything is written: the caller copies
 * from the mapping), or -1 with errno.
 */
static int
put_by_pread(const struct obj *seg, size_t off, size_t n)
{
	static unsigned char buf[PREAD_CHUNK];
	size_t k;
	ssize_t got;

	while (n > 0) {
		k = n < PREAD_CHUNK ? n : PREAD_CHUNK;
		if ((got = obj_pread(seg, buf, k, off)) < 0) {
			if (errno == EINTR)
				continue;
			return errno == EOPNOTSUPP ? 1 : -1;
		}
		if ((size_t)got < k)
			memset(buf + got, 0, k - (size_t)got);
		if (put_all(buf, k) != 0)
			return -1;
		off += k;
		n -= k;
	}
	return 0;
}

/* The raw bytes, copied while shm read runs: zeros for holes. */
static int
out_raw(struct holes *h, size_t off, size_t len)
{
	static const unsigned char zeros[ZERO_CHUNK];
	struct stat sb;
	bool hole, vm_ok = true;
	size_t n, k;
	int r;

	if (len == 0)
		return EXIT_SHM_OK;
	if (fstat(STDOUT_FILENO, &sb) != 0)
		sb.st_mode = 0;
	if (S_ISFIFO(sb.st_mode))
		widen_pipe(len);
	for (; len > 0; off += n, len -= n) {
		n = holes_run(h, off, len, &hole);
		if (!hole) {
			/*
			 * A character device (a terminal, /dev/null) may
			 * never touch most of the pages: hand it them.
			 */
			if (S_ISCHR(sb.st_mode))
				r = put_all(h->base + off, n);
			else if ((r = put_by_pread(h->seg, off, n)) > 0)
				r = put_data(h->base + off, n, &vm_ok);
			if (r != 0)
				return write_error(errno);
			continue;
		}
		for (k = 0; k < n; k += ZERO_CHUNK)
			if (put_all(zeros, n - k < ZERO_CHUNK ? n - k :
			    ZERO_CHUNK) != 0)
				return write_error(errno);
	}
	return EXIT_SHM_OK;
}

/* Continuous lower-case hex digits and a newline: what write -t hex reads. */
static void
out_hex(struct holes *h, size_t off, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	static char buf[2 * HEX_CHUNK];
	const unsigned char *p;
	size_t i, n;
	bool hole;

	if (len == 0)
		return;
	for (; len > 0 && !ferror(stdout); off += n, len -= n) {
		n = holes_run(h, off, len < HEX_CHUNK ? len : HEX_CHUNK, &hole);
		if (hole) {
			memset(buf, '0', 2 * n);
		} else {
			p = h->base + off;
			for (i = 0; i < n; i++) {
				buf[2 * i] = digits[p[i] >> 4];
				buf[2 * i + 1] = digits[p[i] & 0xf];
			}
		}
		fwrite(buf, 1, 2 * n, stdout);
	}
	putchar('\n');
}

/* The hexdump; holes fold at no cost. */
static void
out_hexdump(struct holes *h, size_t off, size_t len)
{
	struct hexdump hd;
	size_t n;
	bool hole;

	hexdump_start(&hd, stdout, off);
	for (; len > 0 && !ferror(stdout); off += n, len -= n) {
		n = holes_run(h, off, len, &hole);
		if (hole)
			hexdump_zeros(&hd, n);
		else
			hexdump_bytes(&hd, h->base + off, n);
	}
	hexdump_end(&hd);
}

/*
 * count records of type rec (a single number type is a record of one
 * field), copied out a chunk at a time, zeros for holes.  One value of a
 * number type at an offset that is a multiple of its size is loaded with
 * one atomic load: a concurrent writer is never seen half done.
 */
static void
out_records(struct holes *h, const struct record_type *rec,
    enum byte_order order, size_t off, size_t count)
{
	static unsigned char buf[ZERO_CHUNK];
	const struct record_field *f = &rec->field[0];
	size_t sz = rec->size, per, n;
	unsigned char *big = NULL, *p;
	union value v;
	bool hole;

	if (count == 1 && rec->n == 1 && atomic_aligned(f->type, off)) {
		(void)holes_run(h, off, sz, &hole);
		memset(&v, 0, sizeof(v));
		if (!hole)
			atomic_load_value(h->base + off, f->type, BO_NATIVE,
			    &v);
		format_records(stdout, rec, (const unsigned char *)&v, 1,
		    order);
		return;
	}
	/* A record may be larger than the buffer (padding up to 64 KiB). */
	p = buf;
	per = sizeof(buf) / sz;
	if (per == 0) {
		if ((big = malloc(sz)) == NULL) {
			msg_error(EXIT_SHM_FAIL, "out of memory");
			return;
		}
		p = big;
		per = 1;
	}
	for (; count > 0 && !ferror(stdout); count -= n, off += n * sz) {
		n = count < per ? count : per;
		holes_copy(h, p, off, n * sz);
		format_records(stdout, rec, p, n, order);
	}
	free(big);
}

/* The length of the string at off: up to its first NUL, within len. */
static size_t
string_len(struct holes *h, size_t off, size_t len)
{
	const unsigned char *nul;
	size_t n, done;
	bool hole;

	for (done = 0; done < len; done += n) {
		n = holes_run(h, off + done, len - done, &hole);
		if (hole)
			return done;
		nul = memchr(h->base + off + done, '\0', n);
		if (nul != NULL)
			return (size_t)(nul - (h->base + off));
	}
	return len;
}

/* The range asked for is not in the segment: row 15 of the diagnoses. */
static int
past_end(const struct obj *seg, uint64_t offset, bool counted,
    uint64_t count, const char *tname, size_t sz, bool values)
{
	char name[64], what[160] = "";
	const char *unit = "value";
	size_t left;

	if (values && strchr(tname, ',') != NULL)
		unit = "record";

	if (counted && values && count <= UINT64_MAX / sz)
		snprintf(what, sizeof(what), "%" PRIu64 " %s %s%s (%"
		    PRIu64 " byte%s) ", count, tname, unit,
		    count == 1 ? "" : "s", count * sz,
		    count * sz == 1 ? "" : "s");
	else if (counted && values)
		snprintf(what, sizeof(what), "%" PRIu64 " %s %ss ", count,
		    tname, unit);
	else if (counted)
		snprintf(what, sizeof(what), "%" PRIu64 " byte%s ", count,
		    count == 1 ? "" : "s");
	msg_error(EXIT_SHM_SIZE, "cannot read %sat offset %" PRIu64 " of %s:"
	    " past its end (it has %zu byte%s)", what, offset,
	    obj_info_str(&seg->info, name, sizeof(name)), seg->size,
	    seg->size == 1 ? "" : "s");
	if (offset > seg->size) {
		msg_hint("offsets run from 0 to %zu", seg->size);
		return EXIT_SHM_SIZE;
	}
	left = seg->size - (size_t)offset;
	if (left < (values ? sz : 1)) {
		/* nothing to offer at this offset: name one that has some */
		if (values && seg->size < sz)
			msg_hint("the segment is smaller than one %s %s"
			    " (%zu bytes): read it as bytes", tname, unit,
			    sz);
		else if (values)
			msg_hint("there %s %zu byte%s from offset %" PRIu64
			    ", less than one %s %s (%zu bytes): the last"
			    " whole one starts at offset %zu", left == 1 ?
			    "is" : "are", left, left == 1 ? "" : "s", offset,
			    tname, unit, sz, seg->size - sz);
		else
			msg_hint("offset %" PRIu64 " is the end of the"
			    " segment: its last byte is at offset %zu", offset,
			    seg->size - 1);
	} else if (values)
		msg_hint("there %s %zu byte%s from offset %" PRIu64 ": read"
		    " at most %zu %s%s there (-n %zu)", left == 1 ? "is" :
		    "are", left, left == 1 ? "" : "s", offset, left / sz, unit,
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
	struct record_type rec;		/* for a number or record type */
	enum byte_order	 order;
	const char	*tname;		/* the --type text */
	uint64_t	 offset;
	uint64_t	 count;
	bool		 counted;
	bool		 typed;
	bool		 ordered;	/* --endian */
	bool		 string;
	bool		 hexdump;
	bool		 raw;
	struct opt_given given;
};

/* One form of output. */
static const struct opt_excl read_excl[] = {
	{ { OPT_RAW, OPT_HEXDUMP, OPT_TYPE }, "choose one form of output" },
	{ { 0 }, NULL },
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct read_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	opt_given_add(&o->given, val);
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
		ret = opt_type_record(arg, &o->type, &o->rec);
		o->typed = true;
		free((void *)(uintptr_t)o->tname);
		o->tname = arg;		/* freed by cmd_read() */
		break;
	case OPT_ENDIAN:
		arg = poptGetOptArg(ctx);
		ret = coord_endian(arg, &o->order);
		o->ordered = true;
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
	struct obj seg = { 0 };
	struct holes holes;
	bool values;
	size_t off, len, sz;
	poptContext ctx;
	int rc, ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-o OFFSET] [-n COUNT] [-t TYPE] [-e ENDIAN]"
	    " [-z|--string] [-x|--hexdump] [--raw]\n\n"
	    "Writes the bytes from OFFSET to the end (or COUNT of them) on"
	    " standard output;\nto a terminal as a hexdump unless --type,"
	    " --raw or --string is given.");
	if (!opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = opt_check_excl(read_excl, &o.given, options)) !=
	    EXIT_SHM_OK)
		goto out;
	values = o.rec.nvalues > 0;
	if (o.ordered && !values) {
		ret = msg_usage("--endian goes with a number or record --type:"
		    " bytes have no byte order");
		goto out;
	}
	if (values && o.string) {
		ret = msg_usage("--string stops at a NUL byte: it goes with raw"
		    " or hex output, not --type %s", o.tname);
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	if ((ret = obj_open(&sels.sel[0], true, &seg)) != EXIT_SHM_OK)
		goto out;

	/*
	 * A number type reads one value unless told; the rest read to the
	 * end.  Exactly at the end, with no count (or 0), there is nothing
	 * to read and nothing is printed: an empty range, as head -c 0.
	 */
	sz = values ? o.rec.size : 1;
	if (values && !o.counted)
		o.count = 1;
	if (o.offset > seg.size || (values || o.counted ?
	    o.count > (seg.size - (size_t)o.offset) / sz : false)) {
		ret = past_end(&seg, o.offset, values || o.counted, o.count,
		    values ? o.tname : "", sz, values);
		goto out;
	}
	off = (size_t)o.offset;
	len = values || o.counted ? (size_t)o.count * sz : seg.size - off;
	holes_init(&holes, &seg);
	if (o.string)
		len = string_len(&holes, off, len);

	errno = 0;
	/* --type, --raw and --string choose a form; else a terminal: hexdump */
	if (o.hexdump || (!o.typed && !o.raw && !o.string &&
	    isatty(STDOUT_FILENO)))
		out_hexdump(&holes, off, len);
	else if (values)
		out_records(&holes, &o.rec, o.order, off, (size_t)o.count);
	else if (o.type == VT_HEX)
		out_hex(&holes, off, len);
	else
		ret = out_raw(&holes, off, len);
	/* text: judge stdout now, while errno holds the cause of a failure */
	if (ret == EXIT_SHM_OK && !stdout_flush())
		ret = stdout_status(ret);
out:
	if ((rc = obj_detach(&seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	record_free(&o.rec);
	free((void *)(uintptr_t)o.tname);
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
