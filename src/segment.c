/*
 * The core of shm(1).  Everything that touches a System V segment goes
 * through here, and so does the diagnosis of every way that can fail: the
 * kernel says EINVAL for five different mistakes, and the user deserves to
 * be told which one it was, with the real figures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "output.h"
#include "segment.h"

#define PROC_SYSVIPC_SHM	"/proc/sysvipc/shm"

/* Enough for a selector's description or its options. */
#define SEL_BUF	(PATH_MAX + 64)

/*
 * Between "the key exists" and "open it" the segment can be removed by
 * someone else; creation retries this many times before giving up.
 */
#define CREATE_RETRIES	16

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22	/* Linux 5.14 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

/* Below this, faulting pages one by one costs less than the madvise(2). */
#define PREFAULT_MIN	(1U << 20)

char *
seg_key_str(key_t key, char buf[11])
{
	snprintf(buf, 11, "0x%08x", (unsigned int)(uint32_t)key);
	return buf;
}

static int	resolve(struct seg_sel *, int);

/* Quotes s for a shell when it holds anything but plain characters. */
static const char *
shell_quote(const char *s, char *buf, size_t len)
{
	const char *p;
	size_t o = 0;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,:@+=%") == strlen(s))
		return s;
	if (len < 3)
		return "''";
	buf[o++] = '\'';
	for (p = s; *p != '\0' && o + 6 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else
			buf[o++] = *p;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

const char *
seg_sel_str(const struct seg_sel *sel, char *buf, size_t len)
{
	char k[11];

	switch (sel->kind) {
	case SEL_KEY:
		snprintf(buf, len, "key %s", seg_key_str(sel->key, k));
		break;
	case SEL_FILE:
		if (sel->resolved)
			snprintf(buf, len, "key %s (ftok of '%s', proj %d)",
			    seg_key_str(sel->key, k), sel->path, sel->proj);
		else
			snprintf(buf, len, "ftok of '%s', proj %d",
			    sel->path, sel->proj);
		break;
	case SEL_ID:
		snprintf(buf, len, "id %d", sel->id);
		break;
	default:
		snprintf(buf, len, "a private segment");
		break;
	}
	return buf;
}

char *
seg_sel_args(const struct seg_sel *sel, char *buf, size_t len)
{
	char k[11], q[SEL_BUF];

	switch (sel->kind) {
	case SEL_KEY:
		snprintf(buf, len, "--key %s", seg_key_str(sel->key, k));
		break;
	case SEL_FILE:
		if (sel->proj == 1)
			snprintf(buf, len, "--file %s",
			    shell_quote(sel->path, q, sizeof(q)));
		else
			snprintf(buf, len, "--file %s --proj %d",
			    shell_quote(sel->path, q, sizeof(q)), sel->proj);
		break;
	case SEL_ID:
		snprintf(buf, len, "--id %d", sel->id);
		break;
	default:
		snprintf(buf, len, "--private");
		break;
	}
	return buf;
}

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
static const char *
info_str(const struct seg_sel *sel, const struct seg_info *info, char *buf,
    size_t len)
{
	char k[11], s[SEL_BUF];

	if (sel != NULL && sel->kind == SEL_FILE)
		snprintf(buf, len, "%s, id %d", seg_sel_str(sel, s, sizeof(s)),
		    info->id);
	else if (info->key != IPC_PRIVATE)
		snprintf(buf, len, "key %s (id %d)",
		    seg_key_str(info->key, k), info->id);
	else
		snprintf(buf, len, "id %d", info->id);
	return buf;
}

const char *
seg_info_str(const struct seg_info *info, char *buf, size_t len)
{
	return info_str(NULL, info, buf, len);
}

static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

static const char *
group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		snprintf(buf, len, "%s", gr->gr_name);
	else
		snprintf(buf, len, "%u", (unsigned int)gid);
	return buf;
}

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

int
seg_resolve(struct seg_sel *sel)
{
	return resolve(sel, 0);
}

static int
resolve(struct seg_sel *sel, int flags)
{
	char qbuf[SEL_BUF], dir[PATH_MAX];
	const char *q;
	key_t key;

	if (sel->kind != SEL_FILE || sel->resolved)
		return EXIT_SHM_OK;
	errno = 0;
	key = ftok(sel->path, sel->proj);
	if (key != -1 || errno == 0) {
		/* ftok can return -1 as a valid key; errno tells. */
		sel->key = key;
		sel->resolved = true;
		return EXIT_SHM_OK;
	}
	if ((errno == ENOENT || errno == ENOTDIR) &&
	    (flags & SEG_QUIET_MISSING))
		return EXIT_SHM_NOENT;
	q = shell_quote(sel->path, qbuf, sizeof(qbuf));
	switch (errno) {
	case ENOENT:
		msg_error(EXIT_SHM_NOENT, "no file '%s': ftok needs an existing"
		    " file to make a key from", sel->path);
		msg_hint("create it first (touch %s), or name the segment"
		    " with --key", q);
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

/* Reading /proc/sysvipc/shm. */

/* Skips blanks, then reads a decimal (or, with octal, octal) number. */
static const char *
scan_num(const char *p, const char *end, bool octal, long long *out)
{
	unsigned long long v = 0;
	bool neg = false;
	const char *start;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	start = p;
	if (octal)
		while (p < end && *p >= '0' && *p <= '7')
			v = v * 8 + (unsigned long long)(*p++ - '0');
	else
		while (p < end && *p >= '0' && *p <= '9')
			v = v * 10 + (unsigned long long)(*p++ - '0');
	if (p == start)
		return NULL;
	*out = neg ? -(long long)v : (long long)v;
	return p;
}

/* Parses one line of /proc/sysvipc/shm; returns 0, or -1 for the header. */
static int
parse_proc_line(const char *p, const char *end, struct seg_info *r)
{
	long long f[16];
	int i, n;

	for (n = 0; n < 16; n++) {
		const char *q = scan_num(p, end, n == 2, &f[n]);

		if (q == NULL)
			break;
		p = q;
	}
	if (n < 14)
		return -1;
	for (i = n; i < 16; i++)
		f[i] = 0;
	r->key = (key_t)f[0];
	r->id = (int)f[1];
	r->mode = (unsigned int)f[2];
	r->size = (uint64_t)f[3];
	r->cpid = (pid_t)f[4];
	r->lpid = (pid_t)f[5];
	r->nattch = (uint64_t)f[6];
	r->uid = (uid_t)f[7];
	r->gid = (gid_t)f[8];
	r->cuid = (uid_t)f[9];
	r->cgid = (gid_t)f[10];
	r->atime = (time_t)f[11];
	r->dtime = (time_t)f[12];
	r->ctime = (time_t)f[13];
	r->rss = (uint64_t)f[14];
	r->swap = (uint64_t)f[15];
	r->mem_known = n >= 16;
	return 0;
}

/* Reads all of a /proc file; returns a malloc'd buffer, or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf, *nb;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		if (n == cap) {
			if ((nb = realloc(buf, cap * 2)) == NULL)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

static int
list_proc(const char *path, struct seg_info **rows, size_t *nrows)
{
	struct seg_info *v = NULL, *nv;
	size_t len, n = 0, cap = 0;
	const char *p, *end, *eol;
	char *buf;

	if ((buf = slurp(path, &len)) == NULL)
		return -1;
	for (p = buf, end = buf + len; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				free(buf);
				return -1;
			}
			v = nv;
		}
		if (parse_proc_line(p, eol, &v[n]) == 0)
			n++;
	}
	free(buf);
	*rows = v;
	*nrows = n;
	return 0;
}

static void
info_from_ds(int id, const struct shmid_ds *ds, struct seg_info *r)
{
	memset(r, 0, sizeof(*r));
	r->key = ds->shm_perm.__key;
	r->id = id;
	r->mode = ds->shm_perm.mode & 07777;
	r->size = ds->shm_segsz;
	r->cpid = ds->shm_cpid;
	r->lpid = ds->shm_lpid;
	r->nattch = ds->shm_nattch;
	r->uid = ds->shm_perm.uid;
	r->gid = ds->shm_perm.gid;
	r->cuid = ds->shm_perm.cuid;
	r->cgid = ds->shm_perm.cgid;
	r->atime = ds->shm_atime;
	r->dtime = ds->shm_dtime;
	r->ctime = ds->shm_ctime;
}

/*
 * The fallback when /proc is not mounted: walk the kernel's index with
 * SHM_STAT_ANY, which (unlike SHM_STAT) needs no read permission.
 */
static int
list_shmctl(struct seg_info **rows, size_t *nrows, bool *complete)
{
	struct shm_info si;
	struct shmid_ds ds;
	struct seg_info *v;
	int maxidx, i, id, cmd;
	size_t n = 0;

	*complete = true;
	maxidx = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si);
	if (maxidx < 0)
		return -1;
	if ((v = calloc((size_t)maxidx + 1, sizeof(*v))) == NULL)
		return -1;
#ifdef SHM_STAT_ANY
	cmd = SHM_STAT_ANY;
#else
	cmd = SHM_STAT;
#endif
	/*
	 * The kernel fills ds, but memory checkers that do not know
	 * SHM_STAT_ANY would take it for uninitialised.
	 */
	memset(&ds, 0, sizeof(ds));
	for (i = 0; i <= maxidx; i++) {
		id = shmctl(i, cmd, &ds);
		if (id < 0 && errno == EINVAL && cmd != SHM_STAT) {
			/*
			 * An unused index (ids are handed out in turn, so the
			 * low ones are often free), or a kernel older than
			 * 4.17 without SHM_STAT_ANY: SHM_STAT tells which.
			 */
			id = shmctl(i, SHM_STAT, &ds);
			if (id >= 0 || errno != EINVAL) {
				/* it skips what the caller may not read */
				cmd = SHM_STAT;
				*complete = false;
			}
		}
		if (id < 0)
			continue;
		info_from_ds(id, &ds, &v[n++]);
	}
	*rows = v;
	*nrows = n;
	return 0;
}

int
seg_list(struct seg_info **rows, size_t *n, int flags)
{
	const char *path = getenv("SHM_PROC_SYSVIPC");
	bool complete;

	/*
	 * The shmctl walk costs a third of reading /proc/sysvipc/shm, where
	 * the kernel formats every row and counts each one's resident and
	 * swapped pages; so /proc is read first only when those are wanted,
	 * when SHM_PROC_SYSVIPC names a file, or when the walk could not see
	 * every segment (a kernel without SHM_STAT_ANY).
	 */
	if (!(flags & SEG_LIST_MEM) && (path == NULL || *path == '\0')) {
		if (list_shmctl(rows, n, &complete) == 0) {
			if (complete)
				return EXIT_SHM_OK;
			free(*rows);
		}
	}
	if (path == NULL || *path == '\0')
		path = PROC_SYSVIPC_SHM;
	if (list_proc(path, rows, n) == 0 ||
	    list_shmctl(rows, n, &complete) == 0)
		return EXIT_SHM_OK;
	return msg_error(EXIT_SHM_FAIL, "cannot list segments: %s",
	    strerror(errno));
}

/*
 * What the kernel knows of one segment, without needing permission on it.
 * Returns 0, or -1 when no segment has that id.
 */
static int
info_by_id(int id, struct seg_info *out)
{
	struct seg_info *rows;
	struct shmid_ds ds;
	size_t i, n;

	/* Cheap, and enough whenever the caller may read the segment. */
	if (shmctl(id, IPC_STAT, &ds) == 0) {
		info_from_ds(id, &ds, out);
		return 0;
	}
	if (errno == EINVAL || errno == EIDRM)
		return -1;
	if (seg_list(&rows, &n, 0) != EXIT_SHM_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (rows[i].id == id) {
			*out = rows[i];
			free(rows);
			return 0;
		}
	free(rows);
	return -1;
}

int
seg_get_limits(struct seg_limits *l)
{
	struct shminfo info;
	struct shm_info use;
	long page;

	memset(l, 0, sizeof(*l));
	if (shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&info) < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot read the kernel's"
		    " limits (shmctl IPC_INFO): %s", strerror(errno));
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&use) < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot read the current use"
		    " (shmctl SHM_INFO): %s", strerror(errno));
	page = sysconf(_SC_PAGESIZE);
	l->shmmax = info.shmmax;
	l->shmmin = info.shmmin;
	l->shmmni = info.shmmni;
	l->shmall = info.shmall;
	l->page_size = page > 0 ? (uint64_t)page : 4096;
	l->used_ids = (uint64_t)use.used_ids;
	l->used_pages = (uint64_t)use.shm_tot;
	return EXIT_SHM_OK;
}

