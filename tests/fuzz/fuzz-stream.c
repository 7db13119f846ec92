/*
 * stream_feed(): any text, as hex or as numbers of a record type, gives
 * the same status, figures and bytes whether it is fed whole or cut into
 * pieces of any size, and what it gives has the size the text says.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream.h"

static const char *const types[] = {
	"hex", "u8", "i16", "i32,x3,f64", "x2,u64", "f32,f32",
};

struct sink {
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 stop_at;
};

static int
put(void *arg, const unsigned char *p, size_t n)
{
	struct sink *k = arg;

	if (k->len + n > k->cap) {
		k->cap = (k->len + n) * 2;
		if ((k->buf = realloc(k->buf, k->cap)) == NULL)
			abort();
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	return k->stop_at != 0 && k->len >= k->stop_at;
}

/* Feeds text in pieces of step bytes (all of it for 0), then ends it. */
static enum stream_status
run(struct stream *s, const char *text, size_t n, size_t step)
{
	enum stream_status st;
	size_t i, k;

	if (step == 0)
		step = n > 0 ? n : 1;
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		if ((st = stream_feed(s, text + i, k)) != STREAM_OK)
			return st;
	}
	return stream_end(s);
}

static struct stream a, b;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_type rec = { 0 };
	struct sink ka = { 0 }, kb = { 0 };
	enum stream_status sa, sb;
	enum value_type t;
	const char *text;
	size_t n, step, stop;

	if (size < 3)
		return 0;
	/* The stream tells only hex from the rest: a record says the rest. */
	t = VT_HEX;
	if (data[0] % 6 != 0) {
		FUZZ_CHECK(parse_record(types[data[0] % 6], &rec) == 0);
		t = VT_U8;
	}
	step = data[1];
	stop = data[2] & 0x80 ? data[2] & 0x7f : 0;
	text = (const char *)data + 3;
	n = size - 3;
	ka.stop_at = kb.stop_at = stop;

	stream_init(&a, t, &rec, BO_BIG, put, &ka);
	stream_init(&b, t, &rec, BO_BIG, put, &kb);
	sa = run(&a, text, n, 0);
	sb = run(&b, text, n, step);
	/* The whole feed stops where the sink says; pieces may go on. */
	if (stop != 0 && (sa == STREAM_STOPPED || sb == STREAM_STOPPED))
		goto out;
	FUZZ_CHECK(sa == sb);
	switch (sa) {
	case STREAM_OK:
		FUZZ_CHECK(ka.len == kb.len &&
		    (ka.len == 0 || memcmp(ka.buf, kb.buf, ka.len) == 0));
		if (t == VT_HEX)
			FUZZ_CHECK(a.digits == 2 * ka.len);
		else
			FUZZ_CHECK(a.words % rec.nvalues == 0 && ka.len ==
			    a.words / rec.nvalues * rec.size);
		break;
	case STREAM_BAD_HEX:
		FUZZ_CHECK(a.bad_at == b.bad_at && a.bad_at < n &&
		    text[a.bad_at] == a.bad_char);
		break;
	case STREAM_BAD_VALUE:
	case STREAM_LONG_WORD:
		FUZZ_CHECK(a.words == b.words &&
		    strcmp(a.word, b.word) == 0);
		break;
	case STREAM_ODD_HEX:
		FUZZ_CHECK(a.digits == b.digits && a.digits % 2 == 1);
		break;
	case STREAM_NOT_WHOLE:
		FUZZ_CHECK(a.words == b.words &&
		    a.words % rec.nvalues != 0);
		break;
	default:
		FUZZ_CHECK(0);
	}
out:
	free(ka.buf);
	free(kb.buf);
	record_free(&rec);
	return 0;
}
