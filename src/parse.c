/*
 * Strict parsers for the numbers of the command line.
 *
 * strtoull() on its own is too lenient for a tool whose input is often
 * typed by scripts: it skips leading blanks, takes a sign (and negates
 * "-1" into 18446744073709551615), and in base 16 takes a second "0x".
 * So every parser here first checks the characters it will hand over, and
 * then insists that strtoull() stopped exactly where the digits end.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

_Static_assert(ULLONG_MAX == UINT64_MAX, "unsigned long long is 64 bits");

struct suffix {
	const char	*name;
	uint64_t	 mult;
};

/* The empty suffix comes first: a bare number is the common case. */
static const struct suffix size_suffixes[] = {
	{ "",		1 },
	{ "K",		1ULL << 10 },
	{ "KiB",	1ULL << 10 },
	{ "M",		1ULL << 20 },
	{ "MiB",	1ULL << 20 },
	{ "G",		1ULL << 30 },
	{ "GiB",	1ULL << 30 },
	{ "KB",		1000ULL },
	{ "MB",		1000ULL * 1000 },
	{ "GB",		1000ULL * 1000 * 1000 },
};

static const char *const type_names[] = {
	[VT_RAW] = "raw",
	[VT_HEX] = "hex",
	[VT_I8] = "i8",
	[VT_I16] = "i16",
	[VT_I32] = "i32",
	[VT_I64] = "i64",
	[VT_U8] = "u8",
	[VT_U16] = "u16",
	[VT_U32] = "u32",
	[VT_U64] = "u64",
	[VT_F32] = "f32",
	[VT_F64] = "f64",
};

static const size_t type_sizes[] = {
	[VT_RAW] = 1,
	[VT_HEX] = 1,
	[VT_I8] = 1,
	[VT_I16] = 2,
	[VT_I32] = 4,
	[VT_I64] = 8,
	[VT_U8] = 1,
	[VT_U16] = 2,
	[VT_U32] = 4,
	[VT_U64] = 8,
	[VT_F32] = 4,
	[VT_F64] = 8,
};

/*
 * The value of an ASCII hex digit, or 16 for anything else.  Written out
 * rather than isxdigit() so that no locale can widen what counts as a digit.
 */
static int
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

/*
 * Reads the digits of base at the start of s into *v and points *end past
 * them.  Fails when there is no digit or the number does not fit 64 bits.
 */
static int
scan_digits(const char *s, int base, uint64_t *v, const char **end)
{
	const char *p;
	char *e;
	unsigned long long n;

	for (p = s; digit_value(*p) < base; p++)
		;
	if (p == s)
		return -1;
	errno = 0;
	n = strtoull(s, &e, base);
	if (errno != 0 || e != p)
		return -1;
	*v = n;
	*end = p;
	return 0;
}

/* A decimal number, or hex after "0x" (or "0X", as strtoull() has it). */
static int
scan_number(const char *s, uint64_t *v, const char **end)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return scan_digits(s + 2, 16, v, end);
	return scan_digits(s, 10, v, end);
}

/* Multiplies v by the factor of suffix s, which must be in the table. */
static int
apply_suffix(uint64_t v, const char *s, const struct suffix *tab, size_t n,
    uint64_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, tab[i].name) != 0)
			continue;
		if (v > UINT64_MAX / tab[i].mult)
			return -1;
		*out = v * tab[i].mult;
		return 0;
	}
	return -1;
}

int
parse_size(const char *s, uint64_t *size)
{
	const char *end;
	uint64_t v;

	if (scan_number(s, &v, &end) == -1)
		return -1;
	return apply_suffix(v, end, size_suffixes, nitems(size_suffixes),
	    size);
}

int
parse_key(const char *s, key_t *key)
{
	const char *end;
	uint64_t v;

	if (scan_number(s, &v, &end) == -1 || *end != '\0')
		return -1;
	if (v == 0 || v > UINT32_MAX)
		return -1;
	/*
	 * key_t is an int, but keys are 32-bit patterns that ipcs prints in
	 * hex: 0xffffffff is the key whose int value is -1.
	 */
	*key = (key_t)(uint32_t)v;
	return 0;
}

