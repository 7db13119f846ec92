/*
 * The diagnosis of every failure: errno and what is known of the object
 * become the message, with the real figures, and the hints that name a
 * command to run.  Only this module words the refusals.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "access.h"
#include "diagnose.h"
#include "format.h"
#include "msg.h"
#include "names.h"
#include "procs.h"

/*
 * Finds the first directory on path's way that the caller may not search,
 * for ftok's EACCES.  Returns 0 with it in buf, -1 when none is found.
 */
static int
unsearchable_dir(const char *path, char *buf, size_t len)
{
	struct stat st;
	size_t i, n = strlen(path);

	if (n >= len)
		return -1;
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		memcpy(buf, path, i);
		buf[i] = '\0';
		if (stat(buf, &st) == 0 || errno != EACCES)
			continue;
		/* buf itself cannot be reached: the fault is its parent. */
		while (i > 0 && buf[i - 1] != '/')
			i--;
		if (i == 0)
			snprintf(buf, len, ".");
		else
			buf[i > 1 ? i - 1 : 1] = '\0';
		return 0;
	}
	return -1;
}

/* Diagnosis. */

static void
oom(void)
{
	msg_error(EXIT_SHM_FAIL, "out of memory");
	exit(EXIT_SHM_FAIL);
}

char *
obj_caller_str(void)
{
	char num[16], *s = NULL;
	const char *name;
	gid_t *groups, egid = getegid();
	uid_t euid = geteuid();
	size_t len;
	FILE *fp;
	int n, i;

	if ((fp = open_memstream(&s, &len)) == NULL)
		oom();
	if ((name = uid_name(euid)) != NULL)
		fprintf(fp, "%s (uid %u)", name, (unsigned int)euid);
	else
		fprintf(fp, "uid %u", (unsigned int)euid);
	fprintf(fp, ", groups %s", obj_group_name(egid, num, sizeof(num)));
	groups = access_groups(&n);
	for (i = 0; i < n; i++)
		if (groups[i] != egid)
			fprintf(fp, ",%s", obj_group_name(groups[i], num,
			    sizeof(num)));
	free(groups);
	if (ferror(fp) | fclose(fp))
		oom();
	return s;
}

/* The facts of the access decision for the segment info names. */
static void
decide(const struct obj_info *info, struct access_facts *f)
{
	struct access_subject s = {
		.uid = info->uid, .cuid = info->cuid,
		.gid = info->gid, .cgid = info->cgid,
		.mode = info->mode & 0777,
	};

	access_decide(&s, f);
}

/* The bits missing, in words; NULL when none is. */
static const char *
lack_str(unsigned int lack)
{
	if (lack == 6)
		return "read and write";
	if (lack & 4)
		return "read";
	if (lack & 2)
		return "write";
	return NULL;
}

int
diag_access(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly)
{
	char perms[10], n1[16], n2[16], n3[16], *what, *caller, *args;
	const char *class, *missing, *owner, *group, *me;
	unsigned int shift, need, grant;
	struct access_facts f;
	uid_t euid = geteuid();
	bool mine;

	decide(info, &f);
	mine = f.cls == ACC_OWNER || f.cls == ACC_CREATOR;
	what = obj_info_text(sel, info);
	owner = obj_user_name(info->uid, n1, sizeof(n1));
	group = obj_group_name(info->gid, n2, sizeof(n2));
	me = obj_user_name(euid, n3, sizeof(n3));
	format_perms(info->mode, perms);
	caller = obj_caller_str();
	if (mine) {
		class = "the owner's bits";
		shift = 6;
	} else if (f.cls == ACC_GROUP) {
		class = "the group's bits";
		shift = 3;
	} else {
		class = "the bits for others";
		shift = 0;
	}
	need = readonly ? 4 : 6;
	/* NULL: the bits allow it, so something else (an LSM) refused */
	missing = lack_str(readonly ? f.lack_read : f.lack_write);
	if (missing != NULL)
		msg_error(EXIT_SHM_PERM, "cannot attach %s for %s: permission"
		    " denied: owner %s, group %s, mode %04o (%s); you are %s,"
		    " so %s apply, and they lack %s", what,
		    readonly ? "reading" : "writing", owner, group,
		    info->mode & 0777, perms, caller, class, missing);
	else
		msg_error(EXIT_SHM_PERM, "cannot attach %s for %s: permission"
		    " denied, although mode %04o (%s) allows it to you, %s;"
		    " a security module may have refused", what,
		    readonly ? "reading" : "writing", info->mode & 0777, perms,
		    caller);
	if (missing != NULL) {
		grant = (info->mode & 0777) | (need << shift);
		args = obj_info_opts(sel, info);
		if (mine)
			/* the owner and the creator may change the mode */
			msg_hint("as its %s, you can allow it yourself: shm"
			    " chmod %04o %s", f.cls == ACC_OWNER ? "owner" :
			    "creator", grant, args);
		else {
			msg_hint("the owner (%s) can allow it: shm chmod %04o"
			    " %s", owner, grant, args);
			msg_hint("or ask %s to give you the segment: shm chown"
			    " %s %s", owner, me, args);
		}
		free(args);
	}
	free(caller);
	free(what);
	return EXIT_SHM_PERM;
}

