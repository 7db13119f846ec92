/*
 * The staging of shm write's standard input: whatever it is (a regular
 * file, a file in /proc or /sys, a pipe, a terminal; raw, hex or number
 * text), it is read into a page-aligned buffer that never grows past the
 * room left plus the one byte that tells it does not fit.  Nothing is read
 * past that byte: input that does not end is not read for ever.
 */
#ifndef SHM_STAGE_H
#define SHM_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* What is read, and how much of it may be written. */
struct stage_spec {
	enum value_type	 type;		/* raw, hex, a number or record type */
	const struct record_type *rec;	/* for a number or record type */
	enum byte_order	 order;
	const char	*tname;		/* the --type text, for messages */
	size_t		 room;		/* bytes from the offset to the end */
	bool		 nul;		/* --string: one byte more is needed */
	bool		 truncate;	/* --truncate: read up to the limit */
};

/*
 * Data read from stdin before they go into the segment.  It holds at most
 * limit bytes (the room, and one more to know the data do not fit) and
 * counts all that were given in total.
 */
struct stage {
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;		/* bytes mapped */
	size_t		 limit;
	size_t		 hint;		/* first size, when input tells one */
	uint64_t	 total;		/* a lower bound unless eof */
	bool		 eof;		/* all of stdin was read and taken */
};

/*
 * Reads standard input into st (zeroed by the caller) as spec says.
 * Returns 0, or the exit status after the message (bad text, a read
 * error, out of memory); the segment is not touched either way.
 */
int	stage_stdin(const struct stage_spec *spec, struct stage *st);

/* Frees the buffer of st. */
void	stage_free(struct stage *st);

/*
 * The usage error for n values that do not make whole records of type
 * tname, of nvalues values each; where is "" for arguments, or says where
 * they were read (" on standard input").
 */
int	stage_not_whole(const char *tname, uint64_t n, size_t nvalues,
	    const char *where);

#endif
