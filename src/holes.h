/*
 * Which pages of an attached segment are holes: pages never written, which
 * a reader must not touch (reading one would allocate it).  mincore(2)
 * tells which pages are in memory; one that is not is a hole only when the
 * segment has no page in swap (its figure in /proc/sysvipc/shm, read
 * before and after each mincore(2)) and is not of huge pages (whose
 * mincore(2) tells only what this process has mapped).  For a caller who
 * could not open the segment's file for writing the kernel answers that
 * every page is in memory, and the real bytes are read.  A kind that can
 * tell holes without touching them (a POSIX object, by SEEK_DATA and
 * SEEK_HOLE) is asked first (obj_data_run).
 */
#ifndef SHM_HOLES_H
#define SHM_HOLES_H

#include <stdbool.h>
#include <stddef.h>

#include "object.h"

/* Pages asked of mincore(2) at a time. */
#define WINDOW_PAGES	16384

/*
 * The answer for a window of pages at a time: mincore(2) of the window,
 * taken as it is (nothing a hole) when holes cannot be told apart from
 * pages in swap.
 */
struct holes {
	const struct obj *seg;
	const unsigned char *base;	/* the attachment */
	size_t		 size;		/* of the segment */
	size_t		 page;
	int		 id;
	int		 usable;	/* holes can be told: -1 not yet known,
					   0 no, 1 so far */
	size_t		 start, end;	/* the window, in bytes */
	unsigned char	 vec[WINDOW_PAGES];
};

/* Starts h on the attachment seg. */
void	holes_init(struct holes *h, const struct obj *seg);

/*
 * The bytes from off, up to len of them, that are all holes or all data:
 * returns how many, and which in *hole.
 */
size_t	holes_run(struct holes *h, size_t off, size_t len, bool *hole);

/* Copies len bytes at off into buf, zeros for holes. */
void	holes_copy(struct holes *h, unsigned char *buf, size_t off,
	    size_t len);

#endif