/* Explains EPERM from IPC_RMID or IPC_SET: who may do it. */
int
diag_not_owner(const struct obj_info *info, const char *action,
    const char *cmd)
{
	char n1[16], n2[16], n3[16], *what, *args;
	const char *owner, *creator, *me;

	what = obj_info_text(NULL, info);
	owner = obj_user_name(info->uid, n1, sizeof(n1));
	creator = obj_user_name(info->cuid, n2, sizeof(n2));
	me = obj_user_name(geteuid(), n3, sizeof(n3));
	if (info->uid == info->cuid)
		msg_error(EXIT_SHM_PERM, "cannot %s %s: operation not"
		    " permitted: only its owner and creator %s, or a privileged"
		    " user, may; you are %s", action, what, owner, me);
	else
		msg_error(EXIT_SHM_PERM, "cannot %s %s: operation not"
		    " permitted: only its owner %s, its creator %s, or a"
		    " privileged user, may; you are %s", action, what, owner,
		    creator, me);
	args = obj_info_opts(NULL, info);
	msg_hint("ask %s to run: shm %s %s", owner, cmd, args);
	free(args);
	free(what);
	return EXIT_SHM_PERM;
}

/*
 * No segment for sel.  Where the caller goes on to use it (read, write,
 * create, fork-demo), the fix is to create it; where it acts on what exists
 * (rm, stat, chmod, chown), to find the right one.
 */
int
diag_no_segment(const struct obj_sel *sel, bool offer_create)
{
	char *what, *args;

	what = obj_sel_text(sel);
	if (sel->kind == SEL_POSIX)
		msg_error(EXIT_SHM_NOENT, "no %s: /dev/shm/%s does not exist",
		    what, sel->name);
	else if (sel->kind == SEL_ID)
		msg_error(EXIT_SHM_NOENT, "no segment has id %d", sel->id);
	else
		msg_error(EXIT_SHM_NOENT, "no segment has %s", what);
	if (sel->kind == SEL_POSIX && !offer_create)
		msg_hint("list the objects that exist: shm ls --posix");
	else if (sel->kind == SEL_ID || !offer_create)
		msg_hint("list the segments that exist: shm ls");
	else {
		args = obj_sel_opts(sel);
		msg_hint("create it: shm create %s --size SIZE", args);
		free(args);
	}
	free(what);
	return EXIT_SHM_NOENT;
}

int
diag_removed(const struct obj_sel *sel, int id)
{
	char *what;

	if (sel != NULL && sel->kind == SEL_POSIX) {
		what = obj_sel_text(sel);
		msg_error(EXIT_SHM_NOENT, "%s was removed while shm was using"
		    " it", what);
		free(what);
		return EXIT_SHM_NOENT;
	}
	if (sel != NULL && sel->kind != SEL_ID && sel->kind != SEL_PRIVATE) {
		what = obj_sel_text(sel);
		msg_error(EXIT_SHM_NOENT, "%s (id %d) was removed while shm"
		    " was using it", what, id);
		free(what);
		return EXIT_SHM_NOENT;
	}
	return msg_error(EXIT_SHM_NOENT, "segment id %d was removed while shm"
	    " was using it", id);
}

