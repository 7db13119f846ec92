/*
 * The System V kind's huge pages and pinning (sysv-huge.c), for sysv.c's
 * table of operations.  Private to the System V kind.
 */
#ifndef SHM_SYSV_HUGE_H
#define SHM_SYSV_HUGE_H

#include <stdbool.h>
#include <stdint.h>

#include "object.h"

/*
 * The shmget(2) flags that req asks for beyond the mode (SHM_HUGETLB with
 * the page size's shift, SHM_NORESERVE) into *flags, and *size rounded up
 * to a whole number of huge pages; *page gets the huge page size (0:
 * normal pages).  Exit 2 for a huge page size the machine lacks, naming
 * those it has.
 */
int	sysv_huge_flags(const struct obj_create_req *req, uint64_t *size,
	    int *flags, uint64_t *page);

/* The note that a segment made was rounded up from asked to size bytes. */
void	sysv_huge_note(uint64_t asked, uint64_t size, uint64_t page);

/* obj_set_locked(): SHM_LOCK or SHM_UNLOCK. */
int	sysv_set_locked(const struct obj_info *, bool locked);

/* obj_page_size(): an attached process's smaps; never an attach. */
int	sysv_page_size(const struct obj_info *, uint64_t *bytes);

#endif
