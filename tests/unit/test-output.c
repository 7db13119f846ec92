/*
 * Unit tests of the pure parts of output.c: the columns of shm ls (as text
 * for a table and for JSON) and the JSON writer of shm stat, whose escaping
 * must keep any command line valid JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "table.h"
#include "columns.h"
#include "object.h"
#include "check.h"

static char buf[64];

static const char *
table(const struct obj_info *r, enum seg_col col)
{
	return seg_column_text(r, col, 0, buf, sizeof(buf));
}

static const char *
bytes(const struct obj_info *r, enum seg_col col)
{
	return seg_column_text(r, col, SEGCOL_AS_BYTES, buf, sizeof(buf));
}

static const char *
json(const struct obj_info *r, enum seg_col col)
{
	return seg_column_text(r, col, SEGCOL_AS_JSON, buf, sizeof(buf));
}

static void
test_columns(void)
{
	struct obj_info r;

	memset(&r, 0, sizeof(r));
	r.key = 0xabcd;
	r.id = 32769;
	r.mode = 0640;
	r.size = 1536;
	r.nattch = 3;
	r.uid = 0;
	r.gid = 4242424;
	r.cuid = 4294967294U;
	r.cpid = 123;
	r.ctime = 1795752393;

	CHECK_STR(table(&r, SEGCOL_KEY), "0x0000abcd");
	r.key = -1;
	CHECK_STR(json(&r, SEGCOL_KEY), "0xffffffff");
	CHECK_STR(table(&r, SEGCOL_ID), "32769");
	r.id = -2147483647 - 1;
	CHECK_STR(json(&r, SEGCOL_ID), "-2147483648");
	CHECK_STR(table(&r, SEGCOL_OWNER), "root");
	CHECK_STR(table(&r, SEGCOL_GROUP), "4242424");
	CHECK_STR(json(&r, SEGCOL_GID), "4242424");
	CHECK_STR(json(&r, SEGCOL_CUID), "4294967294");
	CHECK_STR(table(&r, SEGCOL_PERMS), "rw-r-----");
	CHECK_STR(json(&r, SEGCOL_MODE), "0640");
	CHECK_STR(table(&r, SEGCOL_SIZE), "1.5K");
	CHECK_STR(bytes(&r, SEGCOL_SIZE), "1536");
	CHECK_STR(json(&r, SEGCOL_SIZE), "1536");
	r.size = 18446744073709551615ULL;
	CHECK_STR(json(&r, SEGCOL_SIZE), "18446744073709551615");
	CHECK_STR(table(&r, SEGCOL_NATTCH), "3");
	CHECK_STR(table(&r, SEGCOL_CPID), "123");
	CHECK_STR(table(&r, SEGCOL_LPID), "0");

	/* status: the flags above the permission bits */
	CHECK_STR(table(&r, SEGCOL_STATUS), "-");
	CHECK_STR(json(&r, SEGCOL_STATUS), NULL);
	r.mode = 0640 | OBJ_MODE_DEST;
	CHECK_STR(table(&r, SEGCOL_STATUS), "dest");
	CHECK_STR(json(&r, SEGCOL_MODE), "0640");
	CHECK_STR(table(&r, SEGCOL_PERMS), "rw-r-----");
	r.mode = 0640 | OBJ_MODE_LOCKED;
	CHECK_STR(json(&r, SEGCOL_STATUS), "locked");
	r.mode = 0640 | OBJ_MODE_DEST | OBJ_MODE_LOCKED;
	CHECK_STR(table(&r, SEGCOL_STATUS), "dest,locked");

	/* times: epoch seconds in JSON, null or "-" when never */
	CHECK_STR(json(&r, SEGCOL_CTIME), "1795752393");
	CHECK_STR(table(&r, SEGCOL_CTIME), "2026-11-27T04:06:33");
	CHECK_STR(json(&r, SEGCOL_ATIME), NULL);
	CHECK_STR(table(&r, SEGCOL_DTIME), "-");

	/* rss and swap: unknown in the shmctl fallback */
	r.rss = 8192;
	CHECK_STR(table(&r, SEGCOL_RSS), "-");
	CHECK_STR(json(&r, SEGCOL_SWAP), NULL);
	r.mem_known = true;
	CHECK_STR(table(&r, SEGCOL_RSS), "8K");
	CHECK_STR(json(&r, SEGCOL_RSS), "8192");
	CHECK_STR(json(&r, SEGCOL_SWAP), "0");

	CHECK(seg_column_find("KEY", 3) == SEGCOL_KEY);
	CHECK(seg_column_find("rss", 3) == SEGCOL_RSS);
	CHECK(seg_column_find("Nattch,x", 6) == SEGCOL_NATTCH);
	CHECK(seg_column_find("KE", 2) == -1);
	CHECK(seg_column_find("KEYS", 4) == -1);
	CHECK(seg_column_find("", 0) == -1);
	CHECK(seg_column_text(&r, SEGCOL_KEY, 0, buf, 8) == NULL);
}

