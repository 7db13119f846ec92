/*
 * Listing the SysV segments: the shmctl walk and /proc/sysvipc/shm.
 */
#ifndef SHM_SEGLIST_H
#define SHM_SEGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "object.h"

/* The kernel's listing, which SHM_PROC_SYSVIPC may replace. */
#define PROC_SYSVIPC_SHM	"/proc/sysvipc/shm"

/*
 * Parses one line of /proc/sysvipc/shm, p to end (no newline needed; any
 * byte may come).  Returns 0 for a row, put in *r; 1 for a line that is none
 * (the header, a blank line); -1 for a row that cannot be read, with the
 * reason in why (len bytes, cut to fit).  Prints nothing.
 */
int	parse_proc_line(const char *p, const char *end, struct obj_info *r,
	    char *why, size_t len);

/*
 * Reads the listing at path, a regular file of at most 64 MiB.  One named
 * by SHM_PROC_SYSVIPC (from_env) is checked with a note on stderr, once: a
 * file that is refused, and the rows that cannot be read (left out).
 * *rows is malloc'd.  Returns 0, or -1 with errno (or a note) when the file
 * cannot be read.
 */
int	seglist_read_proc(const char *path, bool from_env,
	    struct obj_info **rows, size_t *nrows);

/*
 * Reads every segment: by the shmctl walk, or /proc/sysvipc/shm when rss
 * and swap are wanted (OBJ_LIST_MEM) or the walk cannot see every segment;
 * each falls back to the other.  SHM_PROC_SYSVIPC in the environment names
 * a file to read first instead (a missing one forces the walk).  The list
 * operation of the SysV kind: see obj_list().
 */
int	seglist_list(struct obj_info **rows, size_t *n, int flags);

/*
 * The walk of the kernel's index by shmctl(SHM_STAT_ANY), in the SysV kind.
 * *complete is false when it could not see every segment (a kernel without
 * SHM_STAT_ANY).  *rows is malloc'd.  Returns 0, or -1 with errno.
 */
int	sysv_list_walk(struct obj_info **rows, size_t *nrows, bool *complete);

#endif