/* "s" for a count other than 1. */
static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* Explains ENOSPC from shmget: out of ids (SHMMNI) or of memory (SHMALL). */
int
diag_no_space(uint64_t size)
{
	struct obj_limits l;
	uint64_t pages;

	if (obj_get_limits(&l) != EXIT_SHM_OK)
		return EXIT_SHM_FAIL;
	if (l.used_ids >= l.shmmni) {
		msg_error(EXIT_SHM_SIZE, "cannot create a segment: no segment"
		    " ids left: %" PRIu64 " segment%s in use of SHMMNI %"
		    PRIu64, l.used_ids, plural(l.used_ids), l.shmmni);
		if (l.used_ids > 0) {
			msg_hint("see them with 'shm ls'; see which are"
			    " unused with 'shm rm --orphaned --dry-run', then"
			    " remove those with 'shm rm --orphaned'");
			msg_hint("or raise the limit: sysctl kernel.shmmni=%"
			    PRIu64, l.used_ids + 1);
		} else
			msg_hint("raise the limit: sysctl kernel.shmmni=1");
		return EXIT_SHM_SIZE;
	}
	/* newseg() in the kernel: in-use pages + pages asked <= SHMALL */
	pages = size / l.page_size + (size % l.page_size != 0);
	msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
	    " byte%s: shared memory used up: %" PRIu64 " byte%s in use of"
	    " SHMALL %" PRIu64 " byte%s (%" PRIu64 " page%s of %" PRIu64
	    " bytes); the new segment needs %" PRIu64 " page%s", size,
	    plural(size), l.used_pages * l.page_size,
	    plural(l.used_pages * l.page_size), l.shmall * l.page_size,
	    plural(l.shmall * l.page_size), l.shmall, plural(l.shmall),
	    l.page_size, pages, plural(pages));
	if (l.used_pages > 0)
		msg_hint("see which segments are unused with 'shm rm"
		    " --orphaned --dry-run', then remove those with 'shm rm"
		    " --orphaned'");
	msg_hint("%s the limit: sysctl kernel.shmall=%" PRIu64,
	    l.used_pages > 0 ? "or raise" : "raise", l.used_pages + pages);
	return EXIT_SHM_SIZE;
}

/* Explains EINVAL from creating shmget: the size against the limits. */
int
diag_bad_size(uint64_t size)
{
	struct obj_limits l;

	if (obj_get_limits(&l) != EXIT_SHM_OK)
		return EXIT_SHM_FAIL;
	if (size > l.shmmax) {
		msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
		    " byte%s: larger than SHMMAX, %" PRIu64 " byte%s", size,
		    plural(size), l.shmmax, plural(l.shmmax));
		msg_hint("ask for less, or raise the limit: sysctl"
		    " kernel.shmmax=%" PRIu64, size);
		return EXIT_SHM_SIZE;
	}
	if (size < l.shmmin)
		return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %"
		    PRIu64 " byte%s: smaller than SHMMIN, %" PRIu64 " byte%s",
		    size, plural(size), l.shmmin, plural(l.shmmin));
	return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
	    " byte%s: the kernel refused the size (SHMMAX %" PRIu64 ")", size,
	    plural(size), l.shmmax);
}

/*
 * Explains ENOMEM from creating shmget: the kernel would not commit that
 * much memory, by the rule of vm.overcommit_memory.
 */
