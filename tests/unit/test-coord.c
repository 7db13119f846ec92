/*
 * Unit tests of what wait, add, cas and lock rest on: durations, byte
 * orders, wait expressions, record types and their output (parse.c,
 * format.c), and the atomic operations (atomic.c) on ordinary memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "format.h"
#include "parse.h"
#include "check.h"

static void
test_duration(void)
{
	uint64_t ns = 42;

	CHECK(parse_duration("0", &ns) == 0 && ns == 0);
	CHECK(parse_duration("2", &ns) == 0 && ns == 2000000000ULL);
	CHECK(parse_duration("0.5", &ns) == 0 && ns == 500000000ULL);
	CHECK(parse_duration("1.5s", &ns) == 0 && ns == 1500000000ULL);
	CHECK(parse_duration("100ms", &ns) == 0 && ns == 100000000ULL);
	CHECK(parse_duration("0.25ms", &ns) == 0 && ns == 250000ULL);
	CHECK(parse_duration("2m", &ns) == 0 && ns == 120000000000ULL);
	CHECK(parse_duration("1h", &ns) == 0 && ns == 3600000000000ULL);
	CHECK(parse_duration("1.5d", &ns) == 0 &&
	    ns == 129600000000000ULL);
	/* Digits past the nanosecond are dropped, not rounded. */
	CHECK(parse_duration("0.0000000019", &ns) == 0 && ns == 1);
	ns = 42;
	CHECK(parse_duration("", &ns) == -1 && ns == 42);
	CHECK(parse_duration("-1", &ns) == -1);
	CHECK(parse_duration("+1", &ns) == -1);
	CHECK(parse_duration(" 1", &ns) == -1);
	CHECK(parse_duration("1.", &ns) == -1);
	CHECK(parse_duration(".5", &ns) == -1);
	CHECK(parse_duration("1s ", &ns) == -1);
	CHECK(parse_duration("1x", &ns) == -1);
	CHECK(parse_duration("0x10", &ns) == -1);
	CHECK(parse_duration("1e3", &ns) == -1);
	CHECK(parse_duration("18446744073709551615", &ns) == -1);
	CHECK(parse_duration("213504d", &ns) == -1);
	CHECK(ns == 42);
	CHECK(parse_duration("213503d", &ns) == 0);
}

static void
test_endian(void)
{
	enum byte_order o = BO_NATIVE;
	uint32_t v = 0x01020304;
	unsigned char *b = (unsigned char *)&v;

	CHECK(parse_endian("little", &o) == 0 && o == BO_LITTLE);
	CHECK(parse_endian("big", &o) == 0 && o == BO_BIG);
	CHECK(parse_endian("native", &o) == 0 && o == BO_NATIVE);
	CHECK(parse_endian("Big", &o) == -1);
	CHECK(parse_endian("", &o) == -1);
	CHECK_STR(byte_order_name(BO_BIG), "big");
	value_order(&v, 4, BO_BIG);
	CHECK(b[0] == 1 && b[1] == 2 && b[2] == 3 && b[3] == 4);
	value_order(&v, 4, BO_BIG);
	CHECK(v == 0x01020304);
	value_order(&v, 4, BO_LITTLE);
	CHECK(b[0] == 4 && b[3] == 1);
	value_order(&v, 4, BO_NATIVE);
	CHECK(v == 0x01020304);
	CHECK(byte_order_swaps(BO_NATIVE) == 0);
	CHECK(byte_order_swaps(BO_LITTLE) != byte_order_swaps(BO_BIG));
}

static int
holds(enum value_type t, const char *expr, const char *value)
{
	struct value_expr e;
	union value v;

	memset(&v, 0, sizeof(v));
	if (parse_value_expr(t, expr, &e) != 0 || parse_value(t, value, &v))
		return -1;
	return value_expr_holds(t, &e, &v);
}

static void
test_expr(void)
{
	struct value_expr e;

	CHECK(holds(VT_U32, "3", "3") == 1);
	CHECK(holds(VT_U32, "==3", "4") == 0);
	CHECK(holds(VT_U32, "!=3", "4") == 1);
	CHECK(holds(VT_I32, "<0", "-1") == 1);
	CHECK(holds(VT_I32, "<=-1", "-1") == 1);
	CHECK(holds(VT_I32, ">-1", "-1") == 0);
	CHECK(holds(VT_U64, ">=18446744073709551615",
	    "18446744073709551615") == 1);
	CHECK(holds(VT_U8, ">0x7f", "128") == 1);
	CHECK(holds(VT_F64, "<0.5", "0.25") == 1);
	CHECK(holds(VT_F64, "==nan", "nan") == 0);
	CHECK(holds(VT_F64, "!=nan", "nan") == 1);
	CHECK(holds(VT_F64, ">=nan", "1") == 0);
	CHECK(parse_value_expr(VT_U32, "=3", &e) == -1);
	CHECK(parse_value_expr(VT_U32, "<>3", &e) == -1);
	CHECK(parse_value_expr(VT_U32, "", &e) == -1);
	CHECK(parse_value_expr(VT_U32, "==", &e) == -1);
	CHECK(parse_value_expr(VT_U32, "== 3", &e) == -1);
	CHECK(parse_value_expr(VT_U8, "256", &e) == -1);
	CHECK(parse_value_expr(VT_U32, "<=-1", &e) == -1);
	CHECK(parse_value_expr(VT_I8, "<=-128", &e) == 0 && e.op == VOP_LE &&
	    e.v.i8 == -128);
	CHECK_STR(value_op_str(VOP_GE), ">=");
}

