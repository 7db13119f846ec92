/*
 * Unit tests of format.c.  The expected hexdumps are the output of
 * util-linux's hexdump -C (2.38.1) for the same bytes, pasted as they came:
 * the point of format_hexdump() is to be indistinguishable from it.
 */
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "parse.h"
#include "check.h"

/* A memory stream: the functions under test write to a FILE. */
struct capture {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

static void
capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->fp = open_memstream(&c->buf, &c->len)) == NULL) {
		perror("open_memstream");
		exit(99);
	}
}

/* Returns the text written, which the caller frees. */
static char *
capture_close(struct capture *c)
{
	if (fclose(c->fp) != 0) {
		perror("fclose");
		exit(99);
	}
	return c->buf;
}

/* The bytes of the "lcg" case: glibc's old rand(), seed 1. */
static void
lcg_fill(unsigned char *p, size_t n)
{
	uint32_t x = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
}

/* one: hexdump -C */
static const char hd_one[] =
	"00000000  61                                                "
	    "|a|\n"
	"00000001\n";

/* half: hexdump -C */
static const char hd_half[] =
	"00000000  61 62 63 64 65 66 67 68                           "
	    "|abcdefgh|\n"
	"00000008\n";

/* sixteen: hexdump -C */
static const char hd_sixteen[] =
	"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
	    "|0123456789abcdef|\n"
	"00000010\n";

/* seventeen: hexdump -C */
static const char hd_seventeen[] =
	"00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
	    "|0123456789abcdef|\n"
	"00000010  67                                                "
	    "|g|\n"
	"00000011\n";

/* allbytes: hexdump -C */
static const char hd_allbytes[] =
	"00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  "
	    "|................|\n"
	"00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  "
	    "|................|\n"
	"00000020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  "
	    "| !\"#$%&'()*+,-./|\n"
	"00000030  30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f  "
	    "|0123456789:;<=>?|\n"
	"00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  "
	    "|@ABCDEFGHIJKLMNO|\n"
	"00000050  50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f  "
	    "|PQRSTUVWXYZ[\\]^_|\n"
	"00000060  60 61 62 63 64 65 66 67  68 69 6a 6b 6c 6d 6e 6f  "
	    "|`abcdefghijklmno|\n"
	"00000070  70 71 72 73 74 75 76 77  78 79 7a 7b 7c 7d 7e 7f  "
	    "|pqrstuvwxyz{|}~.|\n"
	"00000080  80 81 82 83 84 85 86 87  88 89 8a 8b 8c 8d 8e 8f  "
	    "|................|\n"
	"00000090  90 91 92 93 94 95 96 97  98 99 9a 9b 9c 9d 9e 9f  "
	    "|................|\n"
	"000000a0  a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af  "
	    "|................|\n"
	"000000b0  b0 b1 b2 b3 b4 b5 b6 b7  b8 b9 ba bb bc bd be bf  "
	    "|................|\n"
	"000000c0  c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf  "
	    "|................|\n"
	"000000d0  d0 d1 d2 d3 d4 d5 d6 d7  d8 d9 da db dc dd de df  "
	    "|................|\n"
	"000000e0  e0 e1 e2 e3 e4 e5 e6 e7  e8 e9 ea eb ec ed ee ef  "
	    "|................|\n"
	"000000f0  f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff  "
	    "|................|\n"
	"00000100\n";

/* mixed: hexdump -C */
static const char hd_mixed[] =
	"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  "
	    "|AAAAAAAAAAAAAAAA|\n"
	"00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
	    "|................|\n"
	"*\n"
	"00000050  42 42 42 42 42 42 42 42  42 42 42 42 42 42 42 42  "
	    "|BBBBBBBBBBBBBBBB|\n"
	"*\n"
	"00000070  78 79 7a                                          "
	    "|xyz|\n"
	"00000073\n";