int
parse_id(const char *s, int *id)
{
	const char *end;
	uint64_t v;

	if (scan_digits(s, 10, &v, &end) == -1 || *end != '\0')
		return -1;
	if (v > INT_MAX)
		return -1;
	*id = (int)v;
	return 0;
}

int
parse_mode(const char *s, unsigned int *mode)
{
	const char *end;
	uint64_t v;

	if (scan_digits(s, 8, &v, &end) == -1 || *end != '\0')
		return -1;
	if (v > 0777)
		return -1;
	*mode = (unsigned int)v;
	return 0;
}

int
parse_proj(const char *s, int *proj)
{
	const char *end;
	uint64_t v;

	/* ftok() uses the low 8 bits, so "A" is as good a project as 65. */
	if (s[0] != '\0' && s[1] == '\0' && digit_value(s[0]) >= 10) {
		*proj = (unsigned char)s[0];
		return 0;
	}
	if (scan_number(s, &v, &end) == -1 || *end != '\0')
		return -1;
	if (v < 1 || v > 255)
		return -1;
	*proj = (int)v;
	return 0;
}

int
parse_type(const char *s, enum value_type *type)
{
	size_t i;

	for (i = 0; i < nitems(type_names); i++) {
		if (strcmp(s, type_names[i]) == 0) {
			*type = (enum value_type)i;
			return 0;
		}
	}
	return -1;
}

const char *
value_type_name(enum value_type type)
{
	if ((size_t)type >= nitems(type_names))
		return "?";
	return type_names[type];
}

size_t
value_type_size(enum value_type type)
{
	if ((size_t)type >= nitems(type_sizes))
		return 1;
	return type_sizes[type];
}

