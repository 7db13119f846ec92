/*
 * Unit tests of parse_proc_line() (seglist.c): the rows of
 * /proc/sysvipc/shm as the kernel writes them, the lines that are no row,
 * and every way a row can be out of range or cut short.
 */
#include <stdio.h>
#include <string.h>

#include "seglist.h"
#include "check.h"

/* Parses the whole string s; why gets the reason of a refusal. */
static int
parse(const char *s, struct obj_info *r, char *why, size_t len)
{
	memset(r, 0x5a, sizeof(*r));
	why[0] = '\0';
	return parse_proc_line(s, s + strlen(s), r, why, len);
}

static void
test_rows(void)
{
	struct obj_info r;
	char why[160];

	/* A row as Linux prints it (%10d %10d %4o %21lu ...). */
	CHECK(parse("        16          5  1600                  4096"
	    "  1234  1235      2     0     0     0     0 1700000000"
	    " 1700000001 1700000002                  4096"
	    "                     0", &r, why, sizeof(why)) == 0);
	CHECK(r.key == 16 && r.id == 5 && r.mode == 01600);
	CHECK(r.size == 4096 && r.cpid == 1234 && r.lpid == 1235);
	CHECK(r.nattch == 2 && r.uid == 0 && r.gid == 0);
	CHECK(r.cuid == 0 && r.cgid == 0);
	CHECK(r.atime == 1700000000 && r.dtime == 1700000001 &&
	    r.ctime == 1700000002);
	CHECK(r.rss == 4096 && r.swap == 0 && r.mem_known);

	/* Kernels before 4.10 print 14 fields: no rss nor swap. */
	CHECK(parse("1 2 666 100 3 4 0 65534 65534 65534 65534 0 0 5", &r,
	    why, sizeof(why)) == 0);
	CHECK(r.key == 1 && r.id == 2 && r.mode == 0666 && r.size == 100);
	CHECK(r.uid == 65534 && r.ctime == 5);
	CHECK(!r.mem_known && r.rss == 0 && r.swap == 0);

	/* The key is signed; some tools print it unsigned. */
	CHECK(parse("-1 0 600 1 0 0 0 0 0 0 0 0 0 0", &r, why,
	    sizeof(why)) == 0 && r.key == -1);
	CHECK(parse("4294967295 0 600 1 0 0 0 0 0 0 0 0 0 0", &r, why,
	    sizeof(why)) == 0 && r.key == -1);
	CHECK(parse("-2147483648 0 600 1 0 0 0 0 0 0 0 0 0 0", &r, why,
	    sizeof(why)) == 0 && r.key == (key_t)0x80000000U);

	/* Tabs are blanks too; the line need not end in a newline. */
	CHECK(parse("\t7\t8\t644\t9\t0\t0\t0\t1\t2\t3\t4\t0\t0\t0", &r,
	    why, sizeof(why)) == 0 && r.id == 8 && r.cgid == 4);
	/* A sign-less -0 is 0. */
	CHECK(parse("0 -0 600 1 0 0 0 0 0 0 0 0 0 0", &r, why,
	    sizeof(why)) == 0 && r.id == 0);
	/* The largest size there is. */
	CHECK(parse("0 0 600 18446744073709551615 0 0 0 0 0 0 0 0 0 0", &r,
	    why, sizeof(why)) == 0 && r.size == UINT64_MAX);
}

static void
test_not_rows(void)
{
	struct obj_info r;
	char why[160];

	CHECK(parse("       key      shmid perms                  size  cpid"
	    "  lpid nattch   uid   gid  cuid  cgid      atime      dtime"
	    "      ctime                   rss                  swap", &r, why,
	    sizeof(why)) == 1);
	CHECK(parse("", &r, why, sizeof(why)) == 1);
	CHECK(parse("   \t ", &r, why, sizeof(why)) == 1);
	CHECK(parse("x 1 2", &r, why, sizeof(why)) == 1);
}

static void
test_bad_rows(void)
{
	struct obj_info r;
	char why[160], small[12];

	CHECK(parse("1 2 600 4 5 6 7 8 9 10 11 12 13", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "13 fields where a row has 14 or 16");
	CHECK(parse("1", &r, why, sizeof(why)) == -1);
	CHECK_STR(why, "1 field where a row has 14 or 16");
	/* 15 fields: rss without swap is no row */
	CHECK(parse("1 2 600 4 5 6 7 8 9 10 11 12 13 14 15", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "15 fields where a row has 14 or 16");
	/* perms are octal: an 8 ends the field, and the row is wrong */
	CHECK(parse("1 2 680 4 5 6 7 8 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	/* A field that is not a number ends the row early. */
	CHECK(parse("1 2 600 4 5 6 x 8 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "6 fields where a row has 14 or 16");

	CHECK(parse("1 2 10000 4 5 6 7 8 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "perms 10000 is out of range (0 to 4095)");
	CHECK(parse("4294967296 2 600 4 5 6 7 8 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "key 4294967296 is out of range (-2147483648 to"
	    " 4294967295)");
	CHECK(parse("1 -2 600 4 5 6 7 8 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "shmid -2 is out of range (0 to 2147483647)");
	/* (uid_t)-1 is no user */
	CHECK(parse("1 2 600 4 5 6 7 4294967295 9 10 11 12 13 14", &r, why,
	    sizeof(why)) == -1);
	CHECK_STR(why, "uid 4294967295 is out of range (0 to 4294967294)");
	CHECK(parse("1 2 600 99999999999999999999 5 6 7 8 9 10 11 12 13 14",
	    &r, why, sizeof(why)) == -1);
	CHECK_STR(why, "size 99999999999999999999 is out of range (0 to"
	    " 18446744073709551615)");

	/* A reason longer than the buffer is cut, and ends. */
	CHECK(parse("1 2 10000 4 5 6 7 8 9 10 11 12 13 14", &r, small,
	    sizeof(small)) == -1);
	CHECK(strlen(small) == sizeof(small) - 1);
}

/* Only the bytes from p to end are read: no NUL is needed. */
static void
test_bounds(void)
{
	static const char line[] = "1 2 600 4 5 6 7 8 9 10 11 12 13 14 15 16"
	    " 999";
	struct obj_info r;
	char why[160];

	/* cut after "14": the row of 14 fields, whatever follows */
	CHECK(parse_proc_line(line, line + 34, &r, why, sizeof(why)) == 0);
	CHECK(!r.mem_known && r.ctime == 14);
	CHECK(parse_proc_line(line, line + 40, &r, why, sizeof(why)) == 0);
	CHECK(r.mem_known && r.rss == 15 && r.swap == 16);
	/* fields past the sixteenth are not read */
	CHECK(parse_proc_line(line, line + strlen(line), &r, why,
	    sizeof(why)) == 0 && r.swap == 16);
}

int
main(void)
{
	test_rows();
	test_not_rows();
	test_bad_rows();
	test_bounds();
	return check_report("test-seglist");
}
