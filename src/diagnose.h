/*
 * The diagnosis of failures: each function prints the message (what
 * failed, why, with the real figures), then the hints, and returns the exit
 * status of shm(1) that goes with it.  errno is read where it is said.
 */
#ifndef SHM_DIAGNOSE_H
#define SHM_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "object.h"

/* A refused attach (EACCES): whose it is, the class and the bit missing. */
int	diag_access(const struct obj_sel *, const struct obj_info *,
	    bool readonly);

/* EPERM from removing or changing: who may; cmd is the shm command. */
int	diag_not_owner(const struct obj_info *, const char *action,
	    const char *cmd);

/* No segment for sel; offer_create hints at creating it. Exit 3. */
int	diag_no_segment(const struct obj_sel *, bool offer_create);

/* Segment id went away while in use (sel may be NULL). Exit 3. */
int	diag_removed(const struct obj_sel *, int id);

/* ENOSPC from creating: out of ids (SHMMNI) or memory (SHMALL). */
int	diag_no_space(uint64_t size);

/* EINVAL from creating: the size against SHMMAX and SHMMIN. */
int	diag_bad_size(uint64_t size);

/* ENOMEM from creating: the kernel's overcommit rule and its figures. */
int	diag_no_memory(uint64_t size);

/* EINVAL from IPC_SET: gone, or uid/gid unmapped in this namespace. */
int	diag_set_invalid(const struct obj_info *, uid_t, gid_t,
	    const char *action);

/* Any other errno: "WHAT SEL: strerror"; exit 6 for ENOMEM, else 1. */
int	diag_unexpected(const char *what, const struct obj_sel *);

/* ftok(3) failed on sel's file, with errno: missing, out of reach... */
int	diag_ftok(const struct obj_sel *);

/* An existing segment smaller than the size asked. Exit 6. */
int	diag_too_small(const struct obj_sel *, const struct obj_info *,
	    uint64_t size);

/* create --exclusive found one. */
int	diag_exists(const struct obj_sel *, const struct obj_info *);

/*
 * ENOSPC or EFBIG from reserving size bytes of a POSIX object (row 31):
 * "cannot ACTION: /dev/shm cannot hold N bytes", with the tmpfs's size and
 * free bytes, and the remount that makes room.  Exit 6.
 */
int	diag_no_room(const char *action, uint64_t size);

/* create kept losing the race with removers. Exit 1. */
int	diag_keeps_going(const struct obj_sel *);

/*
 * ENOMEM from creating size bytes on huge pages of page bytes: the pool's
 * counts (HugePages_Total/Free of /proc/meminfo, or the per-size counts of
 * /sys/kernel/mm/hugepages) and the sysctl that would do.  Exit 6.
 */
int	diag_huge_no_pages(uint64_t size, uint64_t page);

/*
 * EPERM from creating on huge pages: the group of vm.hugetlb_shm_group,
 * the caller's groups, CAP_IPC_LOCK, and the RLIMIT_MEMLOCK fallback.
 * Exit 4.
 */
int	diag_huge_not_allowed(uint64_t size);

/*
 * EPERM or ENOMEM (err) from SHM_LOCK, or EPERM from SHM_UNLOCK: who may,
 * RLIMIT_MEMLOCK and the amount.  Exit 4.
 */
int	diag_pin(const struct obj_info *, bool locked, int err);

#endif
