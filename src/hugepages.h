/*
 * Readers of the kernel's huge page pools: the sizes the machine has
 * (/sys/kernel/mm/hugepages), the default one and its counts
 * (/proc/meminfo), the counts of any size, vm.hugetlb_shm_group, and the
 * page size of a mapping (smaps).  Facts only, no words; prints nothing.
 */
#ifndef SHM_HUGEPAGES_H
#define SHM_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* At most this many huge page sizes (x86 has two, arm64 four). */
#define HUGE_MAX_SIZES	8

/*
 * The huge page sizes the machine has, in bytes, ascending, from the
 * hugepages-NkB folders of /sys/kernel/mm/hugepages.  Returns how many
 * (0 when none, or when the folder cannot be read).
 */
size_t	huge_sizes(uint64_t sizes[HUGE_MAX_SIZES]);

/*
 * Puts a page size into buf: "2 MiB", "1 GiB", "4 KiB" (or, with brief,
 * "2M", "1G", "4K", as --hugetlb takes it).  Returns buf.
 */
char	*huge_size_str(uint64_t bytes, bool brief, char buf[32]);

/* The default huge page size (Hugepagesize of /proc/meminfo); 0: none. */
uint64_t huge_default_size(void);

/* The pool of one huge page size. */
struct huge_pool {
	uint64_t	 size;		/* bytes */
	uint64_t	 total;		/* pages: nr_hugepages */
	uint64_t	 free;		/* free_hugepages */
	uint64_t	 resv;		/* reserved, not yet faulted in */
	bool		 from_meminfo;	/* read from /proc/meminfo */
};

/*
 * Reads the pool of size: the HugePages_* lines of /proc/meminfo for the
 * default size, /sys/kernel/mm/hugepages/hugepages-NkB for another.
 * Returns 0, or -1 when it cannot be read.
 */
int	huge_pool(uint64_t size, struct huge_pool *);

/* vm.hugetlb_shm_group (a gid), or -1 when it cannot be read. */
long	huge_shm_group(void);

/*
 * The KernelPageSize, in bytes, of the mapping of SysV segment id in
 * /proc/PID/smaps, found by its inode (the id) and its "/SYSV" name.
 * Returns 0, or -1 when the smaps cannot be read or has no such mapping.
 */
int	huge_smaps_page_size(pid_t pid, int id, uint64_t *bytes);

#endif