bool
seg_caller_has_cap(int cap)
{
	char line[256];
	unsigned long long caps;
	bool found = false;
	FILE *fp;

	if ((fp = fopen("/proc/self/status", "re")) == NULL)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			found = true;
			break;
		}
	fclose(fp);
	if (!found)
		return geteuid() == 0;
	return cap >= 0 && cap < 64 && (caps >> cap & 1);
}

/* Diagnosis. */

/* The caller as "nobody (uid 65534), groups nogroup". */
static void
caller_str(char *buf, size_t len)
{
	gid_t groups[NGROUPS_MAX + 1];
	char name[64];
	size_t o;
	int n, i;
	gid_t egid = getegid();

	o = (size_t)snprintf(buf, len, "%s (uid %u), groups ",
	    user_name(geteuid(), name, sizeof(name)),
	    (unsigned int)geteuid());
	if (o >= len)
		return;
	o += (size_t)snprintf(buf + o, len - o, "%s",
	    group_name(egid, name, sizeof(name)));
	n = getgroups(NGROUPS_MAX, groups);
	for (i = 0; i < n && o < len; i++) {
		if (groups[i] == egid)
			continue;
		o += (size_t)snprintf(buf + o, len - o, ",%s",
		    group_name(groups[i], name, sizeof(name)));
	}
}

