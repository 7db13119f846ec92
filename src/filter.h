/*
 * The filters of shm rm and shm ls: --orphaned, --owner, --older-than.
 * One implementation, so that ls shows what rm would remove.
 */
#ifndef SHM_FILTER_H
#define SHM_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "options.h"
#include "object.h"

/* Values that the options of filter_table return from popt. */
enum {
	OPT_FILTER_ORPHANED = 1050,
	OPT_FILTER_OWNER,
	OPT_FILTER_OLDER,
};

/* --orphaned, --owner=USER, --older-than=AGE. */
extern struct poptOption filter_table[];

#define OPT_INCLUDE_FILTERS \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, filter_table, 0, \
	  "Filters:", NULL }

struct seg_filter {
	bool		 orphaned;
	bool		 by_owner;
	uid_t		 owner;
	bool		 by_age;
	uint64_t	 age_ns;	/* nanoseconds */
	bool		 any;		/* one of them was given */
};

/*
 * Takes the option val of filter_table into f: EXIT_SHM_OK, or a usage
 * error for a bad USER or AGE; -1 when val is no filter option.
 */
int	filter_take(poptContext, int val, struct seg_filter *f);

/* The name of the first filter option given, for messages. */
const char *filter_first_opt(const struct seg_filter *);

/*
 * Why segment r does not pass the filters at time now, in buf; NULL when
 * it does.  With no buf, the reason is only "" (no names looked up), for
 * a listing.  A segment already marked for removal never passes.
 */
const char *filter_mismatch(const struct obj_info *r,
	    const struct seg_filter *f, time_t now, char *buf, size_t len);

#endif