int
diag_no_memory(uint64_t size)
{
	char h[16], h1[16], h2[16], h3[16], h4[16];
	struct proc_mem m;
	uint64_t room;

	proc_mem(&m);
	if (!m.known)
		return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %"
		    PRIu64 " byte%s: out of memory (/proc/meminfo cannot be"
		    " read)", size, plural(size));
	msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
	    " byte%s (%s): the kernel will not commit that much memory:"
	    " MemAvailable %s, CommitLimit %s, Committed_AS %s;"
	    " vm.overcommit_memory is %ld (%s)", size, plural(size),
	    format_human(size, h), format_human(m.avail, h1),
	    format_human(m.commit_limit, h2), format_human(m.committed, h3),
	    m.mode, m.mode == 0 ? "heuristic: no one allocation larger than"
	    " RAM and swap" : m.mode == 2 ? "strict: no more committed in all"
	    " than CommitLimit" : m.mode == 1 ? "always overcommit" :
	    "unknown");
	if (m.mode == 2) {
		room = m.commit_limit > m.committed ?
		    m.commit_limit - m.committed : 0;
		if (room > 0)
			msg_hint("%" PRIu64 " byte%s (%s) can still be"
			    " committed: ask for at most that, or raise"
			    " CommitLimit: sysctl vm.overcommit_ratio (now %ld"
			    " %%) or vm.overcommit_kbytes, or add swap", room,
			    plural(room), format_human(room, h4), m.ratio);
		else
			msg_hint("nothing more can be committed: raise"
			    " CommitLimit: sysctl vm.overcommit_ratio (now %ld"
			    " %%) or vm.overcommit_kbytes, or add swap",
			    m.ratio);
		msg_hint("or let the kernel decide by its heuristic: sysctl"
		    " vm.overcommit_memory=0");
	} else if (m.mode == 0) {
		msg_hint("RAM and swap hold %s: ask for less, add swap, or"
		    " allow overcommit: sysctl vm.overcommit_memory=1",
		    format_human(m.total + m.swap, h4));
	} else
		msg_hint("ask for less, or free memory (MemAvailable %s)",
		    format_human(m.avail, h4));
	return EXIT_SHM_SIZE;
}

/*
 * Explains EINVAL from IPC_SET: the segment is gone, or (as the kernel
 * checks first) uid or gid has no mapping in the caller's user namespace.
 */
int
diag_set_invalid(const struct obj_info *info, uid_t uid, gid_t gid,
    const char *action)
{
	bool uid_ok = proc_id_mapped("/proc/self/uid_map", uid);
	bool gid_ok = proc_id_mapped("/proc/self/gid_map", gid);
	char *what;

	if (uid_ok && gid_ok)
		return diag_removed(NULL, info->id);
	what = obj_info_text(NULL, info);
	if (!uid_ok && !gid_ok)
		msg_error(EXIT_SHM_USAGE, "cannot %s %s: uid %u and gid %u"
		    " have no mapping in this user namespace", action, what,
		    (unsigned int)uid, (unsigned int)gid);
	else if (!uid_ok)
		msg_error(EXIT_SHM_USAGE, "cannot %s %s: uid %u has no"
		    " mapping in this user namespace", action, what,
		    (unsigned int)uid);
	else
		msg_error(EXIT_SHM_USAGE, "cannot %s %s: gid %u has no"
		    " mapping in this user namespace", action, what,
		    (unsigned int)gid);
	if (!uid_ok)
		msg_hint("choose a uid that /proc/self/uid_map maps, or map uid"
		    " %u when the user namespace is made (newuidmap)",
		    (unsigned int)uid);
	if (!gid_ok)
		msg_hint("%s a gid that /proc/self/gid_map maps, or map gid"
		    " %u when the user namespace is made (newgidmap)",
		    uid_ok ? "choose" : "and", (unsigned int)gid);
	free(what);
	return EXIT_SHM_USAGE;
}

int
diag_unexpected(const char *what, const struct obj_sel *sel)
{
	char *s;
	int e = errno;

	s = obj_sel_text(sel);
	if (e == ENOMEM)
		msg_error(EXIT_SHM_SIZE, "%s %s: out of memory", what, s);
	else
		msg_error(EXIT_SHM_FAIL, "%s %s: %s", what, s, strerror(e));
	free(s);
	return e == ENOMEM ? EXIT_SHM_SIZE : EXIT_SHM_FAIL;
}