static bool
caller_in_group(gid_t gid)
{
	gid_t groups[NGROUPS_MAX + 1];
	int n, i;

	if (getegid() == gid)
		return true;
	n = getgroups(NGROUPS_MAX, groups);
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/*
 * Explains a refused attach (EACCES): whose segment it is, its mode, who the
 * caller is, which class of the mode applies and which bit it lacks, and how
 * the owner can grant it.
 */
static int
diag_access(const struct seg_sel *sel, const struct seg_info *info,
    bool readonly)
{
	char what[SEL_BUF + 32], perms[10], owner[64], group[64];
	char caller[512], args[SEL_BUF];
	const char *class, *missing;
	unsigned int shift, bits, need, grant;
	uid_t euid = geteuid();

	info_str(sel, info, what, sizeof(what));
	user_name(info->uid, owner, sizeof(owner));
	group_name(info->gid, group, sizeof(group));
	format_perms(info->mode, perms);
	caller_str(caller, sizeof(caller));
	if (euid == info->uid || euid == info->cuid) {
		class = "the owner's bits";
		shift = 6;
	} else if (caller_in_group(info->gid) || caller_in_group(info->cgid)) {
		class = "the group's bits";
		shift = 3;
	} else {
		class = "the bits for others";
		shift = 0;
	}
	bits = info->mode >> shift & 7;
	need = readonly ? 4 : 6;
	if ((bits & need) == need)
		/* the bits allow it: then something else (an LSM) refused */
		missing = NULL;
	else if ((need & ~bits) == 6)
		missing = "read and write";
	else if (need & ~bits & 4)
		missing = "read";
	else
		missing = "write";
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
		if (sel != NULL && sel->kind != SEL_PRIVATE)
			seg_sel_args(sel, args, sizeof(args));
		else
			snprintf(args, sizeof(args), "--id %d", info->id);
		msg_hint("the owner (%s) can allow it: shm chmod %04o %s",
		    owner, grant, args);
		msg_hint("or ask %s to give you the segment: shm chown %s %s",
		    owner, user_name(euid, caller, sizeof(caller)), args);
	}
	return EXIT_SHM_PERM;
}

