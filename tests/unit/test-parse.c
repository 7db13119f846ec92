/*
 * Unit tests of parse.c.  Most cases are the ones strtoull() gets wrong
 * when used naively: blanks, signs, "0x" twice, overflow, and overflow
 * that only happens once a suffix multiplies the number.
 */
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "check.h"

/* Reports the text as well, which #cond alone would not show. */
static void
check_text(int ok, const char *fn, const char *s, int line)
{
	checks++;
	if (ok)
		return;
	failures++;
	fprintf(stderr, "test-parse.c:%d: %s(\"%s\") is wrong\n", line, fn, s);
}

static void
size_ok(const char *s, uint64_t want, int line)
{
	uint64_t v = 0xdeadbeef;

	check_text(parse_size(s, &v) == 0 && v == want, "parse_size", s, line);
}

static void
size_bad(const char *s, int line)
{
	uint64_t v = 0xdeadbeef;

	/* A failed parse must not touch the result either. */
	check_text(parse_size(s, &v) == -1 && v == 0xdeadbeef, "parse_size",
	    s, line);
}

#define SIZE_OK(s, v)	size_ok((s), (v), __LINE__)
#define SIZE_BAD(s)	size_bad((s), __LINE__)

static void
test_size(void)
{
	SIZE_OK("0", 0);
	SIZE_OK("1", 1);
	SIZE_OK("4096", 4096);
	SIZE_OK("007", 7);
	SIZE_OK("0x10", 16);
	SIZE_OK("0X10", 16);
	SIZE_OK("0xfF", 255);
	SIZE_OK("0x0", 0);
	SIZE_OK("18446744073709551615", UINT64_MAX);
	SIZE_OK("0xffffffffffffffff", UINT64_MAX);

	SIZE_OK("1K", 1024);
	SIZE_OK("1KiB", 1024);
	SIZE_OK("1M", 1048576);
	SIZE_OK("1MiB", 1048576);
	SIZE_OK("1G", 1073741824);
	SIZE_OK("1GiB", 1073741824);
	SIZE_OK("1KB", 1000);
	SIZE_OK("1MB", 1000000);
	SIZE_OK("1GB", 1000000000);
	SIZE_OK("3K", 3072);
	SIZE_OK("0K", 0);
	SIZE_OK("0x10K", 16384);
	/* B is a hex digit: this is 0x1b, not one kilobyte... */
	SIZE_OK("0x1B", 27);
	/* ...but K is not, so this is 0x1 KB. */
	SIZE_OK("0x1KB", 1000);
	SIZE_OK("17179869183G", 17179869183ULL << 30);
	SIZE_OK("17179869183GiB", 17179869183ULL << 30);
	SIZE_OK("18446744073GB", 18446744073000000000ULL);

	SIZE_BAD("");
	SIZE_BAD(" 1");
	SIZE_BAD("\t1");
	SIZE_BAD("1 ");
	SIZE_BAD("-1");
	SIZE_BAD("+1");
	SIZE_BAD("-0");
	SIZE_BAD("1x");
	SIZE_BAD("12abc");
	SIZE_BAD("0x");
	SIZE_BAD("0x ");
	SIZE_BAD("0x-1");
	SIZE_BAD("0x+1");
	SIZE_BAD("0x 1");
	SIZE_BAD("0x0x1");
	SIZE_BAD("0xg");
	SIZE_BAD("x10");
	SIZE_BAD("K");
	SIZE_BAD("1.5K");
	SIZE_BAD("1e3");
	SIZE_BAD("18446744073709551616");
	SIZE_BAD("99999999999999999999999");
	SIZE_BAD("0x10000000000000000");
	SIZE_BAD("17179869184G");
	SIZE_BAD("17179869184GiB");
	SIZE_BAD("18014398509481984K");
	SIZE_BAD("18446744074GB");
	SIZE_BAD("18446744073709552KB");
	/* Suffixes are exactly as listed. */
	SIZE_BAD("1k");
	SIZE_BAD("1m");
	SIZE_BAD("1g");
	SIZE_BAD("1kB");
	SIZE_BAD("1Kb");
	SIZE_BAD("1KIB");
	SIZE_BAD("1kib");
	SIZE_BAD("1T");
	SIZE_BAD("1TB");
	SIZE_BAD("1B");
	SIZE_BAD("1 K");
	SIZE_BAD("1K ");
	SIZE_BAD("1KK");
	SIZE_BAD("1KiBB");
}

