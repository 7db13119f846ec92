/*
 * Text forms of a segment's contents.  Pure formatting onto a FILE; the
 * caller checks the stream.
 */
#ifndef SHM_FORMAT_H
#define SHM_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/*
 * Writes n bytes in the form of hexdump -C: the offset (counting from base),
 * 16 bytes in hex, their printable characters; a run of lines equal to the
 * one before is folded into one "*" line; a last line gives the end offset.
 */
void	format_hexdump(FILE *, const unsigned char *, size_t n, uint64_t base);

/*
 * The same hexdump fed in pieces: bytes, or runs of zeros that need no
 * memory (a run of full lines of zeros folds at no cost).  Start, feed,
 * end; the output is that of format_hexdump() of all the pieces in turn.
 */
#define HEXDUMP_WIDTH	16
#define HEXDUMP_BUF	(64 * 88)
struct hexdump {
	FILE		*fp;
	uint64_t	 base;		/* offset of the first byte */
	uint64_t	 off;		/* bytes fed so far */
	unsigned char	 line[HEXDUMP_WIDTH];	/* the line being gathered */
	size_t		 fill;		/* bytes in line */
	unsigned char	 prev[HEXDUMP_WIDTH];	/* the last full line */
	int		 have_prev;
	int		 folded;	/* prev was followed by "*" */
	size_t		 used;		/* bytes in buf */
	char		 buf[HEXDUMP_BUF];
};

void	hexdump_start(struct hexdump *, FILE *, uint64_t base);
void	hexdump_bytes(struct hexdump *, const unsigned char *, size_t n);
void	hexdump_zeros(struct hexdump *, uint64_t n);
void	hexdump_end(struct hexdump *);

/*
 * Writes count values of a number type read from p (host byte order, any
 * alignment) in decimal, one per line.  Floats print with the fewest digits
 * that read back as the same value.
 */
void	format_values(FILE *, enum value_type, const unsigned char *p,
	    size_t count);

/*
 * Puts a mode's nine permission bits in symbolic form ("rw-r-----") into
 * buf, which has room for 10 bytes.  Returns buf.
 */
char	*format_perms(unsigned int mode, char buf[10]);

/*
 * a * b in decimal, exactly (SHMALL in bytes passes 2^64), into buf.
 * Returns a pointer into buf.
 */
const char *format_product(uint64_t a, uint64_t b, char buf[48]);

/* Puts a size in human units (1.5K, 12M, 3.2G; bytes below 1K). */
char	*format_human(uint64_t, char buf[16]);

/*
 * Writes count records of type rec read from p (any alignment), whose
 * numbers are in byte order order: one record per line, its values (not
 * its padding) separated by one blank, each as format_values() writes it.
 */
void	format_records(FILE *, const struct record_type *,
	    const unsigned char *p, size_t count, enum byte_order);

#endif