/* Explains EPERM from IPC_RMID or IPC_SET: who may do it. */
static int
diag_not_owner(const struct seg_info *info, const char *action,
    const char *cmd)
{
	char what[SEL_BUF + 32], owner[64], creator[64], me[64];

	info_str(NULL, info, what, sizeof(what));
	user_name(info->uid, owner, sizeof(owner));
	user_name(info->cuid, creator, sizeof(creator));
	user_name(geteuid(), me, sizeof(me));
	if (info->uid == info->cuid)
		msg_error(EXIT_SHM_PERM, "cannot %s %s: operation not"
		    " permitted: only its owner and creator %s, or a privileged"
		    " user, may; you are %s", action, what, owner, me);
	else
		msg_error(EXIT_SHM_PERM, "cannot %s %s: operation not"
		    " permitted: only its owner %s, its creator %s, or a"
		    " privileged user, may; you are %s", action, what, owner,
		    creator, me);
	msg_hint("ask %s to run: shm %s --id %d", owner, cmd, info->id);
	return EXIT_SHM_PERM;
}

/*
 * No segment for sel.  Where the caller goes on to use it (read, write,
 * create, fork-demo), the fix is to create it; where it acts on what exists
 * (rm, stat, chmod, chown), to find the right one.
 */
static int
diag_no_segment(const struct seg_sel *sel, bool offer_create)
{
	char what[SEL_BUF], args[SEL_BUF];

	seg_sel_str(sel, what, sizeof(what));
	if (sel->kind == SEL_ID)
		msg_error(EXIT_SHM_NOENT, "no segment has id %d", sel->id);
	else
		msg_error(EXIT_SHM_NOENT, "no segment has %s", what);
	if (sel->kind == SEL_ID || !offer_create)
		msg_hint("list the segments that exist: shm ls");
	else
		msg_hint("create it: shm create %s --size SIZE",
		    seg_sel_args(sel, args, sizeof(args)));
	return EXIT_SHM_NOENT;
}

static int
diag_removed(const struct seg_sel *sel, int id)
{
	char what[SEL_BUF];

	if (sel != NULL && sel->kind != SEL_ID && sel->kind != SEL_PRIVATE)
		return msg_error(EXIT_SHM_NOENT, "%s (id %d) was removed while"
		    " shm was using it", seg_sel_str(sel, what, sizeof(what)),
		    id);
	return msg_error(EXIT_SHM_NOENT, "segment id %d was removed while shm"
	    " was using it", id);
}

/* Explains ENOSPC from shmget: out of ids (SHMMNI) or of memory (SHMALL). */
static int
diag_no_space(uint64_t size)
{
	struct seg_limits l;

	if (seg_get_limits(&l) != EXIT_SHM_OK)
		return EXIT_SHM_FAIL;
	if (l.used_ids >= l.shmmni) {
		msg_error(EXIT_SHM_SIZE, "cannot create a segment: no segment"
		    " ids left: %" PRIu64 " segments in use of SHMMNI %"
		    PRIu64, l.used_ids, l.shmmni);
		msg_hint("see them with 'shm ls', remove unused ones with"
		    " 'shm rm --orphaned'");
		msg_hint("or raise the limit: sysctl kernel.shmmni=%" PRIu64,
		    l.shmmni * 2);
		return EXIT_SHM_SIZE;
	}
	msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64 " bytes:"
	    " shared memory used up: %" PRIu64 " bytes in use of SHMALL %"
	    PRIu64 " bytes (%" PRIu64 " pages of %" PRIu64 ")", size,
	    l.used_pages * l.page_size, l.shmall * l.page_size, l.shmall,
	    l.page_size);
	msg_hint("remove unused segments: shm rm --orphaned");
	msg_hint("or raise the limit: sysctl kernel.shmall=%" PRIu64,
	    l.used_pages + (size + l.page_size - 1) / l.page_size +
	    l.shmall);
	return EXIT_SHM_SIZE;
}

/* Explains EINVAL from creating shmget: the size against the limits. */
static int
diag_bad_size(uint64_t size)
{
	struct seg_limits l;

	if (seg_get_limits(&l) != EXIT_SHM_OK)
		return EXIT_SHM_FAIL;
	if (size > l.shmmax) {
		msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
		    " bytes: larger than SHMMAX, %" PRIu64 " bytes", size,
		    l.shmmax);
		msg_hint("ask for less, or raise the limit: sysctl"
		    " kernel.shmmax=%" PRIu64, size);
		return EXIT_SHM_SIZE;
	}
	if (size < l.shmmin)
		return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %"
		    PRIu64 " bytes: smaller than SHMMIN, %" PRIu64 " bytes",
		    size, l.shmmin);
	return msg_error(EXIT_SHM_SIZE, "cannot create a segment of %" PRIu64
	    " bytes: the kernel refused the size (SHMMAX %" PRIu64 ")", size,
	    l.shmmax);
}

