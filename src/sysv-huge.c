/*
 * The System V kind's huge pages and pinning: the shmget(2) flags of
 * --hugetlb and --noreserve, SHM_LOCK and SHM_UNLOCK, and the page size
 * that backs a segment.  With sysv.c, the only caller of the SysV
 * functions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "diagnose.h"
#include "format.h"
#include "hugepages.h"
#include "msg.h"
#include "object.h"
#include "procs.h"
#include "sysv-huge.h"

#ifndef SHM_HUGE_SHIFT
#define SHM_HUGE_SHIFT	26	/* linux/shm.h: log2 of the page size */
#endif

/* The huge page size that req asks for, checked against the machine's. */
static int
huge_page_size(const struct obj_create_req *req, uint64_t *page)
{
	uint64_t sizes[HUGE_MAX_SIZES];
	char have[HUGE_MAX_SIZES * 34], one[32];
	size_t n, i, len = 0;

	n = huge_sizes(sizes);
	if (req->huge_page == 1) {
		*page = huge_default_size();
		if (*page == 0 && n > 0)
			*page = sizes[0];
		if (*page == 0)
			return msg_usage("--hugetlb: this machine has no huge"
			    " pages (/sys/kernel/mm/hugepages lists none)");
		return EXIT_SHM_OK;
	}
	for (i = 0; i < n; i++)
		if (sizes[i] == req->huge_page) {
			*page = req->huge_page;
			return EXIT_SHM_OK;
		}
	have[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(have + len, sizeof(have) - len, "%s%s",
		    i > 0 ? ", " : "", huge_size_str(sizes[i], true, one));
	if (n == 0)
		return msg_usage("--hugetlb=%s: this machine has no huge pages"
		    " (/sys/kernel/mm/hugepages lists none)",
		    huge_size_str(req->huge_page, true, one));
	return msg_usage("--hugetlb=%s: this machine has no huge pages of"
	    " that size; it has %s (/sys/kernel/mm/hugepages)",
	    huge_size_str(req->huge_page, true, one), have);
}

int
sysv_huge_flags(const struct obj_create_req *req, uint64_t *size,
    int *flags, uint64_t *page)
{
	int rc, shift;

	*flags = req->noreserve ? SHM_NORESERVE : 0;
	*page = 0;
	if (req->huge_page == 0)
		return EXIT_SHM_OK;
	if ((rc = huge_page_size(req, page)) != EXIT_SHM_OK)
		return rc;
	*flags |= SHM_HUGETLB;
	if (req->huge_page != 1) {
		/* a size named goes as its log2; sizes are powers of two */
		for (shift = 0; (UINT64_C(1) << shift) < *page; shift++)
			;
		*flags |= shift << SHM_HUGE_SHIFT;
	}
	if (*size == 0 || *size % *page == 0)
		return EXIT_SHM_OK;
	if (*size > UINT64_MAX - *page)
		return diag_bad_size(*size);
	*size = (*size / *page + 1) * *page;
	return EXIT_SHM_OK;
}

void
sysv_huge_note(uint64_t asked, uint64_t size, uint64_t page)
{
	char h[16], p[32];

	if (page == 0 || asked == size)
		return;
	msg_note("size rounded up from %" PRIu64 " byte%s to %" PRIu64
	    " (%s), a whole number of %s huge pages", asked,
	    asked == 1 ? "" : "s", size, format_human(size, h),
	    huge_size_str(page, false, p));
}

int
sysv_set_locked(const struct obj_info *info, bool locked)
{
	struct shmid_ds ds;
	char *what;
	int e;

	if (shmctl(info->id, locked ? SHM_LOCK : SHM_UNLOCK, NULL) != 0) {
		e = errno;
		if (e == EPERM || e == ENOMEM)
			return diag_pin(info, locked, e);
		if (e == EINVAL || e == EIDRM)
			return diag_removed(NULL, info->id);
		what = obj_info_text(NULL, info);
		msg_error(EXIT_SHM_FAIL, "cannot %s %s: %s", locked ? "pin" :
		    "unpin", what, strerror(e));
		free(what);
		return EXIT_SHM_FAIL;
	}
	/*
	 * The kernel takes SHM_LOCK of a segment on huge pages as done
	 * without setting its SHM_LOCKED bit: huge pages are never swapped.
	 */
	if (locked && shmctl(info->id, IPC_STAT, &ds) == 0 &&
	    !(ds.shm_perm.mode & OBJ_MODE_LOCKED)) {
		what = obj_info_text(NULL, info);
		msg_note("%s is on huge pages, which are never swapped: the"
		    " kernel keeps it in memory as it is and does not mark"
		    " it locked", what);
		free(what);
	}
	return EXIT_SHM_OK;
}

/* The first attached process whose smaps tells the page size. */
struct smaps_find {
	int		 id;
	uint64_t	 bytes;
	bool		 found;
};

static int
try_smaps(pid_t pid, unsigned int maps, void *arg)
{
	struct smaps_find *f = arg;

	(void)maps;
	if (huge_smaps_page_size(pid, f->id, &f->bytes) != 0)
		return 0;
	f->found = true;
	return 1;	/* stops the walk */
}

int
sysv_page_size(const struct obj_info *info, uint64_t *bytes)
{
	struct smaps_find f = { .id = info->id };

	/*
	 * Only another process's smaps: an attach of our own would change
	 * the segment's last attach and detach times, its last pid and its
	 * attach count, which others read.
	 */
	if (info->nattch == 0)
		return -1;
	(void)proc_sysv_users(info->id, try_smaps, &f);
	if (!f.found)
		return -1;
	*bytes = f.bytes;
	return 0;
}