static void
key_ok(const char *s, key_t want, int line)
{
	key_t k = 12345;

	check_text(parse_key(s, &k) == 0 && k == want, "parse_key", s, line);
}

static void
key_bad(const char *s, int line)
{
	key_t k = 12345;

	check_text(parse_key(s, &k) == -1 && k == 12345, "parse_key", s,
	    line);
}

#define KEY_OK(s, v)	key_ok((s), (v), __LINE__)
#define KEY_BAD(s)	key_bad((s), __LINE__)

static void
test_key(void)
{
	KEY_OK("1", 1);
	KEY_OK("0x1", 1);
	KEY_OK("0x0000abcd", 0xabcd);
	KEY_OK("43981", 0xabcd);
	KEY_OK("2147483647", INT_MAX);
	KEY_OK("0x7fffffff", INT_MAX);
	KEY_OK("0x80000000", INT_MIN);
	KEY_OK("4294967295", -1);
	KEY_OK("0xffffffff", -1);
	KEY_OK("0xFFFFFFFF", -1);

	KEY_BAD("0");
	KEY_BAD("0x0");
	KEY_BAD("00");
	KEY_BAD("0x100000000");
	KEY_BAD("4294967296");
	KEY_BAD("18446744073709551615");
	KEY_BAD("-1");
	KEY_BAD("+1");
	KEY_BAD("");
	KEY_BAD(" 1");
	KEY_BAD("1 ");
	KEY_BAD("0x");
	KEY_BAD("0x1g");
	KEY_BAD("1K");
	KEY_BAD("0x0x1");
}

static void
test_id(void)
{
	int id = 7;

	CHECK(parse_id("0", &id) == 0 && id == 0);
	CHECK(parse_id("42", &id) == 0 && id == 42);
	CHECK(parse_id("032", &id) == 0 && id == 32);
	CHECK(parse_id("2147483647", &id) == 0 && id == INT_MAX);
	id = 7;
	CHECK(parse_id("2147483648", &id) == -1 && id == 7);
	CHECK(parse_id("4294967295", &id) == -1);
	CHECK(parse_id("18446744073709551616", &id) == -1);
	CHECK(parse_id("-1", &id) == -1);
	CHECK(parse_id("+1", &id) == -1);
	CHECK(parse_id("", &id) == -1);
	CHECK(parse_id(" 1", &id) == -1);
	CHECK(parse_id("1 ", &id) == -1);
	CHECK(parse_id("0x10", &id) == -1);
	CHECK(parse_id("1K", &id) == -1);
	CHECK(id == 7);
}

static void
test_mode(void)
{
	unsigned int m = 1;

	CHECK(parse_mode("600", &m) == 0 && m == 0600);
	CHECK(parse_mode("0640", &m) == 0 && m == 0640);
	CHECK(parse_mode("0", &m) == 0 && m == 0);
	CHECK(parse_mode("777", &m) == 0 && m == 0777);
	CHECK(parse_mode("0777", &m) == 0 && m == 0777);
	CHECK(parse_mode("00644", &m) == 0 && m == 0644);
	CHECK(parse_mode("7", &m) == 0 && m == 07);
	m = 1;
	CHECK(parse_mode("1000", &m) == -1);
	CHECK(parse_mode("01000", &m) == -1);
	CHECK(parse_mode("8", &m) == -1);
	CHECK(parse_mode("648", &m) == -1);
	CHECK(parse_mode("0x1", &m) == -1);
	CHECK(parse_mode("", &m) == -1);
	CHECK(parse_mode(" 600", &m) == -1);
	CHECK(parse_mode("600 ", &m) == -1);
	CHECK(parse_mode("-600", &m) == -1);
	CHECK(parse_mode("+600", &m) == -1);
	CHECK(parse_mode("rw", &m) == -1);
	CHECK(parse_mode("99999999999999999999999", &m) == -1);
	CHECK(m == 1);
}