/* Runs fn writing JSON into a string; returns it (static). */
static const char *
capture(void (*fn)(struct json *))
{
	static char *out;
	size_t len;
	struct json j;
	FILE *fp;

	free(out);
	out = NULL;
	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	json_begin(&j, fp);
	fn(&j);
	json_end(&j);
	fclose(fp);
	return out;
}

static void
empty(struct json *j)
{
	(void)j;
}

static void
nested(struct json *j)
{
	json_uint(j, "n", 18446744073709551615ULL);
	json_value(j, "s", JSON_STRING, "x");
	json_value(j, "z", JSON_NUMBER, NULL);
	json_value(j, "t", JSON_BOOLEAN, "1");
	json_bool(j, "f", false);
	json_open(j, "o", '{');
	json_open(j, "a", '[');
	json_close(j, '[');
	json_close(j, '{');
	json_open(j, "l", '[');
	json_open(j, NULL, '{');
	json_value(j, "pid", JSON_NUMBER, "7");
	json_close(j, '{');
	json_close(j, '[');
}

static const char *escape_in;

static void
one_string(struct json *j)
{
	json_value(j, "s", JSON_STRING, escape_in);
}

/* The JSON text of one string, as the writer puts it. */
static const char *
escaped(const char *s)
{
	static char inner[256];
	const char *out, *p, *q;

	escape_in = s;
	if ((out = capture(one_string)) == NULL)
		return NULL;
	/* {\n   "s": VALUE\n}\n */
	if ((p = strstr(out, "\"s\": ")) == NULL ||
	    (q = strrchr(out, '\n')) == NULL || q - p < 6)
		return out;
	q--;
	while (q > p && *q != '\n')
		q--;
	snprintf(inner, sizeof(inner), "%.*s", (int)(q - (p + 5)), p + 5);
	return inner;
}

