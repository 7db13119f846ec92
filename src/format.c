/*
 * Text forms of a segment's contents.
 *
 * The hexdump is the same, byte for byte, as util-linux's hexdump -C, so
 * that people can diff the two; it is built by hand rather than with
 * printf() because a dump may run to hundreds of MiB.
 */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define HD_WIDTH	16
/*
 * The longest line: a 16-digit offset, two blanks, 16 "xx ", the blank
 * between the halves, " |", 16 characters and "|\n".
 */
#define HD_LINE_MAX	(16 + 2 + HD_WIDTH * 3 + 1 + 2 + HD_WIDTH + 2)

static const char hexdigits[] = "0123456789abcdef";

/*
 * Puts an offset as "%08" PRIx64 does: at least eight digits, more when
 * it needs them (as hexdump's "%08.8_ax" does past 4 GiB).  Returns the
 * number of characters.
 */
static size_t
put_offset(char *b, uint64_t off)
{
	size_t i, n = 8;

	while (n < 16 && (off >> (4 * n)) != 0)
		n++;
	for (i = n; i > 0; i--) {
		b[i - 1] = hexdigits[off & 0xf];
		off >>= 4;
	}
	return n;
}

/*
 * One line of len (1 to 16) bytes.  A short line is padded with blanks so
 * that its '|' is in the column of a full line's, as hexdump -C does.
 */
static size_t
put_line(char *b, uint64_t off, const unsigned char *p, size_t len)
{
	char *q = b;
	size_t i;

	q += put_offset(q, off);
	*q++ = ' ';
	*q++ = ' ';
	for (i = 0; i < HD_WIDTH; i++) {
		if (i == HD_WIDTH / 2)
			*q++ = ' ';
		if (i < len) {
			*q++ = hexdigits[p[i] >> 4];
			*q++ = hexdigits[p[i] & 0xf];
		} else {
			*q++ = ' ';
			*q++ = ' ';
		}
		*q++ = ' ';
	}
	*q++ = ' ';
	*q++ = '|';
	for (i = 0; i < len; i++)
		*q++ = p[i] >= 0x20 && p[i] <= 0x7e ? (char)p[i] : '.';
	*q++ = '|';
	*q++ = '\n';
	return (size_t)(q - b);
}

_Static_assert(HEXDUMP_WIDTH == HD_WIDTH, "HEXDUMP_WIDTH is not HD_WIDTH");
_Static_assert(HEXDUMP_BUF >= 64 * HD_LINE_MAX, "HEXDUMP_BUF is too small");

static void
hd_flush_if_full(struct hexdump *h)
{
	if (sizeof(h->buf) - h->used < HD_LINE_MAX) {
		fwrite(h->buf, 1, h->used, h->fp);
		h->used = 0;
	}
}

/*
 * One full line at offset off (from the first byte).  Only full lines
 * fold, and a run of them becomes one "*"; a short last line is printed
 * even if it starts like the one before.
 */
static void
hd_full_line(struct hexdump *h, uint64_t off, const unsigned char *p)
{
	hd_flush_if_full(h);
	if (h->have_prev && memcmp(p, h->prev, HD_WIDTH) == 0) {
		if (!h->folded) {
			h->buf[h->used++] = '*';
			h->buf[h->used++] = '\n';
			h->folded = 1;
		}
		return;
	}
	h->folded = 0;
	h->used += put_line(h->buf + h->used, h->base + off, p, HD_WIDTH);
	memcpy(h->prev, p, HD_WIDTH);
	h->have_prev = 1;
}

void
hexdump_start(struct hexdump *h, FILE *fp, uint64_t base)
{
	h->fp = fp;
	h->base = base;
	h->off = 0;
	h->fill = 0;
	h->have_prev = 0;
	h->folded = 0;
	h->used = 0;
}

void
hexdump_bytes(struct hexdump *h, const unsigned char *p, size_t n)
{
	size_t k;

	/* Complete the line being gathered. */
	if (h->fill > 0) {
		k = HD_WIDTH - h->fill < n ? HD_WIDTH - h->fill : n;
		memcpy(h->line + h->fill, p, k);
		h->fill += k;
		h->off += k;
		p += k;
		n -= k;
		if (h->fill < HD_WIDTH)
			return;
		hd_full_line(h, h->off - HD_WIDTH, h->line);
		h->fill = 0;
	}
	for (; n >= HD_WIDTH; p += HD_WIDTH, n -= HD_WIDTH) {
		hd_full_line(h, h->off, p);
		h->off += HD_WIDTH;
	}
	memcpy(h->line, p, n);
	h->fill = n;
	h->off += n;
}