static void
test_record(void)
{
	struct record_type r;

	CHECK(parse_record("i32,x4,f64", &r) == 0);
	CHECK(r.n == 3 && r.nvalues == 2 && r.size == 16);
	CHECK(r.field[0].type == VT_I32 && r.field[0].offset == 0);
	CHECK(r.field[1].type == VT_RAW && r.field[1].size == 4);
	CHECK(r.field[2].type == VT_F64 && r.field[2].offset == 8);
	record_free(&r);
	CHECK(parse_record("u8", &r) == 0 && r.n == 1 && r.size == 1);
	record_free(&r);
	CHECK(parse_record("x3,u16,u8", &r) == 0 && r.size == 6 &&
	    r.field[1].offset == 3);
	record_free(&r);
	CHECK(parse_record("", &r) == -1);
	CHECK(parse_record("x4", &r) == -1);
	CHECK(parse_record("i32,", &r) == -1);
	CHECK(parse_record(",i32", &r) == -1);
	CHECK(parse_record("i32,,i8", &r) == -1);
	CHECK(parse_record("i32,x0", &r) == -1);
	CHECK(parse_record("i32,x", &r) == -1);
	CHECK(parse_record("i32,x-1", &r) == -1);
	CHECK(parse_record("i32,x65537", &r) == -1);
	CHECK(parse_record("i32,raw", &r) == -1);
	CHECK(parse_record("i32,hex", &r) == -1);
	CHECK(parse_record("i32 ,i8", &r) == -1);
	CHECK(parse_record("i32,u128", &r) == -1);
}

static void
test_format_records(void)
{
	/* struct { int32_t n; char pad[4]; double d; } x 2, big endian. */
	static const unsigned char be[32] = {
		0xff, 0xff, 0xff, 0xfd, 9, 9, 9, 9,
		0x40, 0x04, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 7, 0, 0, 0, 0,
		0xbf, 0xe0, 0, 0, 0, 0, 0, 0,
	};
	struct record_type r;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	CHECK(parse_record("i32,x4,f64", &r) == 0);
	if ((fp = open_memstream(&buf, &len)) == NULL)
		exit(99);
	format_records(fp, &r, be, 2, BO_BIG);
	fclose(fp);
	CHECK_STR(buf, "-3 2.5\n7 -0.5\n");
	free(buf);
	record_free(&r);
}

static void
test_atomic(void)
{
	/* Aligned as a segment is; the values sit at their natural places. */
	static uint64_t mem[4];
	unsigned char *m = (unsigned char *)mem;
	union value d, out, exp, want;

	CHECK(atomic_aligned(VT_U32, 8));
	CHECK(!atomic_aligned(VT_U32, 6));
	CHECK(atomic_aligned(VT_U8, 7));
	CHECK(!atomic_aligned(VT_U64, 4));

	memset(&d, 0, sizeof(d));
	d.u32 = 5;
	atomic_add_value(m, VT_U32, BO_NATIVE, &d, &out);
	CHECK(out.u32 == 5);
	d.u32 = (uint32_t)-6;
	atomic_add_value(m, VT_U32, BO_NATIVE, &d, &out);
	CHECK(out.u32 == UINT32_MAX);
	/* Big endian: the bytes in the segment are the big-endian ones. */
	d.u16 = 0x0102;
	atomic_add_value(m + 8, VT_U16, BO_BIG, &d, &out);
	d.u16 = 0x0101;
	atomic_add_value(m + 8, VT_U16, BO_BIG, &d, &out);
	CHECK(out.u16 == 0x0203 && m[8] == 2 && m[9] == 3);
	d.i8 = -1;
	atomic_add_value(m + 10, VT_I8, BO_BIG, &d, &out);
	CHECK(out.i8 == -1 && m[10] == 0xff);
	/* 64 bits, non-native, wrapping through the CAS loop. */
	d.u64 = UINT64_MAX;
	atomic_store_value(m + 16, VT_U64, BO_LITTLE, &d);
	d.u64 = 2;
	atomic_add_value(m + 16, VT_U64, BO_LITTLE, &d, &out);
	CHECK(out.u64 == 1 && m[16] == 1 && m[23] == 0);
	atomic_load_value(m + 16, VT_U64, BO_BIG, &out);
	CHECK(out.u64 == 0x0100000000000000ULL);

	exp.u32 = 3;
	want.u32 = 9;
	CHECK(!atomic_cas_value(m, VT_U32, BO_BIG, &exp, &want, &out));
	CHECK(out.u32 == 0xffffffff);
	exp.u32 = UINT32_MAX;
	CHECK(atomic_cas_value(m, VT_U32, BO_BIG, &exp, &want, &out));
	CHECK(out.u32 == UINT32_MAX && m[3] == 9 && m[0] == 0);
	exp.f64 = 0.0;
	want.f64 = 1.5;
	CHECK(atomic_cas_value(m + 24, VT_F64, BO_NATIVE, &exp, &want, &out));
	atomic_load_value(m + 24, VT_F64, BO_NATIVE, &out);
	CHECK(out.f64 == 1.5);

	CHECK(atomic_word(m + 10) == (uint32_t *)(m + 8));
	CHECK(atomic_word(m + 8) == (uint32_t *)(m + 8));
	/* The word still holds what was seen: the wait times out. */
	CHECK(atomic_wait(m + 8, atomic_word_load(m + 8), 1000000) ==
	    ETIMEDOUT);
	/* It holds something else: no sleep at all. */
	CHECK(atomic_wait(m + 8, atomic_word_load(m + 8) + 1, 10000000000ULL)
	    == 0);
	atomic_wake(m);
	atomic_wake_range(m, sizeof(mem));
}

int
main(void)
{
	test_duration();
	test_endian();
	test_expr();
	test_record();
	test_format_records();
	test_atomic();
	return check_report("test-coord");
}