static void
test_json(void)
{
	CHECK_STR(capture(empty), "{}\n");
	CHECK_STR(capture(nested), "{\n"
	    "   \"n\": 18446744073709551615,\n"
	    "   \"s\": \"x\",\n"
	    "   \"z\": null,\n"
	    "   \"t\": true,\n"
	    "   \"f\": false,\n"
	    "   \"o\": {\n"
	    "      \"a\": []\n"
	    "   },\n"
	    "   \"l\": [\n"
	    "      {\n"
	    "         \"pid\": 7\n"
	    "      }\n"
	    "   ]\n"
	    "}\n");

	CHECK_STR(escaped(""), "\"\"");
	CHECK_STR(escaped("plain text"), "\"plain text\"");
	CHECK_STR(escaped("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(escaped("l1\nl2\tt\rr"), "\"l1\\nl2\\tt\\rr\"");
	CHECK_STR(escaped("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
	/* UTF-8 passes as it is */
	CHECK_STR(escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* what is not UTF-8 becomes U+FFFD, byte by byte */
	CHECK_STR(escaped("\xff"), "\"\\ufffd\"");
	CHECK_STR(escaped("a\xc3"), "\"a\\ufffd\"");
	CHECK_STR(escaped("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(escaped("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(escaped("\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(escaped("\xe2\x82"), "\"\\ufffd\\ufffd\"");
}

/* What msg_escape() writes for s. */
static const char *
shown(const char *s)
{
	static char *out;
	size_t len;
	FILE *fp;

	free(out);
	out = NULL;
	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	msg_escape(fp, s);
	fclose(fp);
	return out;
}

static void
test_escape(void)
{
	CHECK_STR(shown(""), "");
	CHECK_STR(shown("no segment has key 0x00000010"),
	    "no segment has key 0x00000010");
	CHECK_STR(shown("a\nb\tc\rd"), "a\\nb\\tc\\rd");
	CHECK_STR(shown("\x1b[31mred\x7f\x01"), "\\x1b[31mred\\x7f\\x01");
	/* UTF-8 passes as it is */
	CHECK_STR(shown("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0"),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0");
	/* C1 controls (a CSI of its own) and what is not UTF-8: bytes */
	CHECK_STR(shown("\xc2\x9b" "1m"), "\\xc2\\x9b1m");
	CHECK_STR(shown("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
	CHECK_STR(shown("\x9b"), "\\x9b");
	CHECK_STR(shown("a\xff\xfe"), "a\\xff\\xfe");
	CHECK_STR(shown("\xc3"), "\\xc3");
	CHECK_STR(shown("\xc0\xaf"), "\\xc0\\xaf");
	CHECK_STR(shown("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	CHECK_STR(shown("\xe2\x82x"), "\\xe2\\x82x");
	/* a backslash is left alone */
	CHECK_STR(shown("C:\\x"), "C:\\x");
}

static const char *const commands[] = {
	"create", "write", "read", "rm", "ls", "stat", "key", "chmod",
	"chown", "limits", "fork-demo",
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* The names closest_names() picks for typed, blank separated. */
static const char *
closest(const char *typed)
{
	static char out[256];
	bool pick[NCOMMANDS];
	size_t i, n, o = 0;

	n = closest_names(typed, commands, NCOMMANDS, pick);
	out[0] = '\0';
	for (i = 0; i < NCOMMANDS; i++)
		if (pick[i]) {
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
			    o > 0 ? " " : "", commands[i]);
			n--;
		}
	return n == 0 ? out : "(count differs)";
}

static void
test_edit_distance(void)
{
	/* weights of git's help.c: swap 0, substitution 2, insertion 1,
	 * deletion 3 */
	CHECK(edit_distance("", "") == 0);
	CHECK(edit_distance("create", "create") == 0);
	CHECK(edit_distance("craete", "create") == 0);
	CHECK(edit_distance("rn", "rm") == 2);
	CHECK(edit_distance("cre", "create") == 3);
	CHECK(edit_distance("", "ls") == 2);
	CHECK(edit_distance("stats", "stat") == 3);
	CHECK(edit_distance("lsx", "") == 9);
	CHECK(edit_distance("jsno", "json") == 0);
	CHECK(edit_distance("list", "limits") == 2);
	CHECK(edit_distance("list", "ls") == 6);
	CHECK(edit_distance("ab", "ba") == 0);
	CHECK(edit_distance("abc", "cba") == 4);

	CHECK_STR(closest("craete"), "create");
	CHECK_STR(closest("cre"), "create");
	CHECK_STR(closest("l"), "ls limits");
	CHECK_STR(closest("rn"), "rm");
	CHECK_STR(closest("stats"), "stat");
	CHECK_STR(closest("chmode"), "chmod");
	CHECK_STR(closest("ch"), "chmod chown");
	CHECK_STR(closest("forkdemo"), "fork-demo");
	/* nothing close enough: the score must be below 7 */
	CHECK_STR(closest("frobnicate"), "");
	CHECK_STR(closest("xyzzy"), "");
	/* a prefix of every name tells nothing */
	CHECK_STR(closest(""), "");
}

int
main(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	test_columns();
	test_json();
	test_escape();
	test_edit_distance();
	return check_report("test-output");
}
