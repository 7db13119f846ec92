/*
 * Listing the SysV segments: /proc/sysvipc/shm, read and checked, or the
 * shmctl walk of the SysV kind when that is cheaper or /proc cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "names.h"
#include "seglist.h"

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
int
parse_proc_line(const char *p, const char *end, struct obj_info *r,
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
	if (n < 14 || n == 15) {
		snprintf(why, len, "%d field%s where a row has 14 or 16", n,
		    n == 1 ? "" : "s");
		return -1;
	}
	for (i = n; i < 16; i++)
		f[i] = 0;
	/* a System V row: the fields of other kinds stay unset (and unread) */
	r->kind = OBJ_SYSV;
	r->name[0] = '\0';
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
int
seglist_read_proc(const char *path, bool from_env, struct obj_info **rows,
    size_t *nrows)
{
	static bool noted;
	struct obj_info *v = NULL, *nv;
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

int
seglist_list(struct obj_info **rows, size_t *n, int flags)
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
	if (!(flags & OBJ_LIST_MEM) && !from_env) {
		if (sysv_list_walk(rows, n, &complete) == 0) {
			if (complete)
				return EXIT_SHM_OK;
			free(*rows);
		}
	}
	if (!from_env)
		path = PROC_SYSVIPC_SHM;
	if (seglist_read_proc(path, from_env, rows, n) == 0 ||
	    sysv_list_walk(rows, n, &complete) == 0)
		return EXIT_SHM_OK;
	return msg_error(EXIT_SHM_FAIL, "cannot list segments: %s",
	    strerror(errno));
}