static int
diag_unexpected(const char *what, const struct seg_sel *sel)
{
	char s[SEL_BUF];
	int e = errno;

	if (e == ENOMEM)
		return msg_error(EXIT_SHM_SIZE, "%s %s: out of memory", what,
		    seg_sel_str(sel, s, sizeof(s)));
	return msg_error(EXIT_SHM_FAIL, "%s %s: %s", what,
	    seg_sel_str(sel, s, sizeof(s)), strerror(e));
}

/* Finding, creating, attaching. */

/* The id for a key, with no permission needed; -1 with errno. */
static int
id_of_key(key_t key)
{
	return shmget(key, 0, 0);
}

int
seg_lookup(struct seg_sel *sel, struct seg_info *info, int flags)
{
	int rc, id;

	if ((rc = resolve(sel, flags)) != EXIT_SHM_OK)
		return rc;
	if (sel->kind == SEL_ID)
		id = sel->id;
	else if ((id = id_of_key(sel->key)) < 0) {
		if (errno == ENOENT && (flags & SEG_QUIET_MISSING))
			return EXIT_SHM_NOENT;
		if (errno == ENOENT)
			return diag_no_segment(sel, false);
		return diag_unexpected("cannot look up", sel);
	}
	if (info_by_id(id, info) != 0) {
		if (flags & SEG_QUIET_MISSING)
			return EXIT_SHM_NOENT;
		if (sel->kind == SEL_ID)
			return diag_no_segment(sel, false);
		return diag_removed(sel, id);
	}
	return EXIT_SHM_OK;
}

/* An existing segment opened by create must hold the size asked. */
static int
check_size(const struct seg_sel *sel, const struct seg_info *info,
    uint64_t size)
{
	char what[SEL_BUF + 32], args[SEL_BUF];

	if (size <= info->size)
		return EXIT_SHM_OK;
	info_str(sel, info, what, sizeof(what));
	seg_sel_args(sel, args, sizeof(args));
	msg_error(EXIT_SHM_SIZE, "%s has %" PRIu64 " bytes, less than the %"
	    PRIu64 " asked", what, info->size, size);
	msg_hint("ask for at most %" PRIu64 " bytes, or remove it first:"
	    " shm rm %s", info->size, args);
	return EXIT_SHM_SIZE;
}

/* Existing segment for create: exclusive, or too small, or just opened. */
static int
create_existing(struct seg_sel *sel, uint64_t size, bool exclusive,
    struct seg_info *info)
{
	char what[SEL_BUF + 32], owner[64], args[SEL_BUF];
	int id;

	if ((id = id_of_key(sel->key)) < 0)
		return -1;	/* gone again: the caller retries */
	if (info_by_id(id, info) != 0)
		return -1;
	info_str(sel, info, what, sizeof(what));
	seg_sel_args(sel, args, sizeof(args));
	if (exclusive) {
		msg_error(EXIT_SHM_EXISTS, "%s already exists: %" PRIu64
		    " bytes, owner %s, mode %04o", what, info->size,
		    user_name(info->uid, owner, sizeof(owner)),
		    info->mode & 0777);
		msg_hint("use it as it is (drop --exclusive), or remove it"
		    " first: shm rm %s", args);
		return EXIT_SHM_EXISTS;
	}
	return check_size(sel, info, size);
}

int
seg_create(struct seg_sel *sel, uint64_t size, unsigned int mode,
    bool exclusive, struct seg_info *info, bool *created)
{
	key_t key = IPC_PRIVATE;
	int rc, id = -1, tries;

	*created = false;
	if ((rc = seg_resolve(sel)) != EXIT_SHM_OK)
		return rc;
	if (sel->kind == SEL_ID) {
		if (exclusive)
			return msg_usage("--exclusive needs a key: an --id"
			    " names a segment that exists");
		if ((rc = seg_lookup(sel, info, 0)) != EXIT_SHM_OK)
			return rc;
		return check_size(sel, info, size);
	}
	if (sel->kind != SEL_PRIVATE)
		key = sel->key;
	if (size > (uint64_t)SIZE_MAX)
		return diag_bad_size(size);
	for (tries = 0; tries < CREATE_RETRIES; tries++) {
		if (size > 0) {
			id = shmget(key, (size_t)size,
			    IPC_CREAT | IPC_EXCL | (int)(mode & 0777));
			if (id >= 0) {
				*created = true;
				break;
			}
			switch (errno) {
			case EEXIST:
				break;
			case EINVAL:
				return diag_bad_size(size);
			case ENOSPC:
				return diag_no_space(size);
			default:
				return diag_unexpected("cannot create", sel);
			}
		} else if (id_of_key(key) < 0) {
			if (errno == ENOENT)
				return diag_no_segment(sel, true);
			return diag_unexpected("cannot look up", sel);
		}
		rc = create_existing(sel, size, exclusive, info);
		if (rc >= 0)
			return rc;
	}
	if (!*created) {
		char what[SEL_BUF];

		return msg_error(EXIT_SHM_FAIL, "cannot open %s: it keeps being"
		    " removed and made again", seg_sel_str(sel, what,
		    sizeof(what)));
	}
	if (info_by_id(id, info) != 0)
		return diag_removed(sel, id);
	return EXIT_SHM_OK;
}

