/*
 * Unit tests of stream.c, the streaming parser of shm write's text input:
 * the same text gives the same bytes however it is cut into feeds, and
 * each failure stops at the right place with what its message needs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stream.h"

/* What a stream gave: the bytes, and when to say stop. */
struct sink {
	unsigned char	 buf[1024];
	size_t		 len;
	size_t		 stop_at;	/* say stop from this many bytes on */
	int		 calls;
};

static int
put(void *arg, const unsigned char *p, size_t n)
{
	struct sink *k = arg;

	k->calls++;
	if (k->len + n <= sizeof(k->buf))
		memcpy(k->buf + k->len, p, n);
	k->len += n;
	return k->stop_at != 0 && k->len >= k->stop_at ? 7 : 0;
}

/* Feeds text in pieces of step bytes, then ends it. */
static enum stream_status
run(struct stream *s, const char *text, size_t step)
{
	enum stream_status st;
	size_t n = strlen(text), i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		if ((st = stream_feed(s, text + i, k)) != STREAM_OK)
			return st;
	}
	return stream_end(s);
}

static struct stream s;

static void
test_hex(void)
{
	struct sink k;
	size_t step;

	for (step = 1; step <= 8; step++) {
		memset(&k, 0, sizeof(k));
		stream_init(&s, VT_HEX, NULL, BO_NATIVE, put, &k);
		CHECK(run(&s, " 01 ab\nCD\tef ", step) == STREAM_OK);
		CHECK(k.len == 4 && memcmp(k.buf, "\x01\xab\xcd\xef", 4) == 0);
		CHECK(s.digits == 8);
	}
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_HEX, NULL, BO_NATIVE, put, &k);
	CHECK(run(&s, "0 12", 2) == STREAM_ODD_HEX && s.digits == 3);

	/* A bad character: its offset in all that was fed, nothing given. */
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_HEX, NULL, BO_NATIVE, put, &k);
	CHECK(stream_feed(&s, "0102", 4) == STREAM_OK && k.len == 2);
	CHECK(stream_feed(&s, "03z4", 4) == STREAM_BAD_HEX);
	CHECK(s.bad_at == 6 && s.bad_char == 'z' && k.len == 2);

	/* Stop: the whole feed is given first. */
	memset(&k, 0, sizeof(k));
	k.stop_at = 1;
	stream_init(&s, VT_HEX, NULL, BO_NATIVE, put, &k);
	CHECK(stream_feed(&s, "010203", 6) == STREAM_STOPPED);
	CHECK(s.stopped == 7 && k.len == 3);
}

static void
test_numbers(void)
{
	struct record_type rec;
	struct sink k;
	int32_t v[3];
	size_t step;

	CHECK(parse_record("i32", &rec) == 0);
	for (step = 1; step <= 9; step++) {
		memset(&k, 0, sizeof(k));
		stream_init(&s, VT_I32, &rec, BO_NATIVE, put, &k);
		CHECK(run(&s, "1  -20\n0x7fffffff", step) == STREAM_OK);
		memcpy(v, k.buf, sizeof(v));
		CHECK(k.len == 12 && v[0] == 1 && v[1] == -20 &&
		    v[2] == INT32_MAX && s.words == 3);
	}
	/* A bad word: its number, its text, the type its field wants. */
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_I32, &rec, BO_NATIVE, put, &k);
	CHECK(run(&s, "1 2 3x 4", 3) == STREAM_BAD_VALUE);
	CHECK(s.words == 3 && strcmp(s.word, "3x") == 0 &&
	    s.bad_type == VT_I32 && k.len == 8);
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_I32, &rec, BO_NATIVE, put, &k);
	CHECK(stream_feed(&s, "5 a\0b 6", 7) == STREAM_BAD_VALUE);
	CHECK(s.words == 2 && strcmp(s.word, "a") == 0);
	/* Stop after the value that fills the sink: the rest is not read. */
	memset(&k, 0, sizeof(k));
	k.stop_at = 4;
	stream_init(&s, VT_I32, &rec, BO_NATIVE, put, &k);
	CHECK(stream_feed(&s, "1 2 3 ", 6) == STREAM_STOPPED && s.words == 1);
	record_free(&rec);
}

static void
test_records(void)
{
	struct record_type rec;
	struct sink k;

	CHECK(parse_record("x2,u16,x3,u16,x1", &rec) == 0);
	CHECK(rec.size == 10);
	memset(&k, 0, sizeof(k));
	memset(k.buf, 0xff, sizeof(k.buf));
	stream_init(&s, VT_U16, &rec, BO_BIG, put, &k);
	CHECK(run(&s, "258 3\n", 4) == STREAM_OK && k.len == 10);
	CHECK(k.buf[0] == 0 && k.buf[1] == 0 && k.buf[4] == 0 &&
	    k.buf[9] == 0);
	CHECK(memcmp(k.buf + 2, "\x01\x02", 2) == 0 &&
	    memcmp(k.buf + 7, "\x00\x03", 2) == 0);
	/* The padding of a record is given even after the sink said stop. */
	memset(&k, 0, sizeof(k));
	k.stop_at = 1;
	stream_init(&s, VT_U16, &rec, BO_BIG, put, &k);
	CHECK(run(&s, "1 2 3 4", 7) == STREAM_STOPPED && k.len == 4);
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_U16, &rec, BO_BIG, put, &k);
	CHECK(run(&s, "1 2 3", 2) == STREAM_NOT_WHOLE && s.words == 3);
	CHECK(stream_value_place(&rec, 0) == 2 &&
	    stream_value_place(&rec, 3) == 17);
	record_free(&rec);
}

static void
test_long_word(void)
{
	struct record_type rec;
	struct sink k;
	char *text;

	CHECK(parse_record("u8", &rec) == 0);
	text = malloc(STREAM_WORD_MAX + 4);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	/* The longest word that is read, then one byte longer. */
	memset(text, '0', STREAM_WORD_MAX + 3);
	text[0] = '1';
	text[1] = ' ';
	text[STREAM_WORD_MAX + 1] = ' ';
	text[STREAM_WORD_MAX + 2] = '\0';
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_U8, &rec, BO_NATIVE, put, &k);
	CHECK(run(&s, text, 1000) == STREAM_OK && s.words == 2);
	text[STREAM_WORD_MAX + 1] = '0';
	memset(&k, 0, sizeof(k));
	stream_init(&s, VT_U8, &rec, BO_NATIVE, put, &k);
	CHECK(run(&s, text, 1000) == STREAM_LONG_WORD && s.words == 1 &&
	    strlen(s.word) == 40);
	free(text);
	record_free(&rec);
}

static void
test_words(void)
{
	char c[16];

	CHECK_STR(stream_want(VT_U8), "an integer from 0 to 255");
	CHECK_STR(stream_char_str('z', c, sizeof(c)), "'z'");
	CHECK_STR(stream_char_str('\'', c, sizeof(c)), "byte 0x27");
	CHECK_STR(stream_char_str('\x01', c, sizeof(c)), "byte 0x01");
}

int
main(void)
{
	test_hex();
	test_numbers();
	test_records();
	test_long_word();
	test_words();
	return check_report("test-stream");
}