static void
test_proj(void)
{
	int p = 0;

	CHECK(parse_proj("A", &p) == 0 && p == 65);
	CHECK(parse_proj("z", &p) == 0 && p == 'z');
	CHECK(parse_proj(" ", &p) == 0 && p == ' ');
	CHECK(parse_proj("-", &p) == 0 && p == '-');
	CHECK(parse_proj("\xff", &p) == 0 && p == 255);
	CHECK(parse_proj("7", &p) == 0 && p == 7);
	CHECK(parse_proj("1", &p) == 0 && p == 1);
	CHECK(parse_proj("65", &p) == 0 && p == 65);
	CHECK(parse_proj("255", &p) == 0 && p == 255);
	CHECK(parse_proj("0x41", &p) == 0 && p == 65);
	CHECK(parse_proj("0xff", &p) == 0 && p == 255);
	p = 3;
	CHECK(parse_proj("0", &p) == -1);
	CHECK(parse_proj("0x0", &p) == -1);
	CHECK(parse_proj("256", &p) == -1);
	CHECK(parse_proj("0x100", &p) == -1);
	CHECK(parse_proj("", &p) == -1);
	CHECK(parse_proj("AB", &p) == -1);
	CHECK(parse_proj("-1", &p) == -1);
	CHECK(parse_proj(" 1", &p) == -1);
	CHECK(parse_proj("1 ", &p) == -1);
	CHECK(parse_proj("1A", &p) == -1);
	CHECK(p == 3);
}

static void
test_type(void)
{
	static const struct {
		const char	*name;
		enum value_type	 type;
		size_t		 size;
	} types[] = {
		{ "raw", VT_RAW, 1 }, { "hex", VT_HEX, 1 },
		{ "i8", VT_I8, 1 }, { "i16", VT_I16, 2 },
		{ "i32", VT_I32, 4 }, { "i64", VT_I64, 8 },
		{ "u8", VT_U8, 1 }, { "u16", VT_U16, 2 },
		{ "u32", VT_U32, 4 }, { "u64", VT_U64, 8 },
		{ "f32", VT_F32, 4 }, { "f64", VT_F64, 8 },
	};
	enum value_type t;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		t = VT_RAW;
		CHECK(parse_type(types[i].name, &t) == 0 &&
		    t == types[i].type);
		CHECK(strcmp(value_type_name(types[i].type),
		    types[i].name) == 0);
		CHECK(value_type_size(types[i].type) == types[i].size);
	}
	t = VT_U8;
	CHECK(parse_type("", &t) == -1);
	CHECK(parse_type("I32", &t) == -1);
	CHECK(parse_type("int", &t) == -1);
	CHECK(parse_type("i32 ", &t) == -1);
	CHECK(parse_type("u128", &t) == -1);
	CHECK(parse_type("f16", &t) == -1);
	CHECK(t == VT_U8);
}

/*
 * parse_value() into a buffer larger than the type, to see that it writes
 * value_type_size() bytes and no more.
 */