/* foldpartial: hexdump -C */
static const char hd_foldpartial[] =
	"00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
	    "|................|\n"
	"*\n"
	"00000020  00 00 00 00 00                                    "
	    "|.....|\n"
	"00000025\n";

/* zeros64k: hexdump -C */
static const char hd_zeros64k[] =
	"00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
	    "|................|\n"
	"*\n"
	"00010000\n";

/* base: hexdump -C -s 0x1000 */
static const char hd_base[] =
	"00001000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  "
	    "|abcdefghijklmnop|\n"
	"00001010  71 72 73 74                                       "
	    "|qrst|\n"
	"00001014\n";

/* base4g: hexdump -C -s 0xfffffff8 */
static const char hd_base4g[] =
	"fffffff8  03 0a 11 18 1f 26 2d 34  3b 42 49 50 57 5e 65 6c  "
	    "|.....&-4;BIPW^el|\n"
	"100000008  73 7a 81 88 8f 96 9d a4  ab b2 b9 c0 c7 ce d5 dc  "
	    "|sz..............|\n"
	"100000018  e3 ea f1 f8 ff 06 0d 14                           "
	    "|........|\n"
	"100000020\n";

/* lcg: hexdump -C */
static const char hd_lcg[] =
	"00000000  c6 7e 81 6b 4b fb e2 fb  54 f6 bd df 7c 1c e1 87  "
	    "|.~.kK...T...|...|\n"
	"00000010  01 bf 31 de 56 72 0f 47  67 66 87 59 aa 88 3c 59  "
	    "|..1.Vr.Ggf.Y..<Y|\n"
	"00000020  ea 56 13 7b d2 85 a1 d8  3c 54 55 2f 37 ae 65 5b  "
	    "|.V.{....<TU/7.e[|\n"
	"00000030  da 02 79 98 cc e3 1a 76  8e 5f d9 99 8f 1f 3f 36  "
	    "|..y....v._....?6|\n"
	"00000040  ee 43 78 4d 0d fa be a6  da e4 86 8e dc 29 6d 4e  "
	    "|.CxM.........)mN|\n"
	"00000050  ff 56 e1 70 20 fb 8f b1  58 05 90 c5 09 dc 53 cd  "
	    "|.V.p ...X.....S.|\n"
	"00000060  aa 3b 48 99                                       "
	    "|.;H.|\n"
	"00000064\n";

static void
check_hexdump(const void *p, size_t n, uint64_t base, const char *want,
    const char *what, int line)
{
	struct capture c;
	char *got;

	capture_open(&c);
	format_hexdump(c.fp, p, n, base);
	got = capture_close(&c);
	check_str(got, want, what, line);
	free(got);
}