void
hexdump_zeros(struct hexdump *h, uint64_t n)
{
	static const unsigned char zeros[HD_WIDTH];
	uint64_t lines;

	if (h->fill > 0 || n < HD_WIDTH) {
		lines = HD_WIDTH - h->fill < n ? HD_WIDTH - h->fill : n;
		hexdump_bytes(h, zeros, (size_t)lines);
		n -= lines;
	}
	if (n < HD_WIDTH) {
		hexdump_bytes(h, zeros, (size_t)n);
		return;
	}
	/*
	 * The first line of zeros prints or folds, the second folds, and
	 * the rest would fold into the same "*": skip them.
	 */
	lines = n / HD_WIDTH;
	hexdump_bytes(h, zeros, HD_WIDTH);
	if (lines > 1)
		hexdump_bytes(h, zeros, HD_WIDTH);
	if (lines > 2)
		h->off += (lines - 2) * HD_WIDTH;
	hexdump_bytes(h, zeros, (size_t)(n % HD_WIDTH));
}

void
hexdump_end(struct hexdump *h)
{
	/* hexdump -C prints nothing at all, not even an offset, for no data. */
	if (h->off == 0)
		return;
	if (h->fill > 0) {
		hd_flush_if_full(h);
		h->used += put_line(h->buf + h->used, h->base + h->off -
		    h->fill, h->line, h->fill);
	}
	hd_flush_if_full(h);
	h->used += put_offset(h->buf + h->used, h->base + h->off);
	h->buf[h->used++] = '\n';
	fwrite(h->buf, 1, h->used, h->fp);
	h->used = 0;
}

void
format_hexdump(FILE *fp, const unsigned char *p, size_t n, uint64_t base)
{
	struct hexdump h;

	hexdump_start(&h, fp, base);
	hexdump_bytes(&h, p, n);
	hexdump_end(&h);
}

/*
 * Non-finite values print the same whatever their sign bit or payload, as
 * the spec asks ("nan", not glibc's "-nan").  Returns 1 if it wrote d.
 */
static int
put_nonfinite(char *buf, size_t sz, double d)
{
	if (isnan(d))
		snprintf(buf, sz, "nan");
	else if (isinf(d))
		snprintf(buf, sz, "%s", signbit(d) ? "-inf" : "inf");
	else
		return 0;
	return 1;
}

/*
 * The shortest "%.*g" that reads back as f.  Between two normal floats
 * there is at most one decimal of six digits, so no shorter text can read
 * back if the six-digit one does not, and the search starts there; nine
 * digits always read back.  Subnormals are spaced wider, so for them
 * ("1e-45") it starts at one.
 */
static void
put_float(char *buf, size_t sz, float f)
{
	int prec;

	if (put_nonfinite(buf, sz, f))
		return;
	prec = fpclassify(f) == FP_SUBNORMAL ? 1 : 6;
	for (; prec < 9; prec++) {
		snprintf(buf, sz, "%.*g", prec, (double)f);
		if (strtof(buf, NULL) == f)
			return;
	}
	snprintf(buf, sz, "%.9g", (double)f);
}