/* Attaches by id; diagnoses with sel and what is known of the segment. */
static int
attach_id(const struct seg_sel *sel, int id, bool known, bool readonly,
    struct seg *s)
{
	struct seg_info info;
	struct shmid_ds ds;
	void *addr;
	int e;

	memset(s, 0, sizeof(*s));
	addr = shmat(id, NULL, readonly ? SHM_RDONLY : 0);
	if (addr == (void *)-1) {
		e = errno;
		if (e == EACCES) {
			if (info_by_id(id, &info) != 0)
				return diag_removed(sel, id);
			return diag_access(sel, &info, readonly);
		}
		if (e == EINVAL || e == EIDRM) {
			if (!known && sel != NULL)
				return diag_no_segment(sel, true);
			return diag_removed(sel, id);
		}
		errno = e;
		return diag_unexpected("cannot attach", sel);
	}
	if (shmctl(id, IPC_STAT, &ds) != 0) {
		e = errno;
		shmdt(addr);
		if (e == EINVAL || e == EIDRM)
			return diag_removed(sel, id);
		errno = e;
		return diag_unexpected("cannot read the size of", sel);
	}
	info_from_ds(id, &ds, &s->info);
	s->addr = addr;
	s->size = (size_t)ds.shm_segsz;
	s->readonly = readonly;
	return EXIT_SHM_OK;
}

int
seg_attach(const struct seg_sel *sel, const struct seg_info *info,
    bool readonly, struct seg *s)
{
	return attach_id(sel, info->id, true, readonly, s);
}

int
seg_open(struct seg_sel *sel, bool readonly, struct seg *s)
{
	int rc, id;

	if ((rc = seg_resolve(sel)) != EXIT_SHM_OK)
		return rc;
	if (sel->kind == SEL_ID)
		return attach_id(sel, sel->id, false, readonly, s);
	if ((id = id_of_key(sel->key)) < 0) {
		if (errno == ENOENT)
			return diag_no_segment(sel, true);
		return diag_unexpected("cannot look up", sel);
	}
	return attach_id(sel, id, true, readonly, s);
}

void
seg_prefault(const void *addr, size_t len, bool for_write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(page - 1);

	if (len < PREFAULT_MIN)
		return;
	(void)madvise((void *)start, (uintptr_t)addr + len - start,
	    for_write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

int
seg_detach(struct seg *s)
{
	if (s->addr == NULL)
		return EXIT_SHM_OK;
	if (shmdt(s->addr) != 0)
		return msg_error(EXIT_SHM_FAIL, "cannot detach segment id %d:"
		    " %s", s->info.id, strerror(errno));
	s->addr = NULL;
	return EXIT_SHM_OK;
}

/* Removing and changing. */

int
seg_remove(const struct seg_info *info)
{
	char what[SEL_BUF + 32];

	if (shmctl(info->id, IPC_RMID, NULL) != 0) {
		if (errno == EPERM)
			return diag_not_owner(info, "remove", "rm");
		if (errno == EINVAL || errno == EIDRM)
			return diag_removed(NULL, info->id);
		return msg_error(EXIT_SHM_FAIL, "cannot remove %s: %s",
		    info_str(NULL, info, what, sizeof(what)),
		    strerror(errno));
	}
	if (info->nattch > 0)
		msg_note("%s is still attached by %" PRIu64 " process%s: it"
		    " goes when the last one detaches (until then its key"
		    " shows as 0x00000000; its id still reaches it)",
		    info_str(NULL, info, what, sizeof(what)), info->nattch,
		    info->nattch == 1 ? "" : "es");
	return EXIT_SHM_OK;
}

static int
set_ids(const struct seg_info *info, uid_t uid, gid_t gid, unsigned int mode,
    const char *action, const char *cmd)
{
	char what[SEL_BUF + 32];
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	/* IPC_SET writes uid, gid and mode together: keep what is not asked. */
	ds.shm_perm.uid = uid;
	ds.shm_perm.gid = gid;
	ds.shm_perm.mode = mode;
	if (shmctl(info->id, IPC_SET, &ds) != 0) {
		if (errno == EPERM)
			return diag_not_owner(info, action, cmd);
		if (errno == EINVAL || errno == EIDRM)
			return diag_removed(NULL, info->id);
		return msg_error(EXIT_SHM_FAIL, "cannot %s %s: %s", action,
		    info_str(NULL, info, what, sizeof(what)),
		    strerror(errno));
	}
	return EXIT_SHM_OK;
}

int
seg_set_mode(const struct seg_info *info, unsigned int mode)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "chmod %04o", mode & 0777);
	return set_ids(info, info->uid, info->gid, mode & 0777,
	    "change the mode of", cmd);
}