static int
value(enum value_type t, const char *s, void *out)
{
	unsigned char buf[16];
	size_t i, n = value_type_size(t);

	memset(buf, 0xa5, sizeof(buf));
	if (parse_value(t, s, buf) != 0)
		return -1;
	for (i = n; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			return -2;
	memcpy(out, buf, n);
	return 0;
}

static void
int_ok(enum value_type t, const char *s, int64_t want, int line)
{
	union {
		int8_t	i8;
		int16_t	i16;
		int32_t	i32;
		int64_t	i64;
	} u;
	int64_t got = 0;
	int ok = value(t, s, &u) == 0;

	if (ok) {
		switch (t) {
		case VT_I8:
			got = u.i8;
			break;
		case VT_I16:
			got = u.i16;
			break;
		case VT_I32:
			got = u.i32;
			break;
		default:
			got = u.i64;
			break;
		}
	}
	check_text(ok && got == want, value_type_name(t), s, line);
}

static void
uint_ok(enum value_type t, const char *s, uint64_t want, int line)
{
	union {
		uint8_t	 u8;
		uint16_t u16;
		uint32_t u32;
		uint64_t u64;
	} u;
	uint64_t got = 0;
	int ok = value(t, s, &u) == 0;

	if (ok) {
		switch (t) {
		case VT_U8:
			got = u.u8;
			break;
		case VT_U16:
			got = u.u16;
			break;
		case VT_U32:
			got = u.u32;
			break;
		default:
			got = u.u64;
			break;
		}
	}
	check_text(ok && got == want, value_type_name(t), s, line);
}

static void
value_bad(enum value_type t, const char *s, int line)
{
	unsigned char buf[8];

	check_text(value(t, s, buf) == -1, value_type_name(t), s, line);
}

#define INT_OK(t, s, v)		int_ok((t), (s), (v), __LINE__)
#define UINT_OK(t, s, v)	uint_ok((t), (s), (v), __LINE__)
#define VALUE_BAD(t, s)		value_bad((t), (s), __LINE__)

static void
test_int_values(void)
{
	INT_OK(VT_I8, "-128", INT8_MIN);
	INT_OK(VT_I8, "127", INT8_MAX);
	INT_OK(VT_I8, "0", 0);
	INT_OK(VT_I8, "-0", 0);
	INT_OK(VT_I8, "+5", 5);
	INT_OK(VT_I8, "-0x80", INT8_MIN);
	INT_OK(VT_I8, "0x7f", INT8_MAX);
	VALUE_BAD(VT_I8, "-129");
	VALUE_BAD(VT_I8, "128");
	VALUE_BAD(VT_I8, "0x80");
	VALUE_BAD(VT_I8, "0xff");
	VALUE_BAD(VT_I8, "-0x81");

	INT_OK(VT_I16, "-32768", INT16_MIN);
	INT_OK(VT_I16, "32767", INT16_MAX);
	INT_OK(VT_I16, "-2", -2);
	INT_OK(VT_I16, "300", 300);
	VALUE_BAD(VT_I16, "-32769");
	VALUE_BAD(VT_I16, "32768");

	INT_OK(VT_I32, "-2147483648", INT32_MIN);
	INT_OK(VT_I32, "2147483647", INT32_MAX);
	INT_OK(VT_I32, "3", 3);
	VALUE_BAD(VT_I32, "-2147483649");
	VALUE_BAD(VT_I32, "2147483648");
	VALUE_BAD(VT_I32, "0xffffffff");

	INT_OK(VT_I64, "-9223372036854775808", INT64_MIN);
	INT_OK(VT_I64, "9223372036854775807", INT64_MAX);
	INT_OK(VT_I64, "-0x8000000000000000", INT64_MIN);
	INT_OK(VT_I64, "0x7fffffffffffffff", INT64_MAX);
	VALUE_BAD(VT_I64, "-9223372036854775809");
	VALUE_BAD(VT_I64, "9223372036854775808");
	VALUE_BAD(VT_I64, "-18446744073709551616");
	VALUE_BAD(VT_I64, "18446744073709551616");

	UINT_OK(VT_U8, "0", 0);
	UINT_OK(VT_U8, "255", UINT8_MAX);
	UINT_OK(VT_U8, "0xff", UINT8_MAX);
	VALUE_BAD(VT_U8, "256");
	VALUE_BAD(VT_U8, "0x100");

	UINT_OK(VT_U16, "65535", UINT16_MAX);
	VALUE_BAD(VT_U16, "65536");

	UINT_OK(VT_U32, "4294967295", UINT32_MAX);
	UINT_OK(VT_U32, "0xdeadbeef", 0xdeadbeef);
	VALUE_BAD(VT_U32, "4294967296");

	UINT_OK(VT_U64, "18446744073709551615", UINT64_MAX);
	UINT_OK(VT_U64, "0xffffffffffffffff", UINT64_MAX);
	VALUE_BAD(VT_U64, "18446744073709551616");
	VALUE_BAD(VT_U64, "0x10000000000000000");

	/* No sign for the unsigned types, not even "-0". */
	VALUE_BAD(VT_U8, "-1");
	VALUE_BAD(VT_U32, "-0");
	VALUE_BAD(VT_U64, "-1");
	VALUE_BAD(VT_U64, "+1");

	VALUE_BAD(VT_I32, "");
	VALUE_BAD(VT_I32, "-");
	VALUE_BAD(VT_I32, "+");
	VALUE_BAD(VT_I32, "--1");
	VALUE_BAD(VT_I32, "-+1");
	VALUE_BAD(VT_I32, "- 1");
	VALUE_BAD(VT_I32, " 1");
	VALUE_BAD(VT_I32, "1 ");
	VALUE_BAD(VT_I32, "1x");
	VALUE_BAD(VT_I32, "0x");
	VALUE_BAD(VT_I32, "-0x");
	VALUE_BAD(VT_I32, "0x-1");
	VALUE_BAD(VT_I32, "1.0");
	VALUE_BAD(VT_I32, "1K");
	VALUE_BAD(VT_U16, "");
	VALUE_BAD(VT_U16, " 7");

	/* Not number types. */
	VALUE_BAD(VT_RAW, "1");
	VALUE_BAD(VT_HEX, "1");
}

static void
f32_ok(const char *s, float want, int line)
{
	float f;
	int ok = value(VT_F32, s, &f) == 0;

	check_text(ok && (isnan(want) ? isnan(f) :
	    f == want && !signbit(f) == !signbit(want)), "f32", s, line);
}

static void
f64_ok(const char *s, double want, int line)
{
	double d;
	int ok = value(VT_F64, s, &d) == 0;

	check_text(ok && (isnan(want) ? isnan(d) :
	    d == want && !signbit(d) == !signbit(want)), "f64", s, line);
}

#define F32_OK(s, v)	f32_ok((s), (v), __LINE__)
#define F64_OK(s, v)	f64_ok((s), (v), __LINE__)

static void
test_float_values(void)
{
	F32_OK("0", 0.0f);
	F32_OK("-0", -0.0f);
	F32_OK("1.5", 1.5f);
	F32_OK("-2.5e3", -2500.0f);
	F32_OK("0.1", 0.1f);
	F32_OK("+3", 3.0f);
	F32_OK(".5", 0.5f);
	F32_OK("3.4028235e+38", FLT_MAX);
	F32_OK("-3.4028235e+38", -FLT_MAX);
	F32_OK("1e-45", FLT_TRUE_MIN);
	F32_OK("inf", INFINITY);
	F32_OK("-inf", -INFINITY);
	F32_OK("infinity", INFINITY);
	F32_OK("nan", NAN);
	F32_OK("0x1p-2", 0.25f);
	/* Too small for a float rounds to zero, as 0.1 rounds. */
	F32_OK("1e-50", 0.0f);
	VALUE_BAD(VT_F32, "3.5e38");
	VALUE_BAD(VT_F32, "-3.5e38");
	VALUE_BAD(VT_F32, "1e39");
	VALUE_BAD(VT_F32, "1e400");

	F64_OK("0.1", 0.1);
	F64_OK("-0", -0.0);
	F64_OK("1.7976931348623157e308", DBL_MAX);
	F64_OK("3.5e38", 3.5e38);
	F64_OK("5e-324", DBL_TRUE_MIN);
	F64_OK("-inf", -INFINITY);
	F64_OK("NaN", NAN);
	VALUE_BAD(VT_F64, "1e309");
	VALUE_BAD(VT_F64, "-1e309");

	VALUE_BAD(VT_F32, "");
	VALUE_BAD(VT_F64, "");
	VALUE_BAD(VT_F64, " 1");
	VALUE_BAD(VT_F64, "\t1");
	VALUE_BAD(VT_F64, "1 ");
	VALUE_BAD(VT_F64, "1.5x");
	VALUE_BAD(VT_F64, "1,5");
	VALUE_BAD(VT_F64, "abc");
	VALUE_BAD(VT_F64, ".");
	VALUE_BAD(VT_F64, "-");
	VALUE_BAD(VT_F64, "e5");
	VALUE_BAD(VT_F32, "1e");
	VALUE_BAD(VT_F32, "nanx");
}

/*
 * A locale whose decimal point is a comma must not change what "1.5"
 * means.  Skipped where no such locale is installed.
 */
static void
test_float_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_NUMERIC, names[i]) != NULL)
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		printf("test-parse: no comma locale, skipped\n");
		return;
	}
	F32_OK("1.5", 1.5f);
	F64_OK("0.1", 0.1);
	VALUE_BAD(VT_F64, "1,5");
	setlocale(LC_NUMERIC, "C");
}

