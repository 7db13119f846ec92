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
#include <stddef.h>
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

/*
 * Enough for a selector's description or its options in a caller's buffer:
 * the path of a selector that ftok(3) took is shorter than PATH_MAX, and
 * quoting it for a shell makes each byte at most four.  The messages of
 * this module build theirs with xstrf() instead, and cut nothing.
 */
#define SEL_BUF	(4 * PATH_MAX + 64)

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
static char *
shell_quote(const char *s)
{
	size_t n = 2;
	const char *p;
	char *q, *o;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,:@+=%") == strlen(s))
		return xstrf("%s", s);
	for (p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	if ((q = malloc(n + 1)) == NULL)
		return xstrf("''");	/* ends the program: out of memory */
	o = q;
	*o++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* What seg_sel_str() describes, whole; free() it. */
static char *
sel_text(const struct seg_sel *sel)
{
	char k[11];

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("key %s", seg_key_str(sel->key, k));
	case SEL_FILE:
		if (sel->resolved)
			return xstrf("key %s (ftok of '%s', proj %d)",
			    seg_key_str(sel->key, k), sel->path, sel->proj);
		return xstrf("ftok of '%s', proj %d", sel->path, sel->proj);
	case SEL_ID:
		return xstrf("id %d", sel->id);
	default:
		return xstrf("a private segment");
	}
}

/* The options of seg_sel_args(), whole; free() it. */
static char *
sel_opts(const struct seg_sel *sel)
{
	char k[11], *q, *r;

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("--key %s", seg_key_str(sel->key, k));
	case SEL_FILE:
		q = shell_quote(sel->path);
		if (sel->proj == 1)
			r = xstrf("--file %s", q);
		else
			r = xstrf("--file %s --proj %d", q, sel->proj);
		free(q);
		return r;
	case SEL_ID:
		return xstrf("--id %d", sel->id);
	default:
		return xstrf("--private");
	}
}