locale_t
parse_c_locale(void)
{
	static locale_t loc;

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

/*
 * An integer of bits bits; signed types take a sign.  The magnitude is
 * read unsigned, so "-0x80" works and the range check is one comparison.
 */
static int
parse_int(const char *s, unsigned int bits, int is_signed, int64_t *sv,
    uint64_t *uv)
{
	const char *end;
	uint64_t m, limit;
	int neg = 0;

	if (is_signed && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		s++;
	}
	if (scan_number(s, &m, &end) == -1 || *end != '\0')
		return -1;
	if (!is_signed) {
		limit = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
		if (m > limit)
			return -1;
		*uv = m;
		return 0;
	}
	limit = 1ULL << (bits - 1);
	if (neg) {
		if (m > limit)
			return -1;
		/* -INT64_MIN is not an int64_t: build it from -(m - 1) - 1. */
		*sv = m == 0 ? 0 : -(int64_t)(m - 1) - 1;
	} else {
		if (m >= limit)
			return -1;
		*sv = (int64_t)m;
	}
	return 0;
}

/*
 * A float or double.  Overflow (a finite text too big for the type) is an
 * error; underflow rounds to the nearest value, as 0.1 does, and is not.
 */
static int
parse_float(const char *s, int is_double, float *f, double *d)
{
	locale_t loc, old = (locale_t)0;
	char *e;
	int r = -1;

	/* strtod() would skip blanks and read nothing as 0. */
	if (s[0] == '\0' || is_space(s[0]))
		return -1;
	if ((loc = parse_c_locale()) != (locale_t)0)
		old = uselocale(loc);
	errno = 0;
	if (is_double) {
		*d = strtod(s, &e);
		if (e != s && *e == '\0' && !(errno == ERANGE && isinf(*d)))
			r = 0;
	} else {
		*f = strtof(s, &e);
		if (e != s && *e == '\0' && !(errno == ERANGE && isinf(*f)))
			r = 0;
	}
	if (loc != (locale_t)0)
		uselocale(old);
	return r;
}

int
parse_value(enum value_type type, const char *s, void *out)
{
	union value v;
	int64_t sv = 0;
	uint64_t uv = 0;
	int r;

	switch (type) {
	case VT_I8:
		r = parse_int(s, 8, 1, &sv, &uv);
		v.i8 = (int8_t)sv;
		break;
	case VT_I16:
		r = parse_int(s, 16, 1, &sv, &uv);
		v.i16 = (int16_t)sv;
		break;
	case VT_I32:
		r = parse_int(s, 32, 1, &sv, &uv);
		v.i32 = (int32_t)sv;
		break;
	case VT_I64:
		r = parse_int(s, 64, 1, &sv, &uv);
		v.i64 = sv;
		break;
	case VT_U8:
		r = parse_int(s, 8, 0, &sv, &uv);
		v.u8 = (uint8_t)uv;
		break;
	case VT_U16:
		r = parse_int(s, 16, 0, &sv, &uv);
		v.u16 = (uint16_t)uv;
		break;
	case VT_U32:
		r = parse_int(s, 32, 0, &sv, &uv);
		v.u32 = (uint32_t)uv;
		break;
	case VT_U64:
		r = parse_int(s, 64, 0, &sv, &uv);
		v.u64 = uv;
		break;
	case VT_F32:
		r = parse_float(s, 0, &v.f32, &v.f64);
		break;
	case VT_F64:
		r = parse_float(s, 1, &v.f32, &v.f64);
		break;
	default:
		/* raw and hex are not values but streams. */
		return -1;
	}
	if (r == -1)
		return -1;
	/* Every member of the union starts at its first byte. */
	memcpy(out, &v, value_type_size(type));
	return 0;
}

int
parse_is_blank(char c)
{
	return is_space(c);
}

int
parse_is_hex_digit(char c)
{
	return digit_value(c) < 16;
}

ssize_t
parse_hex(const char *in, size_t len, unsigned char *out, int *half)
{
	size_t i, n = 0;
	int d;

	for (i = 0; i < len; i++) {
		if (is_space(in[i]))
			continue;
		if ((d = digit_value(in[i])) >= 16)
			return -1;
		if (*half < 0) {
			*half = d;
		} else {
			out[n++] = (unsigned char)(*half << 4 | d);
			*half = -1;
		}
	}
	return (ssize_t)n;
}

/* Durations, byte orders, wait expressions and records. */

static const struct suffix duration_units[] = {
	{ "",		1000000000ULL },
	{ "ms",		1000000ULL },
	{ "s",		1000000000ULL },
	{ "m",		60ULL * 1000000000ULL },
	{ "h",		3600ULL * 1000000000ULL },
	{ "d",		86400ULL * 1000000000ULL },
};

int
parse_duration(const char *s, uint64_t *ns)
{
	const char *end, *frac = NULL, *p;
	uint64_t whole, unit = 0, part = 0, scale;
	size_t i;

	if (scan_digits(s, 10, &whole, &end) == -1)
		return -1;
	if (*end == '.') {
		frac = end + 1;
		for (end = frac; *end >= '0' && *end <= '9'; end++)
			;
		if (end == frac)
			return -1;
	}
	for (i = 0; i < nitems(duration_units); i++)
		if (strcmp(end, duration_units[i].name) == 0)
			unit = duration_units[i].mult;
	if (unit == 0 || whole > UINT64_MAX / unit)
		return -1;
	/* Each digit of the fraction is worth a tenth of the one before. */
	scale = unit;
	for (p = frac; p != NULL && p < end && scale >= 10; p++) {
		scale /= 10;
		part += (uint64_t)(*p - '0') * scale;
	}
	if (whole * unit > UINT64_MAX - part)
		return -1;
	*ns = whole * unit + part;
	return 0;
}

static const char *const order_names[] = {
	[BO_NATIVE] = "native",
	[BO_LITTLE] = "little",
	[BO_BIG] = "big",
};

int
parse_endian(const char *s, enum byte_order *order)
{
	size_t i;

	for (i = 0; i < nitems(order_names); i++) {
		if (strcmp(s, order_names[i]) == 0) {
			*order = (enum byte_order)i;
			return 0;
		}
	}
	return -1;
}

const char *
byte_order_name(enum byte_order order)
{
	if ((size_t)order >= nitems(order_names))
		return "?";
	return order_names[order];
}

int
byte_order_swaps(enum byte_order order)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return order == BO_BIG;
#else
	return order == BO_LITTLE;
#endif
}

void
value_order(void *p, size_t size, enum byte_order order)
{
	unsigned char *b = p, t;
	size_t i;

	if (!byte_order_swaps(order))
		return;
	for (i = 0; i < size / 2; i++) {
		t = b[i];
		b[i] = b[size - 1 - i];
		b[size - 1 - i] = t;
	}
}