/* As put_float(), with 15 and 17 digits for a double. */
static void
put_double(char *buf, size_t sz, double d)
{
	int prec;

	if (put_nonfinite(buf, sz, d))
		return;
	prec = fpclassify(d) == FP_SUBNORMAL ? 1 : 15;
	for (; prec < 17; prec++) {
		snprintf(buf, sz, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, sz, "%.17g", d);
}

static void
put_value(char *buf, size_t sz, enum value_type type, const unsigned char *p)
{
	union value v;

	/* memcpy(), not a cast: p need not be aligned for the type. */
	memcpy(&v, p, value_type_size(type));
	switch (type) {
	case VT_I8:
		snprintf(buf, sz, "%" PRId8, v.i8);
		break;
	case VT_I16:
		snprintf(buf, sz, "%" PRId16, v.i16);
		break;
	case VT_I32:
		snprintf(buf, sz, "%" PRId32, v.i32);
		break;
	case VT_I64:
		snprintf(buf, sz, "%" PRId64, v.i64);
		break;
	case VT_U8:
		snprintf(buf, sz, "%" PRIu8, v.u8);
		break;
	case VT_U16:
		snprintf(buf, sz, "%" PRIu16, v.u16);
		break;
	case VT_U32:
		snprintf(buf, sz, "%" PRIu32, v.u32);
		break;
	case VT_U64:
		snprintf(buf, sz, "%" PRIu64, v.u64);
		break;
	case VT_F32:
		put_float(buf, sz, v.f32);
		break;
	case VT_F64:
		put_double(buf, sz, v.f64);
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

void
format_values(FILE *fp, enum value_type type, const unsigned char *p,
    size_t count)
{
	locale_t loc, old = (locale_t)0;
	char buf[64];
	size_t i, sz = value_type_size(type);

	/* raw and hex are byte streams, not values; callers dump them. */
	if (type == VT_RAW || type == VT_HEX)
		return;
	if ((loc = parse_c_locale()) != (locale_t)0)
		old = uselocale(loc);
	for (i = 0; i < count; i++, p += sz) {
		put_value(buf, sizeof(buf), type, p);
		fputs(buf, fp);
		putc('\n', fp);
	}
	if (loc != (locale_t)0)
		uselocale(old);
}

char *
format_perms(unsigned int mode, char buf[10])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	for (i = 0; i < 9; i++)
		buf[i] = mode & (0400u >> i) ? rwx[i] : '-';
	buf[9] = '\0';
	return buf;
}

/*
 * As util-linux's size_to_human_string() prints sizes for lsipc, so the
 * two tools agree: bytes below 1 KiB as digits and "B" ("512B"); above, in
 * powers of 1024 with one decimal rounded half up and dropped when it is 0
 * ("1.5K", "4K", "12M").  Like lsipc, 1048575 bytes are "1024K".
 */
char *
format_human(uint64_t bytes, char buf[16])
{
	static const char units[] = "BKMGTPE";
	uint64_t frac;
	unsigned int shift = 0;
	uint16_t whole, tenths;

	while (shift < 60 && bytes >> (shift + 10) != 0)
		shift += 10;
	if (shift == 0) {
		snprintf(buf, 16, "%" PRIu16 "B", (uint16_t)bytes);
		return buf;
	}
	/* Below 1024 units, so 16 bits hold it and gcc sees it fits buf. */
	whole = (uint16_t)(bytes >> shift);
	frac = bytes & ((1ULL << shift) - 1);
	/* Thousandths, then rounded to tenths, computed as util-linux does. */
	if (frac < UINT64_MAX / 1000)
		frac = frac * 1000 >> shift;
	else
		frac = (frac >> 10) * 1000 >> (shift - 10);
	tenths = (uint16_t)((frac + 50) / 100);
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	if (tenths != 0)
		snprintf(buf, 16, "%" PRIu16 ".%" PRIu16 "%c", whole, tenths,
		    units[shift / 10]);
	else
		snprintf(buf, 16, "%" PRIu16 "%c", whole, units[shift / 10]);
	return buf;
}

void
format_records(FILE *fp, const struct record_type *rec,
    const unsigned char *p, size_t count, enum byte_order order)
{
	locale_t loc, old = (locale_t)0;
	const struct record_field *f;
	union value v;
	char buf[64];
	size_t i, j;
	int first;

	if ((loc = parse_c_locale()) != (locale_t)0)
		old = uselocale(loc);
	for (i = 0; i < count; i++, p += rec->size) {
		first = 1;
		for (j = 0; j < rec->n; j++) {
			f = &rec->field[j];
			if (f->type == VT_RAW)
				continue;
			memcpy(&v, p + f->offset, f->size);
			value_order(&v, f->size, order);
			put_value(buf, sizeof(buf), f->type,
			    (const unsigned char *)&v);
			if (!first)
				putc(' ', fp);
			fputs(buf, fp);
			first = 0;
		}
		putc('\n', fp);
	}
	if (loc != (locale_t)0)
		uselocale(old);
}

/*
 * a * b in decimal, exactly: SHMALL in bytes passes 2^64 with the kernel's
 * default SHMALL.  The product is kept as four 32-bit limbs, most
 * significant first, so that no 128-bit type is needed (32-bit targets
 * have none).  Returns a pointer into buf.
 */
const char *
format_product(uint64_t a, uint64_t b, char buf[48])
{
	uint64_t al = a & 0xffffffffu, ah = a >> 32;
	uint64_t bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	uint32_t limb[4] = {
		(uint32_t)(hi >> 32), (uint32_t)hi,
		(uint32_t)mid, (uint32_t)ll,
	};
	char *p = buf + 47;
	uint64_t rem;
	bool zero;
	int i;

	*p = '\0';
	do {
		rem = 0;
		zero = true;
		for (i = 0; i < 4; i++) {
			uint64_t cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
			if (limb[i] != 0)
				zero = false;
		}
		*--p = (char)('0' + rem);
	} while (!zero);
	return p;
}