int
diag_ftok(const struct obj_sel *sel)
{
	char dir[PATH_MAX], *q;

	switch (errno) {
	case ENOENT:
		msg_error(EXIT_SHM_NOENT, "no file '%s': ftok needs an existing"
		    " file to make a key from", sel->path);
		q = obj_shell_quote(sel->path);
		msg_hint("create it first (touch %s), or name the segment"
		    " with --key", q);
		free(q);
		return EXIT_SHM_NOENT;
	case ENOTDIR:
		msg_error(EXIT_SHM_NOENT, "no file '%s': a part of the path"
		    " is not a directory", sel->path);
		msg_hint("check the path, or name the segment with --key");
		return EXIT_SHM_NOENT;
	case EACCES:
		if (unsearchable_dir(sel->path, dir, sizeof(dir)) == 0)
			msg_error(EXIT_SHM_PERM, "cannot reach '%s' for ftok:"
			    " permission denied: you may not search directory"
			    " '%s'", sel->path, dir);
		else
			msg_error(EXIT_SHM_PERM, "cannot reach '%s' for ftok:"
			    " permission denied", sel->path);
		msg_hint("ask the directory's owner for search (x) permission,"
		    " or name the segment with --key");
		return EXIT_SHM_PERM;
	default:
		return msg_error(EXIT_SHM_FAIL, "ftok of '%s' failed: %s",
		    sel->path, strerror(errno));
	}
}

int
diag_too_small(const struct obj_sel *sel, const struct obj_info *info,
    uint64_t size)
{
	char *what, *args;

	what = obj_info_text(sel, info);
	args = obj_sel_opts(sel);
	msg_error(EXIT_SHM_SIZE, "%s has %" PRIu64 " byte%s, less than the %"
	    PRIu64 " asked", what, info->size, plural(info->size), size);
	msg_hint("ask for at most %" PRIu64 " byte%s, or remove it first:"
	    " shm rm %s", info->size, plural(info->size), args);
	free(args);
	free(what);
	return EXIT_SHM_SIZE;
}

int
diag_exists(const struct obj_sel *sel, const struct obj_info *info)
{
	char owner[64], *what, *args;

	what = obj_info_text(sel, info);
	args = obj_sel_opts(sel);
	msg_error(EXIT_SHM_EXISTS, "%s already exists: %" PRIu64
	    " byte%s, owner %s, mode %04o", what, info->size,
	    plural(info->size),
	    obj_user_name(info->uid, owner, sizeof(owner)),
	    info->mode & 0777);
	msg_hint("use it as it is (drop --exclusive), or remove it"
	    " first: shm rm %s", args);
	free(args);
	free(what);
	return EXIT_SHM_EXISTS;
}

int
diag_no_room(const char *action, uint64_t size)
{
	struct statvfs vfs;
	uint64_t total, avail;

	if (statvfs("/dev/shm", &vfs) != 0) {
		msg_error(EXIT_SHM_SIZE, "cannot %s: /dev/shm cannot hold %"
		    PRIu64 " byte%s", action, size, plural(size));
		msg_hint("see its size and use: df -h /dev/shm");
		return EXIT_SHM_SIZE;
	}
	total = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	msg_error(EXIT_SHM_SIZE, "cannot %s: /dev/shm cannot hold %" PRIu64
	    " byte%s: the tmpfs has %" PRIu64 " byte%s, %" PRIu64 " free",
	    action, size, plural(size), total, plural(total), avail);
	msg_hint("remove objects no longer used (shm ls --posix), or give"
	    " the tmpfs more room: mount -o remount,size=%" PRIu64
	    " /dev/shm", total - avail + size);
	return EXIT_SHM_SIZE;
}

int
diag_keeps_going(const struct obj_sel *sel)
{
	char *what = obj_sel_text(sel);

	msg_error(EXIT_SHM_FAIL, "cannot open %s: it keeps being removed and"
	    " made again", what);
	free(what);
	return EXIT_SHM_FAIL;
}

/* What the caller may do, in words, for shm stat. */

static const char *
bits_str(unsigned int bits)
{
	switch (bits & 6) {
	case 6:
		return "read and write";
	case 4:
		return "read only";
	case 2:
		return "write only";
	default:
		return "no access";
	}
}

