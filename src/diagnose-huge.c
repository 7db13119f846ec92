/*
 * The diagnosis of huge pages and pinning: no huge pages free, not in
 * vm.hugetlb_shm_group, and SHM_LOCK refused (rows 25 to 27).
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "access.h"
#include "diagnose.h"
#include "format.h"
#include "hugepages.h"
#include "msg.h"
#include "procs.h"

static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* The hint that grows the pool of page bytes to want pages. */
static void
hint_grow_pool(const struct huge_pool *p, uint64_t want)
{
	if (p->from_meminfo)
		msg_hint("reserve %" PRIu64 " huge page%s in all, as root:"
		    " sysctl vm.nr_hugepages=%" PRIu64 " (the kernel may find"
		    " fewer in fragmented memory: read HugePages_Total"
		    " after)", want, plural(want), want);
	else
		msg_hint("reserve %" PRIu64 " huge page%s of that size in all,"
		    " as root: echo %" PRIu64 " > /sys/kernel/mm/hugepages/"
		    "hugepages-%" PRIu64 "kB/nr_hugepages", want, plural(want),
		    want, p->size / 1024);
}

int
diag_huge_no_pages(uint64_t size, uint64_t page)
{
	char h[16], ps[32];
	struct huge_pool p;
	uint64_t need, avail, missing;

	huge_size_str(page, false, ps);
	if (huge_pool(page, &p) != 0)
		return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %"
		    PRIu64 " byte%s (%s) on %s huge pages: none free (the"
		    " pool's counts cannot be read)", size, plural(size),
		    format_human(size, h), ps);
	need = size / page + (size % page != 0);
	avail = p.free > p.resv ? p.free - p.resv : 0;
	missing = need > avail ? need - avail : 0;
	if (p.from_meminfo)
		msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
		    " byte%s (%s) on huge pages: it needs %" PRIu64 " huge"
		    " page%s of %s, and /proc/meminfo has HugePages_Total"
		    " %" PRIu64 ", HugePages_Free %" PRIu64 ", HugePages_Rsvd %" PRIu64
		    " (Hugepagesize %" PRIu64 " kB)", size, plural(size),
		    format_human(size, h), need, plural(need), ps, p.total,
		    p.free, p.resv, page / 1024);
	else
		msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
		    " byte%s (%s) on %s huge pages: it needs %" PRIu64 ", and"
		    " /sys/kernel/mm/hugepages/hugepages-%" PRIu64 "kB has"
		    " nr_hugepages %" PRIu64 ", free_hugepages %" PRIu64
		    ", resv_hugepages %" PRIu64, size, plural(size),
		    format_human(size, h), ps, need, page / 1024, p.total,
		    p.free, p.resv);
	if (missing == 0) {
		msg_hint("the pool had enough free when read: another process"
		    " may have taken them, or a hugetlb cgroup limit"
		    " (hugetlb.%s.max) refuses them", ps);
		return EXIT_SHM_SIZE;
	}
	hint_grow_pool(&p, p.total + missing);
	return EXIT_SHM_SIZE;
}

/* The soft RLIMIT_MEMLOCK in words: "64K", "unlimited", "0". */
static const char *
memlock_str(char buf[16])
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) != 0)
		return "unknown";
	if (rl.rlim_cur == RLIM_INFINITY)
		return "unlimited";
	if (rl.rlim_cur == 0)
		return "0";
	return format_human((uint64_t)rl.rlim_cur, buf);
}

/*
 * The kernel lets a process make a segment on huge pages when it has
 * CAP_IPC_LOCK or is in the group of vm.hugetlb_shm_group.  Its
 * RLIMIT_MEMLOCK no longer counts: the kernel only logs, once, that it
 * would once have been enough.
 */
