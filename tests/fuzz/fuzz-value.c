/*
 * parse_value() for every type.  The first byte picks the type, the rest
 * is the text.  Integers are compared with a reference parser; every value
 * read must print with format_values() as text that reads back to the
 * same bytes.
 */
#include <endian.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "parse.h"

struct int_type {
	unsigned int	bits;		/* 0: not an integer type */
	int		is_signed;
};

static const struct int_type int_types[] = {
	[VT_I8] = { 8, 1 },
	[VT_I16] = { 16, 1 },
	[VT_I32] = { 32, 1 },
	[VT_I64] = { 64, 1 },
	[VT_U8] = { 8, 0 },
	[VT_U16] = { 16, 0 },
	[VT_U32] = { 32, 0 },
	[VT_U64] = { 64, 0 },
	[VT_F64] = { 0, 0 },
};

/*
 * The spec's integer: for a signed type an optional sign, then 0x hex or
 * decimal, in range.  The value, as a two's complement bit pattern, goes
 * into *bits (little or big endian does not matter: the caller compares
 * numbers, not bytes).
 */
static int
ref_int(const char *s, const struct int_type *it, uint64_t *bits)
{
	const char *end;
	uint64_t m, max;
	int neg = 0;

	if (it->is_signed && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (ref_number(s, &m, &end) == -1 || *end != '\0')
		return -1;
	if (!it->is_signed) {
		max = it->bits == 64 ? UINT64_MAX : (1ULL << it->bits) - 1;
		if (m > max)
			return -1;
		*bits = m;
		return 0;
	}
	max = 1ULL << (it->bits - 1);
	if (neg ? m > max : m >= max)
		return -1;
	*bits = neg ? 0 - m : m;
	return 0;
}

/* The value in out, as a 64-bit pattern that sign-extends signed types. */
static uint64_t
int_bits(const unsigned char *out, const struct int_type *it)
{
	uint64_t v = 0;
	unsigned int shift = 64 - it->bits;

	/* Host byte order: the value's bytes are the low ones of a uint64_t. */
	memcpy((unsigned char *)&v + (BYTE_ORDER == BIG_ENDIAN ? shift / 8 : 0),
	    out, it->bits / 8);
	if (it->is_signed && shift > 0)
		v = (uint64_t)((int64_t)(v << shift) >> shift);
	return v;
}

/* Whether strtod() or strtof(), as parse.c calls them, read all of s. */
static int
ref_float(const char *s, int is_double, unsigned char *out)
{
	char *e;
	double d;
	float f;

	if (*s == '\0' || strchr(" \t\n\v\f\r", *s) != NULL)
		return -1;
	errno = 0;
	if (is_double) {
		d = strtod(s, &e);
		if (e == s || *e != '\0' || (errno == ERANGE && isinf(d)))
			return -1;
		memcpy(out, &d, sizeof(d));
	} else {
		f = strtof(s, &e);
		if (e == s || *e != '\0' || (errno == ERANGE && isinf(f)))
			return -1;
		memcpy(out, &f, sizeof(f));
	}
	return 0;
}

static int
same_value(enum value_type t, const unsigned char *a, const unsigned char *b)
{
	double da, db;
	float fa, fb;

	if (t == VT_F32) {
		memcpy(&fa, a, 4);
		memcpy(&fb, b, 4);
		if (isnan(fa) || isnan(fb))
			return isnan(fa) && isnan(fb);
	} else if (t == VT_F64) {
		memcpy(&da, a, 8);
		memcpy(&db, b, 8);
		if (isnan(da) || isnan(db))
			return isnan(da) && isnan(db);
	}
	return memcmp(a, b, value_type_size(t)) == 0;
}

/* format_values() of the value, read back with parse_value(). */
static void
check_round_trip(enum value_type t, const unsigned char *v)
{
	unsigned char back[8];
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	format_values(fp, t, v, 1);
	FUZZ_CHECK(fclose(fp) == 0);
	FUZZ_CHECK(len >= 2 && text[len - 1] == '\n');
	FUZZ_CHECK(memchr(text, '\n', len) == text + len - 1);
	text[len - 1] = '\0';
	FUZZ_CHECK(parse_value(t, text, back) == 0);
	FUZZ_CHECK(same_value(t, v, back));
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char want[8];
	struct int_type it;
	enum value_type t;
	unsigned char *out;
	uint64_t ref;
	char *s;
	int r, rr;

	if (size < 1)
		return 0;
	t = (enum value_type)(data[0] % (VT_F64 + 1));
	s = fuzz_string(data + 1, size - 1);
	/* Exactly the value's size, so that a longer store is caught. */
	if ((out = malloc(value_type_size(t))) == NULL)
		abort();
	memset(out, 0xa5, value_type_size(t));
	r = parse_value(t, s, out);
	FUZZ_CHECK(r == 0 || r == -1);
	if (t == VT_RAW || t == VT_HEX) {
		FUZZ_CHECK(r == -1 && out[0] == 0xa5);
	} else if ((it = int_types[t]).bits != 0) {
		rr = ref_int(s, &it, &ref);
		FUZZ_CHECK(r == rr);
		if (r == 0)
			FUZZ_CHECK(int_bits(out, &it) == ref);
	} else {
		rr = ref_float(s, t == VT_F64, want);
		FUZZ_CHECK(r == rr);
		if (r == 0)
			FUZZ_CHECK(same_value(t, out, want));
	}
	if (r == 0)
		check_round_trip(t, out);
	free(out);
	free(s);
	return 0;
}