/* Feeds s to parse_hex() in pieces of step bytes, as a reader would. */
static ssize_t
hex_in_steps(const char *s, size_t step, unsigned char *out, int *half)
{
	size_t len = strlen(s), off, n;
	ssize_t r, total = 0;

	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		if ((r = parse_hex(s + off, n, out + total, half)) == -1)
			return -1;
		CHECK((size_t)r <= (n + 1) / 2);
		total += r;
	}
	return total;
}

static void
test_hex(void)
{
	static const unsigned char want[] = {
		0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0xab, 0xcd,
	};
	const char *text = " de ad\tBE EF\n00 01\r\n\v\fab cD  ";
	unsigned char out[64];
	size_t step;
	ssize_t r;
	int half;

	for (step = 1; step <= strlen(text); step++) {
		half = -1;
		memset(out, 0, sizeof(out));
		r = hex_in_steps(text, step, out, &half);
		CHECK(r == (ssize_t)sizeof(want) && half == -1 &&
		    memcmp(out, want, sizeof(want)) == 0);
	}

	/* An odd digit waits for the next call. */
	half = -1;
	CHECK(parse_hex("a", 1, out, &half) == 0 && half == 0xa);
	CHECK(parse_hex("b", 1, out, &half) == 1 && half == -1 &&
	    out[0] == 0xab);
	CHECK(parse_hex("123", 3, out, &half) == 1 && half == 3 &&
	    out[0] == 0x12);
	CHECK(parse_hex(" 4 5 ", 5, out, &half) == 1 && half == 5 &&
	    out[0] == 0x34);
	CHECK(parse_hex("6", 1, out, &half) == 1 && half == -1 &&
	    out[0] == 0x56);

	/* So input that ends with one is incomplete. */
	half = -1;
	CHECK(parse_hex("abc", 3, out, &half) == 1 && half == 0xc);

	half = -1;
	CHECK(parse_hex("", 0, out, &half) == 0 && half == -1);
	CHECK(parse_hex(" \n\t", 3, out, &half) == 0 && half == -1);
	/* The length counts, not a NUL: "ab" of "abcd". */
	CHECK(parse_hex("abcd", 2, out, &half) == 1 && out[0] == 0xab);
	CHECK(parse_hex("0123456789abcdefABCDEF", 22, out, &half) == 11 &&
	    memcmp(out, "\x01\x23\x45\x67\x89\xab\xcd\xef\xab\xcd\xef",
	    11) == 0);

	half = -1;
	CHECK(parse_hex("abxy", 4, out, &half) == -1);
	half = -1;
	CHECK(parse_hex("0x12", 4, out, &half) == -1);
	half = -1;
	CHECK(parse_hex("12:34", 5, out, &half) == -1);
	half = -1;
	CHECK(parse_hex("g", 1, out, &half) == -1);
	half = -1;
	CHECK(parse_hex("1\0002", 3, out, &half) == -1);
	half = -1;
	CHECK(parse_hex("-1", 2, out, &half) == -1);
}

int
main(void)
{
	test_size();
	test_key();
	test_id();
	test_mode();
	test_proj();
	test_type();
	test_int_values();
	test_float_values();
	test_float_locale();
	test_hex();
	return check_report("test-parse");
}
