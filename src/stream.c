/*
 * The streaming parser of shm write's text input: see stream.h.
 */
#include <stdio.h>
#include <string.h>

#include "stream.h"

/* Hex text is decoded into a buffer of this size, and given from there. */
#define HEX_OUT		4096

void
stream_init(struct stream *s, enum value_type type,
    const struct record_type *rec, enum byte_order order, stream_sink sink,
    void *arg)
{
	memset(s, 0, offsetof(struct stream, word));
	s->type = type;
	s->rec = rec;
	s->order = order;
	s->sink = sink;
	s->arg = arg;
	s->half = -1;
	s->word[0] = '\0';
}

/*
 * Gives n bytes to the sink, even when it said stop before: it stops at
 * the end of a value, whose bytes it is given whole.
 */
static void
give(struct stream *s, const unsigned char *p, size_t n)
{
	int rc;

	if (n == 0)
		return;
	if ((rc = s->sink(s->arg, p, n)) != 0 && s->stopped == 0)
		s->stopped = rc;
}

/* The field of the j-th value of a record. */
static size_t
value_field(const struct record_type *rec, size_t j)
{
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (rec->field[i].type != VT_RAW && j-- == 0)
			return i;
	return rec->n;
}

int
stream_value(const struct record_type *rec, enum byte_order order,
    uint64_t k, const char *word, void *out, enum value_type *type)
{
	const struct record_field *f;

	f = &rec->field[value_field(rec, (size_t)(k % rec->nvalues))];
	*type = f->type;
	if (parse_value(f->type, word, out) != 0)
		return -1;
	value_order(out, f->size, order);
	return 0;
}

size_t
stream_value_place(const struct record_type *rec, uint64_t k)
{
	const struct record_field *f;

	f = &rec->field[value_field(rec, (size_t)(k % rec->nvalues))];
	return (size_t)(k / rec->nvalues) * rec->size + f->offset;
}

/* Hex text: checked whole, then decoded and given. */
static enum stream_status
feed_hex(struct stream *s, const char *p, size_t n)
{
	unsigned char out[HEX_OUT];
	size_t i, k;
	ssize_t got;

	for (i = 0; i < n; i++) {
		if (parse_is_blank(p[i]))
			continue;
		if (!parse_is_hex_digit(p[i])) {
			s->bad_at = s->fed + i;
			s->bad_char = p[i];
			return STREAM_BAD_HEX;
		}
		s->digits++;
	}
	s->fed += n;
	for (i = 0; i < n; i += k) {
		k = n - i < HEX_OUT ? n - i : HEX_OUT;
		/* Checked above: it cannot fail. */
		got = parse_hex(p + i, k, out, &s->half);
		give(s, out, got > 0 ? (size_t)got : 0);
	}
	return s->stopped != 0 ? STREAM_STOPPED : STREAM_OK;
}

/* Gives n zero bytes of padding. */
static void
give_zeros(struct stream *s, size_t n)
{
	static const unsigned char zeros[256];
	size_t c;

	for (; n > 0; n -= c) {
		c = n < sizeof(zeros) ? n : sizeof(zeros);
		give(s, zeros, c);
	}
}

/*
 * The word that just ended: its value, with the padding of the record
 * before it and, for the last value of a record, after it.
 */
static enum stream_status
end_word(struct stream *s)
{
	const struct record_type *rec = s->rec;
	size_t j, at, from, to, k;
	unsigned char v[8];
	enum value_type t;

	s->word[s->wlen] = '\0';
	j = (size_t)(s->words % rec->nvalues);
	s->words++;
	at = value_field(rec, j);
	if (memchr(s->word, '\0', s->wlen) != NULL ||
	    stream_value(rec, s->order, s->words - 1, s->word, v, &t) != 0) {
		s->bad_type = rec->field[at].type;
		return STREAM_BAD_VALUE;
	}
	s->wlen = 0;
	from = j == 0 ? 0 : value_field(rec, j - 1) + 1;
	to = j + 1 == rec->nvalues ? rec->n : at + 1;
	for (k = from; k < to; k++)
		if (k == at)
			give(s, v, rec->field[k].size);
		else
			give_zeros(s, rec->field[k].size);
	return s->stopped != 0 ? STREAM_STOPPED : STREAM_OK;
}

/* Numbers: white-space separated words. */
static enum stream_status
feed_numbers(struct stream *s, const char *p, size_t n)
{
	enum stream_status st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!parse_is_blank(p[i])) {
			s->word[s->wlen++] = p[i];
			if (s->wlen < STREAM_WORD_MAX)
				continue;
			s->word[40] = '\0';
			s->fed += i + 1;
			return STREAM_LONG_WORD;
		}
		if (s->wlen > 0 && (st = end_word(s)) != STREAM_OK) {
			s->fed += i + 1;
			return st;
		}
	}
	s->fed += n;
	return STREAM_OK;
}

enum stream_status
stream_feed(struct stream *s, const char *p, size_t n)
{
	if (s->type == VT_HEX)
		return feed_hex(s, p, n);
	return feed_numbers(s, p, n);
}

enum stream_status
stream_end(struct stream *s)
{
	enum stream_status st;

	if (s->type == VT_HEX)
		return s->half >= 0 ? STREAM_ODD_HEX : STREAM_OK;
	if (s->wlen > 0 && (st = end_word(s)) != STREAM_OK)
		return st;
	if (s->words % s->rec->nvalues != 0)
		return STREAM_NOT_WHOLE;
	return STREAM_OK;
}

const char *
stream_want(enum value_type t)
{
	switch (t) {
	case VT_I8:
		return "an integer from -128 to 127";
	case VT_I16:
		return "an integer from -32768 to 32767";
	case VT_I32:
		return "an integer from -2147483648 to 2147483647";
	case VT_I64:
		return "an integer from -9223372036854775808 to"
		    " 9223372036854775807";
	case VT_U8:
		return "an integer from 0 to 255";
	case VT_U16:
		return "an integer from 0 to 65535";
	case VT_U32:
		return "an integer from 0 to 4294967295";
	case VT_U64:
		return "an integer from 0 to 18446744073709551615";
	case VT_F32:
		return "a number of magnitude up to 3.40282e+38, inf or nan";
	default:
		return "a number of magnitude up to 1.79769e+308, inf or nan";
	}
}

const char *
stream_char_str(char c, char *buf, size_t len)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x20 && u < 0x7f && u != '\'')
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", u);
	return buf;
}