/* Who the caller is to the segment, and the class of the mode applied. */
static void
who_words(const struct obj_info *info, const struct access_facts *f,
    char **who, char **cls)
{
	char n1[16], n2[16], n3[16], n4[16], *gs;
	const char *owner, *creator, *g1, *g2;

	owner = obj_user_name(info->uid, n1, sizeof(n1));
	creator = obj_user_name(info->cuid, n2, sizeof(n2));
	g1 = obj_group_name(info->gid, n3, sizeof(n3));
	g2 = obj_group_name(info->cgid, n4, sizeof(n4));
	switch (f->cls) {
	case ACC_OWNER:
	case ACC_CREATOR:
		*who = xstrf("you are the %s",
		    f->cls == ACC_OWNER ? "owner" : "creator");
		*cls = xstrf("the owner");
		return;
	case ACC_GROUP:
		g1 = f->group == info->gid ? g1 : g2;
		*who = xstrf("you are in group '%s'", g1);
		*cls = xstrf("group '%s'", g1);
		return;
	case ACC_OTHERS:
		break;
	}
	if (info->gid == info->cgid)
		gs = xstrf("in group '%s'", g1);
	else
		gs = xstrf("in group '%s' or '%s'", g1, g2);
	if (info->uid == info->cuid)
		*who = xstrf("you are neither the owner and creator %s nor %s",
		    owner, gs);
	else
		*who = xstrf("you are neither the owner %s, the creator %s,"
		    " nor %s", owner, creator, gs);
	free(gs);
	*cls = xstrf("others");
}

/* Read and write, in words. */
static void
bits_words(const struct obj_info *info, const struct access_facts *f,
    struct obj_verdict *rd, struct obj_verdict *wr)
{
	char *who, *cls, *mode;
	unsigned int bits = f->bits;

	who_words(info, f, &who, &cls);
	mode = xstrf("mode %04o gives %s %s", info->mode & 0777, cls,
	    bits_str(bits));
	rd->allowed = f->read;
	if (!(bits & 4) && f->ipc_owner)
		rd->reason = xstrf("%s, but you have CAP_IPC_OWNER, which"
		    " overrides the mode", mode);
	else
		rd->reason = xstrf("%s, and %s", who, mode);
	wr->allowed = f->write;
	if ((bits & 6) != 6 && f->ipc_owner)
		wr->reason = xstrf("%s, but you have CAP_IPC_OWNER, which"
		    " overrides the mode", mode);
	else if ((bits & 6) == 2)
		wr->reason = xstrf("%s, and %s; a segment attached to write"
		    " must be readable too", who, mode);
	else
		wr->reason = xstrf("%s, and %s", who, mode);
	free(mode);
	free(cls);
	free(who);
}

/* IPC_RMID and IPC_SET, in words. */
static void
owner_words(const struct obj_info *info, const struct access_facts *f,
    struct obj_verdict *v)
{
	char n1[16], n2[16];
	const char *owner, *creator;

	v->allowed = f->change;
	if (f->cls == ACC_OWNER)
		v->reason = xstrf("you are the owner");
	else if (f->cls == ACC_CREATOR)
		v->reason = xstrf("you are the creator");
	else if (f->sys_admin)
		v->reason = xstrf("you have CAP_SYS_ADMIN");
	else {
		owner = obj_user_name(info->uid, n1, sizeof(n1));
		creator = obj_user_name(info->cuid, n2, sizeof(n2));
		if (info->uid == info->cuid)
			v->reason = xstrf("only the owner and creator %s, or a"
			    " privileged user (CAP_SYS_ADMIN), may", owner);
		else
			v->reason = xstrf("only the owner %s, the creator %s,"
			    " or a privileged user (CAP_SYS_ADMIN), may",
			    owner, creator);
	}
}

void
obj_access(const struct obj_info *info,
    struct obj_verdict v[OBJ_ACT_COUNT])
{
	struct access_facts f;

	decide(info, &f);
	bits_words(info, &f, &v[OBJ_ACT_READ], &v[OBJ_ACT_WRITE]);
	owner_words(info, &f, &v[OBJ_ACT_REMOVE]);
	v[OBJ_ACT_CHANGE].allowed = v[OBJ_ACT_REMOVE].allowed;
	v[OBJ_ACT_CHANGE].reason = xstrf("%s", v[OBJ_ACT_REMOVE].reason);
}

void
obj_free_verdicts(struct obj_verdict v[OBJ_ACT_COUNT])
{
	size_t i;

	for (i = 0; i < OBJ_ACT_COUNT; i++) {
		free(v[i].reason);
		v[i].reason = NULL;
	}
}

int
obj_diag_access(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly)
{
	return diag_access(sel, info, readonly);
}