int
seg_set_owner(const struct seg_info *info, uid_t uid, gid_t gid)
{
	char cmd[160], user[64], group[64];

	if (gid == (gid_t)-1)
		snprintf(cmd, sizeof(cmd), "chown %s",
		    user_name(uid, user, sizeof(user)));
	else if (uid == (uid_t)-1)
		snprintf(cmd, sizeof(cmd), "chown :%s",
		    group_name(gid, group, sizeof(group)));
	else
		snprintf(cmd, sizeof(cmd), "chown %s:%s",
		    user_name(uid, user, sizeof(user)),
		    group_name(gid, group, sizeof(group)));
	return set_ids(info, uid == (uid_t)-1 ? info->uid : uid,
	    gid == (gid_t)-1 ? info->gid : gid, info->mode & 0777,
	    "change the owner of", cmd);
}

/* What the caller may do, for shm stat. */

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

/*
 * Read and write as ipcperms() in the kernel decides them: the owner bits
 * for the owner and the creator, the group bits for a member of the group
 * or of the creator's group, the other bits for the rest; CAP_IPC_OWNER
 * overrides them.  Attaching to write needs read as well.
 */
static void
access_bits(const struct seg_info *info, bool ipc_owner,
    struct seg_verdict *rd, struct seg_verdict *wr)
{
	char who[384], cls[96], owner[64], creator[64], g1[64], g2[64];
	char mode[160];
	unsigned int bits, m = info->mode & 0777;
	uid_t euid = geteuid();

	user_name(info->uid, owner, sizeof(owner));
	user_name(info->cuid, creator, sizeof(creator));
	group_name(info->gid, g1, sizeof(g1));
	group_name(info->cgid, g2, sizeof(g2));
	if (euid == info->uid || euid == info->cuid) {
		snprintf(who, sizeof(who), "you are the %s",
		    euid == info->uid ? "owner" : "creator");
		snprintf(cls, sizeof(cls), "the owner");
		bits = m >> 6;
	} else if (caller_in_group(info->gid) || caller_in_group(info->cgid)) {
		const char *g = caller_in_group(info->gid) ? g1 : g2;

		snprintf(who, sizeof(who), "you are in group '%s'", g);
		snprintf(cls, sizeof(cls), "group '%s'", g);
		bits = m >> 3;
	} else {
		char gs[160];

		if (info->gid == info->cgid)
			snprintf(gs, sizeof(gs), "in group '%s'", g1);
		else
			snprintf(gs, sizeof(gs), "in group '%s' or '%s'", g1,
			    g2);
		if (info->uid == info->cuid)
			snprintf(who, sizeof(who), "you are neither the owner"
			    " and creator %s nor %s", owner, gs);
		else
			snprintf(who, sizeof(who), "you are neither the owner"
			    " %s, the creator %s, nor %s", owner, creator, gs);
		snprintf(cls, sizeof(cls), "others");
		bits = m;
	}
	snprintf(mode, sizeof(mode), "mode %04o gives %s %s", m, cls,
	    bits_str(bits));

	rd->allowed = (bits & 4) || ipc_owner;
	if (bits & 4)
		snprintf(rd->reason, sizeof(rd->reason), "%s, and %s", who,
		    mode);
	else if (ipc_owner)
		snprintf(rd->reason, sizeof(rd->reason), "%s, but you have"
		    " CAP_IPC_OWNER, which overrides the mode", mode);
	else
		snprintf(rd->reason, sizeof(rd->reason), "%s, and %s", who,
		    mode);

	wr->allowed = (bits & 6) == 6 || ipc_owner;
	if ((bits & 6) == 6)
		snprintf(wr->reason, sizeof(wr->reason), "%s, and %s", who,
		    mode);
	else if (ipc_owner)
		snprintf(wr->reason, sizeof(wr->reason), "%s, but you have"
		    " CAP_IPC_OWNER, which overrides the mode", mode);
	else if (bits & 2)
		snprintf(wr->reason, sizeof(wr->reason), "%s, and %s; a"
		    " segment attached to write must be readable too", who,
		    mode);
	else
		snprintf(wr->reason, sizeof(wr->reason), "%s, and %s", who,
		    mode);
}

/* IPC_RMID and IPC_SET: the owner, the creator, or CAP_SYS_ADMIN. */
static void
access_owner(const struct seg_info *info, bool sys_admin,
    struct seg_verdict *v)
{
	char owner[64], creator[64];
	uid_t euid = geteuid();

	v->allowed = true;
	if (euid == info->uid)
		snprintf(v->reason, sizeof(v->reason), "you are the owner");
	else if (euid == info->cuid)
		snprintf(v->reason, sizeof(v->reason), "you are the creator");
	else if (sys_admin)
		snprintf(v->reason, sizeof(v->reason), "you have"
		    " CAP_SYS_ADMIN");
	else {
		v->allowed = false;
		user_name(info->uid, owner, sizeof(owner));
		user_name(info->cuid, creator, sizeof(creator));
		if (info->uid == info->cuid)
			snprintf(v->reason, sizeof(v->reason), "only the owner"
			    " and creator %s, or a privileged user"
			    " (CAP_SYS_ADMIN), may", owner);
		else
			snprintf(v->reason, sizeof(v->reason), "only the owner"
			    " %s, the creator %s, or a privileged user"
			    " (CAP_SYS_ADMIN), may", owner, creator);
	}
}