static const char *const op_names[] = {
	[VOP_EQ] = "==",
	[VOP_NE] = "!=",
	[VOP_LT] = "<",
	[VOP_LE] = "<=",
	[VOP_GT] = ">",
	[VOP_GE] = ">=",
};

int
parse_value_expr(enum value_type type, const char *s, struct value_expr *e)
{
	enum value_op op = VOP_EQ;
	size_t i, len, best = 0;

	/* The longest operator that begins s: "<=" before "<". */
	for (i = 0; i < nitems(op_names); i++) {
		len = strlen(op_names[i]);
		if (len > best && strncmp(s, op_names[i], len) == 0) {
			op = (enum value_op)i;
			best = len;
		}
	}
	if (parse_value(type, s + best, &e->v) != 0)
		return -1;
	e->op = op;
	return 0;
}

const char *
value_op_str(enum value_op op)
{
	if ((size_t)op >= nitems(op_names))
		return "?";
	return op_names[op];
}

/* -1, 0 or 1 as a is below, equal to or above b; 2 when unordered (NaN). */
static int
value_cmp(enum value_type type, const union value *a, const union value *b)
{
#define CMP(x, y)	((x) < (y) ? -1 : (x) > (y) ? 1 : (x) == (y) ? 0 : 2)
	switch (type) {
	case VT_I8:
		return CMP(a->i8, b->i8);
	case VT_I16:
		return CMP(a->i16, b->i16);
	case VT_I32:
		return CMP(a->i32, b->i32);
	case VT_I64:
		return CMP(a->i64, b->i64);
	case VT_U8:
		return CMP(a->u8, b->u8);
	case VT_U16:
		return CMP(a->u16, b->u16);
	case VT_U32:
		return CMP(a->u32, b->u32);
	case VT_U64:
		return CMP(a->u64, b->u64);
	case VT_F32:
		return CMP(a->f32, b->f32);
	case VT_F64:
		return CMP(a->f64, b->f64);
	default:
		return 2;
	}
#undef CMP
}

int
value_expr_holds(enum value_type type, const struct value_expr *e,
    const union value *v)
{
	int c = value_cmp(type, v, &e->v);

	switch (e->op) {
	case VOP_EQ:
		return c == 0;
	case VOP_NE:
		return c != 0;
	case VOP_LT:
		return c == -1;
	case VOP_LE:
		return c == -1 || c == 0;
	case VOP_GT:
		return c == 1;
	case VOP_GE:
		return c == 1 || c == 0;
	}
	return 0;
}

/* The most padding one xN may ask for. */
#define PAD_MAX		65536

int
parse_record(const char *s, struct record_type *rec)
{
	struct record_field *f = NULL, *nf;
	const char *p = s, *comma, *end;
	char name[8];
	size_t n = 0, nvalues = 0, off = 0, len;
	enum value_type type;
	uint64_t pad;

	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		nf = realloc(f, (n + 1) * sizeof(*f));
		if (nf == NULL)
			goto bad;
		f = nf;
		if (len > 1 && p[0] == 'x') {
			if (scan_digits(p + 1, 10, &pad, &end) == -1 ||
			    end != p + len || pad < 1 || pad > PAD_MAX)
				goto bad;
			f[n].type = VT_RAW;
			f[n].size = (size_t)pad;
		} else {
			if (len == 0 || len >= sizeof(name))
				goto bad;
			memcpy(name, p, len);
			name[len] = '\0';
			if (parse_type(name, &type) != 0 || type == VT_RAW ||
			    type == VT_HEX)
				goto bad;
			f[n].type = type;
			f[n].size = value_type_size(type);
			nvalues++;
		}
		f[n].offset = off;
		off += f[n].size;
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (nvalues == 0)
		goto bad;
	rec->field = f;
	rec->n = n;
	rec->nvalues = nvalues;
	rec->size = off;
	return 0;
bad:
	free(f);
	return -1;
}

void
record_free(struct record_type *rec)
{
	free(rec->field);
	rec->field = NULL;
	rec->n = rec->nvalues = rec->size = 0;
}