#define HEXDUMP(p, n, base, want) \
	check_hexdump((p), (n), (base), (want), #want, __LINE__)

/*
 * Offsets past 32 bits take more than eight digits, as in hexdump; at 2^60
 * every line is as long as a line can be, which tests the buffering.
 */
static void
test_hexdump_wide(void)
{
	static unsigned char data[4096];
	struct capture c;
	char *got, *last;
	size_t n, lines = 0;

	lcg_fill(data, sizeof(data));
	for (n = 1000; n <= sizeof(data); n += 8) {
		capture_open(&c);
		format_hexdump(c.fp, data, n, 1ULL << 60);
		got = capture_close(&c);
		lines = 0;
		for (last = got; strchr(last, '\n')[1] != '\0'; lines++)
			last = strchr(last, '\n') + 1;
		CHECK(lines == (n + 15) / 16);
		CHECK(strtoull(last, NULL, 16) == (1ULL << 60) + n);
		CHECK(strlen(got) == n / 16 * 87 + (n % 16 ? 87 - 16 +
		    n % 16 : 0) + 17);
		free(got);
	}
}

static void
test_hexdump(void)
{
	static unsigned char zeros[65536];
	unsigned char buf[256];
	size_t i;

	HEXDUMP("", 0, 0, "");
	HEXDUMP("a", 1, 0, hd_one);
	HEXDUMP("abcdefgh", 8, 0, hd_half);
	HEXDUMP("0123456789abcdef", 16, 0, hd_sixteen);
	HEXDUMP("0123456789abcdefg", 17, 0, hd_seventeen);

	for (i = 0; i < 256; i++)
		buf[i] = (unsigned char)i;
	HEXDUMP(buf, 256, 0, hd_allbytes);

	/* 16 'A', 64 NUL, 32 'B', "xyz": two separate folds. */
	memset(buf, 'A', 16);
	memset(buf + 16, 0, 64);
	memset(buf + 80, 'B', 32);
	memcpy(buf + 112, "xyz", 3);
	HEXDUMP(buf, 115, 0, hd_mixed);

	HEXDUMP(zeros, 37, 0, hd_foldpartial);
	HEXDUMP(zeros, sizeof(zeros), 0, hd_zeros64k);
	HEXDUMP("abcdefghijklmnopqrst", 20, 0x1000, hd_base);

	for (i = 0; i < 40; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	HEXDUMP(buf, 40, 0xfffffff8, hd_base4g);

	lcg_fill(buf, 100);
	HEXDUMP(buf, 100, 0, hd_lcg);

	test_hexdump_wide();
}

static void
check_values(enum value_type type, const void *p, size_t count,
    const char *want, int line)
{
	struct capture c;
	char *got;

	capture_open(&c);
	format_values(c.fp, type, p, count);
	got = capture_close(&c);
	check_str(got, want, value_type_name(type), line);
	free(got);
}

#define VALUES(type, arr, want) \
	check_values((type), (arr), sizeof(arr) / sizeof((arr)[0]), (want), \
	    __LINE__)

static void
test_values(void)
{
	static const int8_t i8[] = { INT8_MIN, -1, 0, INT8_MAX };
	static const int16_t i16[] = { INT16_MIN, -1, 300, INT16_MAX };
	static const int32_t i32[] = { INT32_MIN, -2, 3, INT32_MAX };
	static const int64_t i64[] = { INT64_MIN, -1, 0, INT64_MAX };
	static const uint8_t u8[] = { 0, 1, UINT8_MAX };
	static const uint16_t u16[] = { 0, 300, UINT16_MAX };
	static const uint32_t u32[] = { 0, 3, UINT32_MAX };
	static const uint64_t u64[] = { 0, 1, UINT64_MAX };
	static const float f32[] = {
		0.0f, -0.0f, 1.0f, 0.1f, 0.5f, 100.0f, 1.0f / 3.0f,
		3.14159265f, 16777216.0f, 1e10f, FLT_MAX, FLT_MIN,
		FLT_TRUE_MIN, -2.5f,
	};
	static const double f64[] = {
		0.0, -0.0, 1.0, 0.1, 1.0 / 3.0, 3.141592653589793, 1e16,
		9007199254740992.0, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -1e-300,
	};
	const float f32x[] = { NAN, -NAN, INFINITY, -INFINITY };
	const double f64x[] = { NAN, -NAN, INFINITY, -INFINITY };
	unsigned char buf[1 + sizeof(i64)];

	VALUES(VT_I8, i8, "-128\n-1\n0\n127\n");
	VALUES(VT_I16, i16, "-32768\n-1\n300\n32767\n");
	VALUES(VT_I32, i32, "-2147483648\n-2\n3\n2147483647\n");
	VALUES(VT_I64, i64,
	    "-9223372036854775808\n-1\n0\n9223372036854775807\n");
	VALUES(VT_U8, u8, "0\n1\n255\n");
	VALUES(VT_U16, u16, "0\n300\n65535\n");
	VALUES(VT_U32, u32, "0\n3\n4294967295\n");
	VALUES(VT_U64, u64, "0\n1\n18446744073709551615\n");
	VALUES(VT_F32, f32,
	    "0\n-0\n1\n0.1\n0.5\n100\n0.33333334\n"
	    "3.1415927\n16777216\n1e+10\n3.4028235e+38\n1.1754944e-38\n"
	    "1e-45\n-2.5\n");
	VALUES(VT_F64, f64,
	    "0\n-0\n1\n0.1\n0.3333333333333333\n3.141592653589793\n1e+16\n"
	    "9007199254740992\n1.7976931348623157e+308\n"
	    "2.2250738585072014e-308\n5e-324\n-1e-300\n");
	VALUES(VT_F32, f32x, "nan\nnan\ninf\n-inf\n");
	VALUES(VT_F64, f64x, "nan\nnan\ninf\n-inf\n");

	/* Values need not be aligned in the segment. */
	memcpy(buf + 1, &i64[0], sizeof(i64[0]));
	check_values(VT_I64, buf + 1, 1, "-9223372036854775808\n", __LINE__);

	check_values(VT_U32, u32, 0, "", __LINE__);
	check_values(VT_RAW, u8, 3, "", __LINE__);
}

/*
 * Whatever format_values() prints for a float, parse_value() reads back to
 * the same bits: the two halves of "shm write -t f64" and "shm read".
 */
static void
test_float_roundtrip(void)
{
	struct capture c;
	unsigned char bits[8], back[8];
	char *text, *nl;
	uint32_t x = 12345;
	int i, j, bad = 0;

	for (i = 0; i < 20000; i++) {
		enum value_type t = i % 2 ? VT_F64 : VT_F32;
		size_t sz = value_type_size(t);
		float f;
		double d;

		for (j = 0; j < 8; j++) {
			x = x * 1103515245u + 12345u;
			bits[j] = (unsigned char)(x >> 16);
		}
		if (t == VT_F32) {
			memcpy(&f, bits, sizeof(f));
			if (isnan(f))
				continue;
		} else {
			memcpy(&d, bits, sizeof(d));
			if (isnan(d))
				continue;
		}
		capture_open(&c);
		format_values(c.fp, t, bits, 1);
		text = capture_close(&c);
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		if (parse_value(t, text, back) != 0 ||
		    memcmp(bits, back, sz) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "round trip %s: %s\n",
				    value_type_name(t), text);
		}
		free(text);
	}
	CHECK(bad == 0);
}

/* A comma for a decimal point in the locale must not reach the output. */
static void
test_values_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	};
	static const float f32[] = { 1.5f, 0.1f };
	static const double f64[] = { 2.25, 1e-300 };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_NUMERIC, names[i]) != NULL)
			break;
	if (i == sizeof(names) / sizeof(names[0])) {
		printf("test-format: no comma locale, skipped\n");
		return;
	}
	VALUES(VT_F32, f32, "1.5\n0.1\n");
	VALUES(VT_F64, f64, "2.25\n1e-300\n");
	setlocale(LC_NUMERIC, "C");
}