const char *
seg_sel_str(const struct seg_sel *sel, char *buf, size_t len)
{
	char *t = sel_text(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

char *
seg_sel_args(const struct seg_sel *sel, char *buf, size_t len)
{
	char *t = sel_opts(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

/* The options that name a segment found, for hints; free() it. */
static char *
info_opts(const struct seg_sel *sel, const struct seg_info *info)
{
	if (sel != NULL && sel->kind != SEL_PRIVATE)
		return sel_opts(sel);
	return xstrf("--id %d", info->id);
}

/* What info_str() describes, whole; free() it. */
static char *
info_text(const struct seg_sel *sel, const struct seg_info *info)
{
	char k[11], *s, *r;

	if (sel != NULL && sel->kind == SEL_FILE) {
		s = sel_text(sel);
		r = xstrf("%s, id %d", s, info->id);
		free(s);
		return r;
	}
	if (info->key != IPC_PRIVATE)
		return xstrf("key %s (id %d)", seg_key_str(info->key, k),
		    info->id);
	return xstrf("id %d", info->id);
}

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
static const char *
info_str(const struct seg_sel *sel, const struct seg_info *info, char *buf,
    size_t len)
{
	char *t = info_text(sel, info);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

const char *
seg_info_str(const struct seg_info *info, char *buf, size_t len)
{
	return info_str(NULL, info, buf, len);
}

/*
 * The name of a user, whole (from the cache of output.c), or the number in
 * buf when the user has none.
 */
static const char *__attribute__((warn_unused_result))
user_name(uid_t uid, char *buf, size_t len)
{
	const char *name = uid_name(uid);

	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

/* The name of a group, whole, or the number in buf. */
static const char *__attribute__((warn_unused_result))
group_name(gid_t gid, char *buf, size_t len)
{
	const char *name = gid_name(gid);

	if (name != NULL)
		return name;
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
	char dir[PATH_MAX], *q;
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
	switch (errno) {
	case ENOENT:
		msg_error(EXIT_SHM_NOENT, "no file '%s': ftok needs an existing"
		    " file to make a key from", sel->path);
		q = shell_quote(sel->path);
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

/* Reading /proc/sysvipc/shm. */

/*
 * The most that a listing may hold: a row is some 200 bytes, so this is over
 * 300000 segments, ten times IPCMNI.  It keeps a file named by
 * SHM_PROC_SYSVIPC that is huge, or that grows while it is read, from
 * filling memory.
 */
#define PROC_MAX	(64U << 20)

#define TIME_T_MAX	(sizeof(time_t) >= 8 ? (unsigned long long)INT64_MAX : \
			    (unsigned long long)INT32_MAX)

/* The fields of a row, in order, and the values each may take. */
static const struct proc_field {
	const char		*name;
	unsigned long long	 max;	/* the largest value */
	unsigned long long	 neg;	/* the largest magnitude below 0 */
} proc_fields[16] = {
	/* the kernel prints the key signed, some tools unsigned */
	{ "key",	UINT32_MAX,	(unsigned long long)INT32_MAX + 1 },
	{ "shmid",	INT_MAX,	0 },
	{ "perms",	07777,		0 },
	{ "size",	UINT64_MAX,	0 },
	{ "cpid",	INT_MAX,	0 },
	{ "lpid",	INT_MAX,	0 },
	{ "nattch",	UINT64_MAX,	0 },
	/* (uid_t)-1 is no user */
	{ "uid",	UINT32_MAX - 1,	0 },
	{ "gid",	UINT32_MAX - 1,	0 },
	{ "cuid",	UINT32_MAX - 1,	0 },
	{ "cgid",	UINT32_MAX - 1,	0 },
	{ "atime",	TIME_T_MAX,	0 },
	{ "dtime",	TIME_T_MAX,	0 },
	{ "ctime",	TIME_T_MAX,	0 },
	{ "rss",	UINT64_MAX,	0 },
	{ "swap",	UINT64_MAX,	0 },
};

/*
 * Skips blanks, then reads a decimal (or, with octal, octal) number with an
 * optional '-': its magnitude in *out, and *neg.  Returns the end of it, or
 * NULL when there is none; *over tells one that does not fit in 64 bits.
 */
static const char *
scan_num(const char *p, const char *end, bool octal, bool *neg,
    unsigned long long *out, bool *over)
{
	unsigned long long v = 0, base = octal ? 8 : 10, d;
	const char *start;

	*neg = *over = false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '-') {
		*neg = true;
		p++;
	}
	for (start = p; p < end && *p >= '0' && *p <= (octal ? '7' : '9');
	    p++) {
		d = (unsigned long long)(*p - '0');
		if (v > (ULLONG_MAX - d) / base)
			*over = true;
		else
			v = v * base + d;
	}
	if (p == start)
		return NULL;
	*out = v;
	return p;
}

/*
 * Parses one line of /proc/sysvipc/shm.  Returns 0 for a row, 1 for a line
 * that is none (the header, a blank line), -1 for a row that cannot be read,
 * with the reason in why.
 */
static int
parse_proc_line(const char *p, const char *end, struct seg_info *r,
    char *why, size_t len)
{
	const struct proc_field *pf;
	unsigned long long f[16];
	const char *start, *q;
	bool neg, over;
	int i, n;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || (*p != '-' && (*p < '0' || *p > '9')))
		return 1;
	for (n = 0; n < 16; n++, p = q) {
		pf = &proc_fields[n];
		start = p;
		if ((q = scan_num(p, end, n == 2, &neg, &f[n], &over)) == NULL)
			break;
		while (*start == ' ' || *start == '\t')
			start++;
		if (over || (neg ? f[n] > pf->neg : f[n] > pf->max)) {
			snprintf(why, len, "%s %.*s is out of range (%s%llu"
			    " to %llu)", pf->name, (int)(q - start), start,
			    pf->neg ? "-" : "", pf->neg, pf->max);
			return -1;
		}
		if (neg && f[n] != 0)
			f[n] = 0 - f[n];	/* two's complement, cast below */
	}
	if (n < 14) {
		snprintf(why, len, "%d field%s where a row has 14 or 16", n,
		    n == 1 ? "" : "s");
		return -1;
	}
	for (i = n; i < 16; i++)
		f[i] = 0;
	r->key = (key_t)(int32_t)(uint32_t)f[0];
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

/* What a file that is not a regular one is, for a message. */
static const char *
file_type_str(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISSOCK(m))
		return "a socket";
	return "something else";
}

/*
 * Reads all of a listing, a regular file of at most PROC_MAX bytes; returns
 * a malloc'd buffer, or NULL: with errno, or with why saying what is wrong
 * with the file.  A FIFO or a device is refused before it is opened (it
 * could block, or never end), and again after (it could have been put in
 * the path's place).
 */
static char *
slurp(const char *path, size_t *len, char *why, size_t wlen)
{
	size_t cap = 1 << 16, n = 0;
	struct stat st;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, e;

	why[0] = '\0';
	if (stat(path, &st) != 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, wlen, "it is %s, not a regular file",
		    file_type_str(st.st_mode));
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, wlen, "it is %s, not a regular file",
		    file_type_str(st.st_mode));
		goto fail;
	}
	if (st.st_size > (off_t)PROC_MAX)
		goto too_big;
	if ((buf = malloc(cap)) == NULL)
		goto fail;
	for (;;) {
		if (n == cap) {
			if (cap > PROC_MAX)
				goto too_big;
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
	if (n > PROC_MAX)
		goto too_big;
	close(fd);
	*len = n;
	return buf;
too_big:
	snprintf(why, wlen, "it holds more than %u MiB", PROC_MAX >> 20);
fail:
	e = errno;
	free(buf);
	close(fd);
	errno = e;
	return NULL;
}

/*
 * Reads the listing at path.  One named by SHM_PROC_SYSVIPC (from_env) is
 * checked with a note on stderr, once: a file that is refused (then the
 * caller asks the kernel), and the rows that cannot be read (left out).
 */
static int
list_proc(const char *path, bool from_env, struct seg_info **rows,
    size_t *nrows)
{
	static bool noted;
	struct seg_info *v = NULL, *nv;
	size_t len, n = 0, cap = 0, line, bad = 0, first = 0;
	const char *p, *end, *eol;
	char why[160], first_why[160];
	char *buf;
	int rc;

	if ((buf = slurp(path, &len, why, sizeof(why))) == NULL) {
		if (from_env && !noted && (why[0] != '\0' ||
		    (errno != ENOENT && errno != ENOTDIR))) {
			noted = true;
			msg_note("ignoring SHM_PROC_SYSVIPC '%s': %s; listing"
			    " from the kernel instead", path, why[0] != '\0' ?
			    why : strerror(errno));
		}
		return -1;
	}
	for (p = buf, end = buf + len, line = 1; p < end; p = eol + 1,
	    line++) {
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
		rc = parse_proc_line(p, eol, &v[n], why, sizeof(why));
		if (rc == 0)
			n++;
		else if (rc < 0 && bad++ == 0) {
			first = line;
			snprintf(first_why, sizeof(first_why), "%s", why);
		}
	}
	free(buf);
	if (bad > 0 && from_env && !noted) {
		noted = true;
		msg_note("SHM_PROC_SYSVIPC '%s': left out %zu row%s that"
		    " cannot be read; line %zu: %s", path, bad,
		    bad == 1 ? "" : "s", first, first_why);
	}
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
	bool complete, from_env = path != NULL && *path != '\0';

	/*
	 * The shmctl walk costs a third of reading /proc/sysvipc/shm, where
	 * the kernel formats every row and counts each one's resident and
	 * swapped pages; so /proc is read first only when those are wanted,
	 * when SHM_PROC_SYSVIPC names a file, or when the walk could not see
	 * every segment (a kernel without SHM_STAT_ANY).
	 */
	if (!(flags & SEG_LIST_MEM) && !from_env) {
		if (list_shmctl(rows, n, &complete) == 0) {
			if (complete)
				return EXIT_SHM_OK;
			free(*rows);
		}
	}
	if (!from_env)
		path = PROC_SYSVIPC_SHM;
	if (list_proc(path, from_env, rows, n) == 0 ||
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
seg_stat(int id, struct seg_info *out)
{
	static const int shifts[] = { 15, 24 };
	struct seg_info *rows;
	struct shmid_ds ds;
	size_t i, n;
	int got, e;

	if (id < 0) {
		errno = EINVAL;
		return -1;
	}
	if (shmctl(id, IPC_STAT, &ds) == 0) {
		info_from_ds(id, &ds, out);
		return 0;
	}
	if (errno != EACCES)
		return -1;
#ifdef SHM_STAT_ANY
	/*
	 * SHM_STAT_ANY takes an index and needs no read permission.  The
	 * index is the id's low 15 bits, or 24 when the kernel was booted
	 * with ipcmni_extend; the id it returns tells whether it was ours.
	 */
	for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		memset(&ds, 0, sizeof(ds));
		got = shmctl(id & ((1 << shifts[i]) - 1), SHM_STAT_ANY, &ds);
		if (got == id) {
			info_from_ds(id, &ds, out);
			return 0;
		}
	}
#endif
	/*
	 * A kernel before 4.17: its own /proc/sysvipc/shm, never the file
	 * that SHM_PROC_SYSVIPC names.
	 */
	if (list_proc(PROC_SYSVIPC_SHM, false, &rows, &n) != 0) {
		e = errno;
		errno = e == ENOENT ? EACCES : e;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (rows[i].id == id) {
			*out = rows[i];
			free(rows);
			return 0;
		}
	free(rows);
	errno = EINVAL;
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

static void
oom(void)
{
	msg_error(EXIT_SHM_FAIL, "out of memory");
	exit(EXIT_SHM_FAIL);
}

/*
 * The caller's supplementary groups, as many as it has, on the heap (there
 * may be 65536 of them); free() it.  *n is 0 when they cannot be read.
 */
static gid_t *
caller_groups(int *n)
{
	gid_t *v;
	int cap;

	for (;;) {
		if ((cap = getgroups(0, NULL)) < 0)
			cap = 0;
		if ((v = calloc((size_t)cap + 1, sizeof(*v))) == NULL)
			oom();
		if ((*n = getgroups(cap, v)) >= 0)
			return v;
		free(v);
		if (errno != EINVAL) {
			*n = 0;
			return NULL;
		}
		/* the list grew between the two calls: ask again */
	}
}

char *
seg_caller_str(void)
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
	fprintf(fp, ", groups %s", group_name(egid, num, sizeof(num)));
	groups = caller_groups(&n);
	for (i = 0; i < n; i++)
		if (groups[i] != egid)
			fprintf(fp, ",%s", group_name(groups[i], num,
			    sizeof(num)));
	free(groups);
	if (ferror(fp) | fclose(fp))
		oom();
	return s;
}

static bool
caller_in_group(gid_t gid)
{
	gid_t *groups;
	bool in = getegid() == gid;
	int n, i;

	groups = caller_groups(&n);
	for (i = 0; i < n && !in; i++)
		in = groups[i] == gid;
	free(groups);
	return in;
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
	char perms[10], n1[16], n2[16], n3[16], *what, *caller, *args;
	const char *class, *missing, *owner, *group, *me;
	unsigned int shift, bits, need, grant;
	uid_t euid = geteuid();
	bool mine = euid == info->uid || euid == info->cuid;

	what = info_text(sel, info);
	owner = user_name(info->uid, n1, sizeof(n1));
	group = group_name(info->gid, n2, sizeof(n2));
	me = user_name(euid, n3, sizeof(n3));
	format_perms(info->mode, perms);
	caller = seg_caller_str();
	if (mine) {
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
		args = info_opts(sel, info);
		if (mine)
			/* the owner and the creator may change the mode */
			msg_hint("as its %s, you can allow it yourself: shm"
			    " chmod %04o %s", euid == info->uid ? "owner" :
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
static int
diag_not_owner(const struct seg_info *info, const char *action,
    const char *cmd)
{
	char n1[16], n2[16], n3[16], *what;
	const char *owner, *creator, *me;

	what = info_text(NULL, info);
	owner = user_name(info->uid, n1, sizeof(n1));
	creator = user_name(info->cuid, n2, sizeof(n2));
	me = user_name(geteuid(), n3, sizeof(n3));
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
	free(what);
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
	char *what, *args;

	what = sel_text(sel);
	if (sel->kind == SEL_ID)
		msg_error(EXIT_SHM_NOENT, "no segment has id %d", sel->id);
	else
		msg_error(EXIT_SHM_NOENT, "no segment has %s", what);
	if (sel->kind == SEL_ID || !offer_create)
		msg_hint("list the segments that exist: shm ls");
	else {
		args = sel_opts(sel);
		msg_hint("create it: shm create %s --size SIZE", args);
		free(args);
	}
	free(what);
	return EXIT_SHM_NOENT;
}

static int
diag_removed(const struct seg_sel *sel, int id)
{
	char *what;

	if (sel != NULL && sel->kind != SEL_ID && sel->kind != SEL_PRIVATE) {
		what = sel_text(sel);
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
static int
diag_no_space(uint64_t size)
{
	struct seg_limits l;
	uint64_t pages;

	if (seg_get_limits(&l) != EXIT_SHM_OK)
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
static int
diag_bad_size(uint64_t size)
{
	struct seg_limits l;

	if (seg_get_limits(&l) != EXIT_SHM_OK)
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

/* The figures of /proc/meminfo and vm.overcommit_* that ENOMEM needs. */
struct mem_figures {
	/* bytes */
	uint64_t	 total, avail, swap, commit_limit, committed;
	long		 mode, ratio;		/* -1: unknown */
	bool		 known;
};

/* Reads a number from a one-line file of /proc/sys; -1 when it cannot. */
static long
read_sysctl(const char *path)
{
	long v = -1;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	if (fscanf(fp, "%ld", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

static void
mem_figures(struct mem_figures *m)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "MemTotal:", offsetof(struct mem_figures, total) },
		{ "MemAvailable:", offsetof(struct mem_figures, avail) },
		{ "SwapTotal:", offsetof(struct mem_figures, swap) },
		{ "CommitLimit:", offsetof(struct mem_figures, commit_limit) },
		{ "Committed_AS:", offsetof(struct mem_figures, committed) },
	};
	unsigned long long kb;
	unsigned int found = 0;
	char line[256];
	size_t i, n;
	FILE *fp;

	memset(m, 0, sizeof(*m));
	m->mode = read_sysctl("/proc/sys/vm/overcommit_memory");
	m->ratio = read_sysctl("/proc/sys/vm/overcommit_ratio");
	if ((fp = fopen("/proc/meminfo", "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			n = strlen(fields[i].name);
			if (strncmp(line, fields[i].name, n) != 0 ||
			    sscanf(line + n, "%llu", &kb) != 1 ||
			    kb > UINT64_MAX / 1024)
				continue;
			*(uint64_t *)(void *)((char *)m + fields[i].off) =
			    (uint64_t)kb * 1024;
			found |= 1U << i;
		}
	fclose(fp);
	m->known = found == (1U << (sizeof(fields) / sizeof(fields[0]))) - 1;
}

/*
 * Explains ENOMEM from creating shmget: the kernel would not commit that
 * much memory, by the rule of vm.overcommit_memory.
 */
static int
diag_no_memory(uint64_t size)
{
	char h[16], h1[16], h2[16], h3[16], h4[16];
	struct mem_figures m;
	uint64_t room;

	mem_figures(&m);
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
 * Whether id is mapped in the caller's user namespace, by map, a
 * /proc/self/uid_map or gid_map ("inside outside count" lines).  True when
 * the map cannot be read: the kernel then gave EINVAL for another reason.
 */
static bool
id_mapped(const char *map, unsigned long long id)
{
	unsigned long long in, out, count;
	bool mapped = false, read_any = false;
	FILE *fp;

	if ((fp = fopen(map, "re")) == NULL)
		return true;
	while (fscanf(fp, "%llu %llu %llu", &in, &out, &count) == 3) {
		read_any = true;
		if (id >= in && id - in < count)
			mapped = true;
	}
	fclose(fp);
	return mapped || !read_any;
}

/*
 * Explains EINVAL from IPC_SET: the segment is gone, or (as the kernel
 * checks first) uid or gid has no mapping in the caller's user namespace.
 */
static int
diag_set_invalid(const struct seg_info *info, uid_t uid, gid_t gid,
    const char *action)
{
	bool uid_ok = id_mapped("/proc/self/uid_map", uid);
	bool gid_ok = id_mapped("/proc/self/gid_map", gid);
	char *what;

	if (uid_ok && gid_ok)
		return diag_removed(NULL, info->id);
	what = info_text(NULL, info);
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

static int
diag_unexpected(const char *what, const struct seg_sel *sel)
{
	char *s;
	int e = errno;

	s = sel_text(sel);
	if (e == ENOMEM)
		msg_error(EXIT_SHM_SIZE, "%s %s: out of memory", what, s);
	else
		msg_error(EXIT_SHM_FAIL, "%s %s: %s", what, s, strerror(e));
	free(s);
	return e == ENOMEM ? EXIT_SHM_SIZE : EXIT_SHM_FAIL;
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
	msg_error(EXIT_SHM_SIZE, "%s has %" PRIu64 " byte%s, less than the %"
	    PRIu64 " asked", what, info->size, plural(info->size), size);
	msg_hint("ask for at most %" PRIu64 " byte%s, or remove it first:"
	    " shm rm %s", info->size, plural(info->size), args);
	return EXIT_SHM_SIZE;
}

/*
 * create promises a segment that the caller may read and write, but
 * shmget(key, 0, 0) opens one for anyone: so it asks for read and write,
 * and the kernel checks the mode bits as it would for shmat (CAP_IPC_OWNER
 * included).  An id has no such call: the same reckoning is made from what
 * the kernel says of the segment.  Returns EXIT_SHM_OK, exit 4 (row 10),
 * or -1 when the key has gone, or gone to another segment.
 */
static int
check_read_write(const struct seg_sel *sel, const struct seg_info *info)
{
	struct seg_verdict v[SEG_ACT_COUNT];
	bool allowed;
	int id;

	if (sel->kind == SEL_ID) {
		seg_caller_access(info, v);
		allowed = v[SEG_ACT_WRITE].allowed;
		seg_free_verdicts(v);
		if (!allowed)
			return diag_access(sel, info, false);
		return EXIT_SHM_OK;
	}
	if ((id = shmget(sel->key, 0, S_IRUSR | S_IWUSR)) >= 0)
		return id == info->id ? EXIT_SHM_OK : -1;
	if (errno == EACCES)
		return diag_access(sel, info, false);
	if (errno == ENOENT)
		return -1;
	return diag_unexpected("cannot open", sel);
}

/* Existing segment for create: exclusive, or too small, or just opened. */
static int
create_existing(struct seg_sel *sel, uint64_t size, bool exclusive,
    struct seg_info *info)
{
	char what[SEL_BUF + 32], owner[64], args[SEL_BUF];
	int id, rc;

	if ((id = id_of_key(sel->key)) < 0)
		return -1;	/* gone again: the caller retries */
	if (seg_stat(id, info) != 0)
		return -1;
	info_str(sel, info, what, sizeof(what));
	seg_sel_args(sel, args, sizeof(args));
	if (exclusive) {
		msg_error(EXIT_SHM_EXISTS, "%s already exists: %" PRIu64
		    " byte%s, owner %s, mode %04o", what, info->size,
		    plural(info->size),
		    user_name(info->uid, owner, sizeof(owner)),
		    info->mode & 0777);
		msg_hint("use it as it is (drop --exclusive), or remove it"
		    " first: shm rm %s", args);
		return EXIT_SHM_EXISTS;
	}
	if ((rc = check_read_write(sel, info)) != EXIT_SHM_OK)
		return rc;
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
		/* decide on the kernel's word, not a listing's */
		if (seg_stat(info->id, info) != 0 &&
		    (errno == EINVAL || errno == EIDRM))
			return diag_removed(sel, info->id);
		if ((rc = check_read_write(sel, info)) != EXIT_SHM_OK)
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
			case ENOMEM:
				return diag_no_memory(size);
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

int
seg_may_remove(const struct seg_info *info)
{
	uid_t euid = geteuid();

	/* As the kernel decides IPC_RMID. */
	if (euid == info->uid || euid == info->cuid ||
	    seg_caller_has_cap(CAP_SYS_ADMIN))
		return EXIT_SHM_OK;
	return diag_not_owner(info, "remove", "rm");
}

/* Keeps, in set_ids(), the mode that the segment has. */
#define KEEP_MODE	(~0U)

static int
set_ids(const struct seg_info *info, uid_t uid, gid_t gid, unsigned int mode,
    const char *action, const char *cmd)
{
	char what[SEL_BUF + 32];
	struct shmid_ds ds;
	struct seg_info now;

	/*
	 * What is not asked is read again right before IPC_SET, not taken
	 * from the lookup: a chmod and a chown that run at once must not
	 * undo each other.
	 */
	if (seg_stat(info->id, &now) != 0) {
		if (errno == EINVAL || errno == EIDRM)
			return diag_removed(NULL, info->id);
		return msg_error(EXIT_SHM_FAIL, "cannot %s %s: cannot read what"
		    " it has now: %s", action, info_str(NULL, info, what,
		    sizeof(what)), strerror(errno));
	}
	if (uid == (uid_t)-1)
		uid = now.uid;
	if (gid == (gid_t)-1)
		gid = now.gid;
	if (mode == KEEP_MODE)
		mode = now.mode & 0777;
	memset(&ds, 0, sizeof(ds));
	/* IPC_SET writes uid, gid and mode together: keep what is not asked. */
	ds.shm_perm.uid = uid;
	ds.shm_perm.gid = gid;
	ds.shm_perm.mode = mode;
	if (shmctl(info->id, IPC_SET, &ds) != 0) {
		if (errno == EPERM)
			return diag_not_owner(info, action, cmd);
		if (errno == EINVAL)
			return diag_set_invalid(info, uid, gid, action);
		if (errno == EIDRM)
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
	return set_ids(info, (uid_t)-1, (gid_t)-1, mode & 0777,
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
	return set_ids(info, uid, gid, KEEP_MODE, "change the owner of", cmd);
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
	char n1[16], n2[16], n3[16], n4[16], *who, *cls, *gs, *mode;
	const char *owner, *creator, *g1, *g2;
	unsigned int bits, m = info->mode & 0777;
	uid_t euid = geteuid();

	owner = user_name(info->uid, n1, sizeof(n1));
	creator = user_name(info->cuid, n2, sizeof(n2));
	g1 = group_name(info->gid, n3, sizeof(n3));
	g2 = group_name(info->cgid, n4, sizeof(n4));
	if (euid == info->uid || euid == info->cuid) {
		who = xstrf("you are the %s",
		    euid == info->uid ? "owner" : "creator");
		cls = xstrf("the owner");
		bits = m >> 6;
	} else if (caller_in_group(info->gid) || caller_in_group(info->cgid)) {
		const char *g = caller_in_group(info->gid) ? g1 : g2;

		who = xstrf("you are in group '%s'", g);
		cls = xstrf("group '%s'", g);
		bits = m >> 3;
	} else {
		if (info->gid == info->cgid)
			gs = xstrf("in group '%s'", g1);
		else
			gs = xstrf("in group '%s' or '%s'", g1, g2);
		if (info->uid == info->cuid)
			who = xstrf("you are neither the owner and creator %s"
			    " nor %s", owner, gs);
		else
			who = xstrf("you are neither the owner %s, the creator"
			    " %s, nor %s", owner, creator, gs);
		free(gs);
		cls = xstrf("others");
		bits = m;
	}
	mode = xstrf("mode %04o gives %s %s", m, cls, bits_str(bits));

	rd->allowed = (bits & 4) || ipc_owner;
	if (!(bits & 4) && ipc_owner)
		rd->reason = xstrf("%s, but you have CAP_IPC_OWNER, which"
		    " overrides the mode", mode);
	else
		rd->reason = xstrf("%s, and %s", who, mode);

	wr->allowed = (bits & 6) == 6 || ipc_owner;
	if ((bits & 6) != 6 && ipc_owner)
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

/* IPC_RMID and IPC_SET: the owner, the creator, or CAP_SYS_ADMIN. */
static void
access_owner(const struct seg_info *info, bool sys_admin,
    struct seg_verdict *v)
{
	char n1[16], n2[16];
	const char *owner, *creator;
	uid_t euid = geteuid();

	v->allowed = true;
	if (euid == info->uid)
		v->reason = xstrf("you are the owner");
	else if (euid == info->cuid)
		v->reason = xstrf("you are the creator");
	else if (sys_admin)
		v->reason = xstrf("you have CAP_SYS_ADMIN");
	else {
		v->allowed = false;
		owner = user_name(info->uid, n1, sizeof(n1));
		creator = user_name(info->cuid, n2, sizeof(n2));
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
seg_caller_access(const struct seg_info *info,
    struct seg_verdict v[SEG_ACT_COUNT])
{
	access_bits(info, seg_caller_has_cap(CAP_IPC_OWNER),
	    &v[SEG_ACT_READ], &v[SEG_ACT_WRITE]);
	access_owner(info, seg_caller_has_cap(CAP_SYS_ADMIN),
	    &v[SEG_ACT_REMOVE]);
	v[SEG_ACT_CHANGE].allowed = v[SEG_ACT_REMOVE].allowed;
	v[SEG_ACT_CHANGE].reason = xstrf("%s", v[SEG_ACT_REMOVE].reason);
}

void
seg_free_verdicts(struct seg_verdict v[SEG_ACT_COUNT])
{
	size_t i;

	for (i = 0; i < SEG_ACT_COUNT; i++) {
		free(v[i].reason);
		v[i].reason = NULL;
	}
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