int
diag_huge_not_allowed(uint64_t size)
{
	char gname[64], mine[64], h[16], *me;
	long group = huge_shm_group();
	gid_t egid = getegid();

	me = obj_caller_str();
	if (group < 0)
		msg_error(EXIT_SHM_PERM, "cannot create a segment of %s on huge"
		    " pages: not allowed: only the group of"
		    " vm.hugetlb_shm_group (which cannot be read) or a process"
		    " with CAP_IPC_LOCK may; you are %s",
		    format_human(size, h), me);
	else
		msg_error(EXIT_SHM_PERM, "cannot create a segment of %s on huge"
		    " pages: not allowed: only the group that"
		    " vm.hugetlb_shm_group names, %s (gid %ld), or a process"
		    " with CAP_IPC_LOCK may; you are %s, without"
		    " CAP_IPC_LOCK", format_human(size, h),
		    obj_group_name((gid_t)group, gname, sizeof(gname)), group,
		    me);
	free(me);
	msg_hint("as root, let your group %s use huge pages: sysctl"
	    " vm.hugetlb_shm_group=%u", obj_group_name(egid, mine,
	    sizeof(mine)), (unsigned int)egid);
	msg_hint("or run it with CAP_IPC_LOCK (as root)");
	return EXIT_SHM_PERM;
}

/* EPERM: not the owner nor the creator, and no CAP_IPC_LOCK. */
static int
pin_not_owner(const struct obj_info *info, const char *verb, char *what)
{
	char u[64], c[64], *me, *opts;

	me = obj_caller_str();
	msg_error(EXIT_SHM_PERM, "cannot %s %s: only its owner (%s, uid %u),"
	    " its creator (%s, uid %u) or a process with CAP_IPC_LOCK may;"
	    " you are %s", verb, what, obj_user_name(info->uid, u, sizeof(u)),
	    (unsigned int)info->uid, obj_user_name(info->cuid, c, sizeof(c)),
	    (unsigned int)info->cuid, me);
	free(me);
	opts = obj_info_opts(NULL, info);
	msg_hint("ask its owner (%s), or root: sudo shm %s %s",
	    obj_user_name(info->uid, u, sizeof(u)), verb, opts);
	free(opts);
	return EXIT_SHM_PERM;
}

int
diag_pin(const struct obj_info *info, bool locked, int err)
{
	const char *verb = locked ? "pin" : "unpin";
	char *what, *opts, h[16], lim[16];
	uid_t euid = geteuid();
	const char *limit;
	uint64_t pages;
	long psz;
	int rc;

	what = obj_info_text(NULL, info);
	if (err == EPERM && (!locked || (euid != info->uid &&
	    euid != info->cuid))) {
		rc = pin_not_owner(info, verb, what);
		free(what);
		return rc;
	}
	psz = sysconf(_SC_PAGESIZE);
	pages = info->size / (uint64_t)psz + (info->size % (uint64_t)psz != 0);
	limit = memlock_str(lim);
	if (err == EPERM)
		msg_error(EXIT_SHM_PERM, "cannot pin %s: your RLIMIT_MEMLOCK is"
		    " %s and you lack CAP_IPC_LOCK: its %" PRIu64 " byte%s"
		    " (%s, %" PRIu64 " page%s) may not be pinned", what, limit,
		    info->size, plural(info->size),
		    format_human(info->size, h), pages, plural(pages));
	else
		msg_error(EXIT_SHM_PERM, "cannot pin %s: your RLIMIT_MEMLOCK is"
		    " %s and you lack CAP_IPC_LOCK: its %" PRIu64 " byte%s"
		    " (%s, %" PRIu64 " page%s), with what this user has pinned"
		    " before, are beyond it", what, limit, info->size,
		    plural(info->size), format_human(info->size, h), pages,
		    plural(pages));
	free(what);
	opts = obj_info_opts(NULL, info);
	if (err == EPERM)
		msg_hint("raise the limit to at least %s: ulimit -l %" PRIu64
		    " (memlock in /etc/security/limits.conf), or have a"
		    " process with CAP_IPC_LOCK pin it: sudo shm pin %s",
		    format_human(pages * (uint64_t)psz, h),
		    pages * (uint64_t)psz / 1024, opts);
	else
		msg_hint("raise the limit by at least %s to what this user has"
		    " pinned already (the segments that shm ls shows"
		    " 'locked'; memlock in /etc/security/limits.conf), or have"
		    " a process with CAP_IPC_LOCK pin it: sudo shm pin %s",
		    format_human(pages * (uint64_t)psz, h), opts);
	free(opts);
	return EXIT_SHM_PERM;
}