static void
test_perms(void)
{
	char buf[10];

	check_str(format_perms(0, buf), "---------", "perms", __LINE__);
	check_str(format_perms(0600, buf), "rw-------", "perms", __LINE__);
	check_str(format_perms(0640, buf), "rw-r-----", "perms", __LINE__);
	check_str(format_perms(0777, buf), "rwxrwxrwx", "perms", __LINE__);
	check_str(format_perms(0421, buf), "r---w---x", "perms", __LINE__);
	check_str(format_perms(0124, buf), "--x-w-r--", "perms", __LINE__);
	/* SHM_DEST and SHM_LOCKED live above the nine bits. */
	check_str(format_perms(03640, buf), "rw-r-----", "perms", __LINE__);
	CHECK(format_perms(0, buf) == buf);
}

#define HUMAN(n, want) \
	check_str(format_human((n), buf), (want), #n, __LINE__)

static void
test_human(void)
{
	char buf[16];

	/* The figures lsipc 2.38.1 printed for segments of these sizes. */
	HUMAN(512, "512B");
	HUMAN(1023, "1023B");
	HUMAN(1024, "1K");
	HUMAN(1536, "1.5K");
	HUMAN(5000, "4.9K");
	HUMAN(10239, "10K");
	HUMAN(10240, "10K");
	HUMAN(10291, "10K");
	HUMAN(1048575, "1024K");
	HUMAN(1048576, "1M");
	HUMAN(1100000, "1M");
	HUMAN(12582912, "12M");
	HUMAN(123456789, "117.7M");
	HUMAN(1073741824, "1G");
	HUMAN(1610612736, "1.5G");

	HUMAN(0, "0B");
	HUMAN(1ULL << 40, "1T");
	HUMAN(3ULL << 49, "1.5P");
	HUMAN(1ULL << 60, "1E");
	HUMAN(UINT64_MAX, "16E");
	CHECK(format_human(1, buf) == buf);
}

/*
 * The hexdump fed in pieces, bytes and runs of zeros, is the hexdump of
 * the whole: pieces of every length, at every alignment to a line, among
 * bytes that are and are not zeros, and one run far too long to hold.
 */
static void
test_hexdump_pieces(void)
{
	static unsigned char whole[4096];
	struct capture a, b;
	struct hexdump h;
	uint32_t x = 7;
	size_t i, off, n, trial;
	char *got, *want;
	int zero;

	for (trial = 0; trial < 400; trial++) {
		/* pieces of 0 to 70 bytes, zeros or a pattern, at random */
		capture_open(&a);
		hexdump_start(&h, a.fp, trial * 3);
		for (off = 0; off < sizeof(whole) - 80; off += n) {
			x = x * 1103515245u + 12345u;
			n = (x >> 16) % 71;
			zero = (x >> 8) % 3 != 0;
			for (i = 0; i < n; i++)
				whole[off + i] = zero ? 0 : (unsigned char)
				    ((trial + i) % 3 == 0 ? 0 : 'a' + i % 2);
			if (zero)
				hexdump_zeros(&h, n);
			else
				hexdump_bytes(&h, whole + off, n);
		}
		hexdump_end(&h);
		got = capture_close(&a);
		capture_open(&b);
		format_hexdump(b.fp, whole, off, trial * 3);
		want = capture_close(&b);
		check_str(got, want, "pieces", __LINE__);
		free(got);
		free(want);
	}

	/* 1 TiB of zeros between two bytes, in no time and no memory */
	capture_open(&a);
	hexdump_start(&h, a.fp, 0);
	hexdump_bytes(&h, (const unsigned char *)"A", 1);
	hexdump_zeros(&h, 1ULL << 40);
	hexdump_bytes(&h, (const unsigned char *)"B", 1);
	hexdump_end(&h);
	got = capture_close(&a);
	CHECK_STR(got,
	    "00000000  41 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
		"|A...............|\n"
	    "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
		"|................|\n"
	    "*\n"
	    "10000000000  00 42                                             "
		"|.B|\n"
	    "10000000002\n");
	free(got);

	/* zeros alone, and nothing at all */
	capture_open(&a);
	hexdump_start(&h, a.fp, 5);
	hexdump_zeros(&h, 0x25);
	hexdump_end(&h);
	got = capture_close(&a);
	CHECK_STR(got, "00000005  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
	    "  |................|\n*\n00000025  00 00 00 00 00               "
	    "                     |.....|\n0000002a\n");
	free(got);
	capture_open(&a);
	hexdump_start(&h, a.fp, 5);
	hexdump_zeros(&h, 0);
	hexdump_end(&h);
	got = capture_close(&a);
	CHECK_STR(got, "");
	free(got);
}

int
main(void)
{
	test_hexdump();
	test_hexdump_pieces();
	test_values();
	test_float_roundtrip();
	test_values_locale();
	test_perms();
	test_human();
	return check_report("test-format");
}