void
seg_caller_access(const struct seg_info *info,
    struct seg_verdict v[SEG_ACT_COUNT])
{
	access_bits(info, seg_caller_has_cap(CAP_IPC_OWNER),
	    &v[SEG_ACT_READ], &v[SEG_ACT_WRITE]);
	access_owner(info, seg_caller_has_cap(CAP_SYS_ADMIN),
	    &v[SEG_ACT_REMOVE]);
	v[SEG_ACT_CHANGE] = v[SEG_ACT_REMOVE];
}

/* The processes attached, from /proc/PID/maps. */

/*
 * Reads a /proc file whole into *buf, which grows as needed and is kept for
 * the next file, and ends it with a NUL that *len does not count.  Returns
 * 0, or -1 when it cannot be read.
 */
static int
read_proc_file(const char *path, char **buf, size_t *cap, size_t *len)
{
	size_t n = 0;
	ssize_t r;
	char *nb;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (;;) {
		if (n + 1 >= *cap) {
			size_t ncap = *cap ? *cap * 2 : 64 * 1024;

			if ((nb = realloc(*buf, ncap)) == NULL)
				goto fail;
			*buf = nb;
			*cap = ncap;
		}
		r = read(fd, *buf + n, *cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
fail:
	close(fd);
	return -1;
}

/*
 * Counts the mappings of segment id in the text of /proc/PID/maps: lines
 * "start-end perms offset dev inode /SYSV%08x (deleted)" whose inode is the
 * shmid.
 */
static unsigned int
count_maps(const char *p, const char *end, int id)
{
	const char *eol, *q;
	unsigned long long ino;
	unsigned int count = 0;
	int field;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		q = p;
		for (field = 0; field < 4; field++) {
			while (q < eol && *q != ' ')
				q++;
			while (q < eol && *q == ' ')
				q++;
		}
		ino = 0;
		if (q == eol || *q < '0' || *q > '9')
			continue;
		while (q < eol && *q >= '0' && *q <= '9' && ino < UINT_MAX)
			ino = ino * 10 + (unsigned long long)(*q++ - '0');
		while (q < eol && *q == ' ')
			q++;
		if (ino == (unsigned long long)id && eol - q >= 13 &&
		    memcmp(q, "/SYSV", 5) == 0 &&
		    strspn(q + 5, "0123456789abcdef") >= 8)
			count++;
	}
	return count;
}

/* The command line of pid, its arguments joined by blanks; or its comm. */
static char *
proc_command(const char *pid, char **buf, size_t *cap)
{
	char path[64], *cmd;
	size_t len = 0, i;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	if (read_proc_file(path, buf, cap, &len) != 0 || len == 0) {
		snprintf(path, sizeof(path), "/proc/%s/comm", pid);
		if (read_proc_file(path, buf, cap, &len) != 0)
			len = 0;
	}
	while (len > 0 && ((*buf)[len - 1] == '\0' || (*buf)[len - 1] == '\n'))
		len--;
	if ((cmd = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		cmd[i] = (*buf)[i] == '\0' ? ' ' : (*buf)[i];
	cmd[len] = '\0';
	return cmd;
}

int
seg_attached(const struct seg_info *info, struct seg_proc **procs, size_t *n)
{
	struct seg_proc *v = NULL, *nv;
	struct stat self_ns, st;
	struct dirent *de;
	size_t nv_cap = 0, cap = 0, len, count = 0;
	unsigned int maps;
	char path[64], *buf = NULL;
	bool have_ns;
	long pid;
	DIR *d;

	*procs = NULL;
	*n = 0;
	/*
	 * Ids are per IPC namespace: a process of another one can have a
	 * segment of the same id attached.
	 */
	have_ns = stat("/proc/self/ns/ipc", &self_ns) == 0;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    strspn(de->d_name, "0123456789") != strlen(de->d_name) ||
		    strlen(de->d_name) > 10)
			continue;
		pid = strtol(de->d_name, NULL, 10);
		snprintf(path, sizeof(path), "/proc/%ld/ns/ipc", pid);
		if (have_ns && (stat(path, &st) != 0 ||
		    st.st_ino != self_ns.st_ino || st.st_dev != self_ns.st_dev))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
		if (read_proc_file(path, &buf, &cap, &len) != 0)
			continue;
		if ((maps = count_maps(buf, buf + len, info->id)) == 0)
			continue;
		if (count == nv_cap) {
			nv_cap = nv_cap ? nv_cap * 2 : 8;
			if ((nv = realloc(v, nv_cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		v[count].pid = (pid_t)pid;
		v[count].maps = maps;
		if ((v[count].command = proc_command(de->d_name, &buf,
		    &cap)) == NULL)
			goto fail;
		count++;
	}
	closedir(d);
	free(buf);
	*procs = v;
	*n = count;
	return 0;
fail:
	closedir(d);
	free(buf);
	seg_free_procs(v, count);
	return -1;
}

void
seg_free_procs(struct seg_proc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].command);
	free(v);
}

int
seg_diag_access(const struct seg_sel *sel, const struct seg_info *info,
    bool readonly)
{
	return diag_access(sel, info, readonly);
}
