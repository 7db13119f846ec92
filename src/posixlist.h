/*
 * Listing the POSIX shared memory objects of a directory (/dev/shm, or
 * another mount namespace's through /proc/PID/root/dev/shm), and what is
 * known of each from stat(2) and /proc.
 */
#ifndef SHM_POSIXLIST_H
#define SHM_POSIXLIST_H

#include <stddef.h>
#include <sys/stat.h>

#include "object.h"

/* Where shm_open(3) keeps its objects. */
#define POSIX_DIR	"/dev/shm"

/* Fills info with what st says of the object name (without its '/'). */
void	posixlist_from_stat(const char *name, const struct stat *,
	    struct obj_info *);

/*
 * Sets the nattch of each of the n rows (objects of one directory) to the
 * number of processes, the caller aside, that map it or hold it open.
 * Returns 0, or -1 when /proc cannot be read (nattch stays 0).
 */
int	posixlist_count_users(struct obj_info *rows, size_t n);

/*
 * Reads the objects of dir (NULL: /dev/shm), as obj_list_posix() says.
 * *rows is malloc'd; free() it.  Returns an exit status after a message.
 */
int	posixlist_list(const char *dir, struct obj_info **rows, size_t *n);

#endif
