/*
 * format_hexdump(): the dump must equal one built line by line with
 * snprintf(), and reading the dump back (offsets, hex bytes, "*" folds)
 * must give the input again.  The first byte chooses a base offset and a
 * number of repeats of the data, for long dumps with folded runs.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"

struct out {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static void
out_printf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cap - o->len < 128) {
		o->cap = o->cap * 2 + 256;
		if ((o->buf = realloc(o->buf, o->cap)) == NULL)
			abort();
	}
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		abort();
	o->len += (size_t)n;
}

/* The same dump, the slow and obvious way. */
static void
ref_dump(struct out *o, const unsigned char *p, size_t n, uint64_t base)
{
	size_t off, len, i;
	int folded = 0;

	if (n == 0)
		return;
	for (off = 0; off < n; off += len) {
		len = n - off < 16 ? n - off : 16;
		if (off > 0 && len == 16 &&
		    memcmp(p + off, p + off - 16, 16) == 0) {
			if (!folded)
				out_printf(o, "*\n");
			folded = 1;
			continue;
		}
		folded = 0;
		out_printf(o, "%08" PRIx64 " ", base + off);
		for (i = 0; i < 16; i++) {
			if (i % 8 == 0)
				out_printf(o, " ");
			if (i < len)
				out_printf(o, "%02x ", p[off + i]);
			else
				out_printf(o, "   ");
		}
		out_printf(o, " |");
		for (i = 0; i < len; i++)
			out_printf(o, "%c", p[off + i] >= 0x20 &&
			    p[off + i] <= 0x7e ? p[off + i] : '.');
		out_printf(o, "|\n");
	}
	out_printf(o, "%08" PRIx64 "\n", base + n);
}

/* Lower-case hex digits only, as hexdump -C prints them. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reads the dump back into bytes, checking each line as it goes. */
static void
undump(const char *d, size_t dlen, uint64_t base, const unsigned char *p,
    size_t n)
{
	unsigned char *back;
	const char *line, *nl, *q;
	uint64_t off;
	size_t got = 0, i;
	int star = 0;
	char *end;

	if ((back = malloc(n + 16)) == NULL)
		abort();
	for (line = d; line < d + dlen; line = nl + 1) {
		FUZZ_CHECK((nl = memchr(line, '\n', (size_t)(d + dlen -
		    line))) != NULL);
		if (nl - line == 1 && line[0] == '*') {
			FUZZ_CHECK(!star && got >= 16);
			star = 1;
			continue;
		}
		off = strtoull(line, &end, 16);
		FUZZ_CHECK(end - line >= 8 && end - line <= 16);
		/* A fold stands for whole lines equal to the one before. */
		FUZZ_CHECK(off - base >= got && (off - base - got) % 16 == 0);
		FUZZ_CHECK(star || off - base == got);
		FUZZ_CHECK(off - base <= n);
		while (got < off - base) {
			memcpy(back + got, back + got - 16, 16);
			got += 16;
		}
		star = 0;
		if (end == nl) {
			/* The last line: the end offset alone. */
			FUZZ_CHECK(nl + 1 == d + dlen && got == n);
			break;
		}
		FUZZ_CHECK(end[0] == ' ' && end[1] == ' ');
		q = end + 2;
		for (i = 0; i < 16; i++) {
			if (i == 8)
				FUZZ_CHECK(*q++ == ' ');
			/* Blanks pad a short last line. */
			if (*q == ' ')
				break;
			FUZZ_CHECK(hex_value(q[0]) >= 0 &&
			    hex_value(q[1]) >= 0 && q[2] == ' ');
			back[got++] = (unsigned char)(hex_value(q[0]) << 4 |
			    hex_value(q[1]));
			q += 3;
		}
		FUZZ_CHECK(i == 16 || got == n);
	}
	FUZZ_CHECK(got == n);
	FUZZ_CHECK(memcmp(back, p, n) == 0);
	free(back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out ref = { NULL, 0, 0 };
	unsigned char *p;
	uint64_t base = 0;
	size_t n, i, reps = 1, dlen = 0;
	char *dump = NULL;
	FILE *fp;

	if (size < 1)
		return 0;
	if ((data[0] & 1) && size >= 9) {
		memcpy(&base, data + 1, 8);
		data += 8;
		size -= 8;
	}
	if (data[0] & 2)
		reps = 1 + (data[0] >> 2);
	data++;
	size--;
	n = size * reps;
	if ((p = malloc(n + 1)) == NULL)
		abort();
	for (i = 0; i < reps; i++)
		memcpy(p + i * size, data, size);

	if ((fp = open_memstream(&dump, &dlen)) == NULL)
		abort();
	format_hexdump(fp, p, n, base);
	FUZZ_CHECK(fclose(fp) == 0);

	ref_dump(&ref, p, n, base);
	FUZZ_CHECK(ref.len == dlen);
	FUZZ_CHECK(dlen == 0 || memcmp(ref.buf, dump, dlen) == 0);
	if (n == 0)
		FUZZ_CHECK(dlen == 0);
	else if (base <= UINT64_MAX - n)
		undump(dump, dlen, base, p, n);
	free(ref.buf);
	free(dump);
	free(p);
	return 0;
}
