/*
 * A streaming parser of the text that shm write reads: hex digits, or
 * white-space separated numbers laid out as a record type.  It is fed
 * pieces of any size (a word may span two pieces) and hands the bytes it
 * makes to a sink; it does no I/O and writes no message: a failure is a
 * status, with what the message needs left in the struct.
 */
#ifndef SHM_STREAM_H
#define SHM_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* A number word is shorter than this: one this long is an error. */
#define STREAM_WORD_MAX	(64U * 1024)

enum stream_status {
	STREAM_OK,		/* all fed was taken: feed more, or end */
	STREAM_STOPPED,		/* the sink said stop: see stopped */
	STREAM_BAD_HEX,		/* bad_at, bad_char: not a hex digit */
	STREAM_ODD_HEX,		/* at the end: digits is odd */
	STREAM_BAD_VALUE,	/* word, words, bad_type: not a value */
	STREAM_LONG_WORD,	/* word (its start), words + 1: too long */
	STREAM_NOT_WHOLE,	/* at the end: words do not make records */
};

/*
 * Takes n bytes the stream made.  Returns 0 to go on, or anything else to
 * stop once the bytes of the current value (for hex: of the current feed)
 * are all given; the first such return is kept in stopped.
 */
typedef int (*stream_sink)(void *arg, const unsigned char *p, size_t n);

struct stream {
	enum value_type	 type;		/* VT_HEX, or a number type */
	const struct record_type *rec;	/* for a number type */
	enum byte_order	 order;
	stream_sink	 sink;
	void		*arg;
	int		 stopped;	/* the sink's first nonzero return */
	int		 half;		/* an odd hex digit, or -1 */
	uint64_t	 fed;		/* bytes fed before this feed */
	uint64_t	 digits;	/* hex digits taken */
	uint64_t	 words;		/* number words taken */
	uint64_t	 bad_at;	/* STREAM_BAD_HEX: offset in all fed */
	char		 bad_char;
	enum value_type	 bad_type;	/* STREAM_BAD_VALUE: the field's */
	size_t		 wlen;		/* bytes of the word so far */
	char		 word[STREAM_WORD_MAX + 1];	/* NUL-terminated */
};

/*
 * Starts s on text of type (VT_HEX, or a number or record type rec, whose
 * values are stored in order), giving what it makes to sink(arg, ...).
 */
void	stream_init(struct stream *s, enum value_type type,
	    const struct record_type *rec, enum byte_order order,
	    stream_sink sink, void *arg);

/*
 * Parses the next n bytes of text.  Hex text is checked whole before any
 * of it is decoded; number words are given one by one as they end, the
 * last one of a feed kept for the next.  Returns STREAM_OK, or the status
 * that stopped it (nothing more may be fed).
 */
enum stream_status stream_feed(struct stream *s, const char *p, size_t n);

/*
 * Ends the text: gives the last word, and checks that the hex digits make
 * whole bytes, or the words whole records.
 */
enum stream_status stream_end(struct stream *s);

/*
 * Parses word as the k-th value (from 0) of a text of records rec into out
 * (value_type_size() bytes, in order): its field is the (k mod values per
 * record)-th value field.  Returns 0, or -1 with the field's type in *type.
 */
int	stream_value(const struct record_type *rec, enum byte_order order,
	    uint64_t k, const char *word, void *out, enum value_type *type);

/* Where the k-th value goes, in bytes from the start of the data. */
size_t	stream_value_place(const struct record_type *rec, uint64_t k);

/* What a value of a number type must look like, for messages. */
const char *stream_want(enum value_type);

/* One character for a message: 'z', or byte 0x01. */
const char *stream_char_str(char c, char *buf, size_t len);

#endif
