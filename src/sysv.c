/*
 * The SysV kind: naming a segment by key, ftok file or id, and its
 * lifecycle (shmget, shmat, shmdt, shmctl).  Only this module calls the
 * SysV functions; the words of its failures are diagnose.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "diagnose.h"
#include "msg.h"
#include "names.h"
#include "procs.h"
#include "object.h"
#include "seglist.h"
#include "sysv-huge.h"

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

static int	resolve(struct obj_sel *, int);

static int
sysv_resolve(struct obj_sel *sel)
{
	return resolve(sel, 0);
}

static int
resolve(struct obj_sel *sel, int flags)
{
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
	    (flags & OBJ_QUIET_MISSING))
		return EXIT_SHM_NOENT;
	return diag_ftok(sel);
}

static void
info_from_ds(int id, const struct shmid_ds *ds, struct obj_info *r)
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
int
sysv_list_walk(struct obj_info **rows, size_t *nrows, bool *complete)
{
	struct shm_info si;
	struct shmid_ds ds;
	struct obj_info *v;
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

/*
 * What the kernel knows of one segment, without needing permission on it.
 * Returns 0, or -1 when no segment has that id.
 */
static int
info_by_id(int id, struct obj_info *out)
{
	struct obj_info *rows;
	struct shmid_ds ds;
	size_t i, n;

	/* Cheap, and enough whenever the caller may read the segment. */
	if (shmctl(id, IPC_STAT, &ds) == 0) {
		info_from_ds(id, &ds, out);
		return 0;
	}
	if (errno == EINVAL || errno == EIDRM)
		return -1;
	if (seglist_list(&rows, &n, 0) != EXIT_SHM_OK)
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
stat_id(int id, struct obj_info *out)
{
	static const int shifts[] = { 15, 24 };
	struct obj_info *rows;
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
	if (seglist_read_proc(PROC_SYSVIPC_SHM, false, &rows, &n) != 0) {
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

static int
sysv_get_limits(struct obj_limits *l)
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

/* Finding, creating, attaching. */

/* The id for a key, with no permission needed; -1 with errno. */
static int
id_of_key(key_t key)
{
	return shmget(key, 0, 0);
}

static int
sysv_lookup(struct obj_sel *sel, struct obj_info *info, int flags)
{
	int rc, id;

	if ((rc = resolve(sel, flags)) != EXIT_SHM_OK)
		return rc;
	if (sel->kind == SEL_ID)
		id = sel->id;
	else if ((id = id_of_key(sel->key)) < 0) {
		if (errno == ENOENT && (flags & OBJ_QUIET_MISSING))
			return EXIT_SHM_NOENT;
		if (errno == ENOENT)
			return diag_no_segment(sel, false);
		return diag_unexpected("cannot look up", sel);
	}
	if (info_by_id(id, info) != 0) {
		if (flags & OBJ_QUIET_MISSING)
			return EXIT_SHM_NOENT;
		if (sel->kind == SEL_ID)
			return diag_no_segment(sel, false);
		return diag_removed(sel, id);
	}
	return EXIT_SHM_OK;
}

/* An existing segment opened by create must hold the size asked. */
static int
check_size(const struct obj_sel *sel, const struct obj_info *info,
    uint64_t size)
{
	if (size <= info->size)
		return EXIT_SHM_OK;
	return diag_too_small(sel, info, size);
}

/*
 * create promises a segment that the caller may read and write, but
 * shmget(key, 0, 0) opens one for anyone: so it asks for read and write,
 * and the kernel checks the mode bits as it would for shmat (CAP_IPC_OWNER
 * included).  An id has no such call: the same reckoning is made from what
 * the kernel says of the segment.  Returns EXIT_SHM_OK, or exit 4 (row
 * 10); *gone is set when the key has gone, or gone to another segment.
 */
static int
check_read_write(const struct obj_sel *sel, const struct obj_info *info,
    bool *gone)
{
	struct access_subject subj = {
		.uid = info->uid, .cuid = info->cuid,
		.gid = info->gid, .cgid = info->cgid,
		.mode = info->mode & 0777,
	};
	struct access_facts f;
	int id;

	*gone = false;
	if (sel->kind == SEL_ID) {
		access_decide(&subj, &f);
		if (!f.write)
			return diag_access(sel, info, false);
		return EXIT_SHM_OK;
	}
	if ((id = shmget(sel->key, 0, S_IRUSR | S_IWUSR)) >= 0) {
		*gone = id != info->id;
		return EXIT_SHM_OK;
	}
	if (errno == EACCES)
		return diag_access(sel, info, false);
	if (errno == ENOENT) {
		*gone = true;
		return EXIT_SHM_OK;
	}
	return diag_unexpected("cannot open", sel);
}

/*
 * Existing segment for create: exclusive, or too small, or just opened.
 * Returns the exit status; *gone is set when the key has gone again (or
 * to another segment), and the caller retries.
 */
static int
create_existing(struct obj_sel *sel, uint64_t size, bool exclusive,
    struct obj_info *info, bool *gone)
{
	int id, rc;

	*gone = true;
	if ((id = id_of_key(sel->key)) < 0 || stat_id(id, info) != 0)
		return EXIT_SHM_OK;
	*gone = false;
	if (exclusive)
		return diag_exists(sel, info);
	if ((rc = check_read_write(sel, info, gone)) != EXIT_SHM_OK ||
	    *gone)
		return rc;
	return check_size(sel, info, size);
}

static int
sysv_create(struct obj_sel *sel, const struct obj_create_req *req,
    struct obj_info *info, bool *created)
{
	uint64_t size = req->size, page;
	unsigned int mode = req->mode;
	bool exclusive = req->exclusive;
	key_t key = IPC_PRIVATE;
	int rc, id = -1, tries, flags;
	bool gone;

	*created = false;
	if ((rc = sysv_huge_flags(req, &size, &flags, &page)) != EXIT_SHM_OK)
		return rc;
	if ((rc = sysv_resolve(sel)) != EXIT_SHM_OK)
		return rc;
	if (sel->kind == SEL_ID) {
		if (exclusive)
			return msg_usage("--exclusive needs a key: an --id"
			    " names a segment that exists");
		if ((rc = sysv_lookup(sel, info, 0)) != EXIT_SHM_OK)
			return rc;
		/* decide on the kernel's word, not a listing's */
		if (stat_id(info->id, info) != 0 &&
		    (errno == EINVAL || errno == EIDRM))
			return diag_removed(sel, info->id);
		if ((rc = check_read_write(sel, info, &gone)) != EXIT_SHM_OK)
			return rc;
		return check_size(sel, info, req->size);
	}
	if (sel->kind != SEL_PRIVATE)
		key = sel->key;
	if (size > (uint64_t)SIZE_MAX)
		return diag_bad_size(size);
	for (tries = 0; tries < CREATE_RETRIES; tries++) {
		if (size > 0) {
			id = shmget(key, (size_t)size, IPC_CREAT | IPC_EXCL |
			    flags | (int)(mode & 0777));
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
				if (page != 0)
					return diag_huge_no_pages(size, page);
				return diag_no_memory(size);
			case EPERM:
				if (page != 0)
					return diag_huge_not_allowed(size);
				return diag_unexpected("cannot create", sel);
			default:
				return diag_unexpected("cannot create", sel);
			}
		} else if (id_of_key(key) < 0) {
			if (errno == ENOENT)
				return diag_no_segment(sel, true);
			return diag_unexpected("cannot look up", sel);
		}
		rc = create_existing(sel, req->size, exclusive, info, &gone);
		if (!gone)
			return rc;
	}
	if (!*created)
		return diag_keeps_going(sel);
	sysv_huge_note(req->size, size, page);
	if (info_by_id(id, info) != 0)
		return diag_removed(sel, id);
	return EXIT_SHM_OK;
}

/* Attaches by id; diagnoses with sel and what is known of the segment. */
static int
attach_id(const struct obj_sel *sel, int id, bool known, bool readonly,
    struct obj *s)
{
	struct obj_info info;
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
	s->fd = -1;
	return EXIT_SHM_OK;
}

static int
sysv_attach(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly, struct obj *s)
{
	return attach_id(sel, info->id, true, readonly, s);
}

static int
sysv_open(struct obj_sel *sel, bool readonly, struct obj *s)
{
	int rc, id;

	if ((rc = sysv_resolve(sel)) != EXIT_SHM_OK)
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


static int
sysv_detach(struct obj *s)
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

static int
sysv_remove(const struct obj_info *info)
{
	char what[SEL_BUF + 32];

	if (shmctl(info->id, IPC_RMID, NULL) != 0) {
		if (errno == EPERM)
			return diag_not_owner(info, "remove", "rm");
		if (errno == EINVAL || errno == EIDRM)
			return diag_removed(NULL, info->id);
		return msg_error(EXIT_SHM_FAIL, "cannot remove %s: %s",
		    obj_info_sel_str(NULL, info, what, sizeof(what)),
		    strerror(errno));
	}
	if (info->nattch > 0)
		msg_note("%s is still attached by %" PRIu64 " process%s: it"
		    " goes when the last one detaches (until then its key"
		    " shows as 0x00000000; its id still reaches it)",
		    obj_info_sel_str(NULL, info, what, sizeof(what)), info->nattch,
		    info->nattch == 1 ? "" : "es");
	return EXIT_SHM_OK;
}

static int
sysv_may_remove(const struct obj_info *info)
{
	uid_t euid = geteuid();

	/* As the kernel decides IPC_RMID. */
	if (euid == info->uid || euid == info->cuid ||
	    proc_has_cap(CAP_SYS_ADMIN))
		return EXIT_SHM_OK;
	return diag_not_owner(info, "remove", "rm");
}

/* Keeps, in set_ids(), the mode that the segment has. */
#define KEEP_MODE	(~0U)

static int
set_ids(const struct obj_info *info, uid_t uid, gid_t gid, unsigned int mode,
    const char *action, const char *cmd)
{
	char what[SEL_BUF + 32];
	struct shmid_ds ds;
	struct obj_info now;

	/*
	 * What is not asked is read again right before IPC_SET, not taken
	 * from the lookup: a chmod and a chown that run at once must not
	 * undo each other.
	 */
	if (stat_id(info->id, &now) != 0) {
		if (errno == EINVAL || errno == EIDRM)
			return diag_removed(NULL, info->id);
		return msg_error(EXIT_SHM_FAIL, "cannot %s %s: cannot read what"
		    " it has now: %s", action, obj_info_sel_str(NULL, info, what,
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
		    obj_info_sel_str(NULL, info, what, sizeof(what)),
		    strerror(errno));
	}
	return EXIT_SHM_OK;
}

static int
sysv_set_mode(const struct obj_info *info, unsigned int mode)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "chmod %04o", mode & 0777);
	return set_ids(info, (uid_t)-1, (gid_t)-1, mode & 0777,
	    "change the mode of", cmd);
}

static int
sysv_set_owner(const struct obj_info *info, uid_t uid, gid_t gid)
{
	char cmd[160], user[64], group[64];

	if (gid == (gid_t)-1)
		snprintf(cmd, sizeof(cmd), "chown %s",
		    obj_user_name(uid, user, sizeof(user)));
	else if (uid == (uid_t)-1)
		snprintf(cmd, sizeof(cmd), "chown :%s",
		    obj_group_name(gid, group, sizeof(group)));
	else
		snprintf(cmd, sizeof(cmd), "chown %s:%s",
		    obj_user_name(uid, user, sizeof(user)),
		    obj_group_name(gid, group, sizeof(group)));
	return set_ids(info, uid, gid, KEEP_MODE, "change the owner of", cmd);
}

/* The array that sysv_attached() fills, as proc_sysv_users() calls back. */
struct users {
	struct obj_proc	*v;
	size_t		 n, cap;
	char		*buf;		/* for proc_command() */
	size_t		 bufcap;
};

static int
add_user(pid_t pid, unsigned int maps, void *arg)
{
	struct users *u = arg;
	struct obj_proc *nv;

	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 8;
		if ((nv = realloc(u->v, u->cap * sizeof(*nv))) == NULL)
			return -1;
		u->v = nv;
	}
	u->v[u->n].pid = pid;
	u->v[u->n].maps = maps;
	u->v[u->n].fds = 0;
	if ((u->v[u->n].command = proc_command(pid, &u->buf,
	    &u->bufcap)) == NULL)
		return -1;
	u->n++;
	return 0;
}

static int
sysv_attached(const struct obj_info *info, struct obj_proc **procs, size_t *n)
{
	struct users u = { 0 };
	int rc;

	rc = proc_sysv_users(info->id, add_user, &u);
	free(u.buf);
	if (rc != 0) {
		obj_free_procs(u.v, u.n);
		*procs = NULL;
		*n = 0;
		return -1;
	}
	*procs = u.v;
	*n = u.n;
	return 0;
}



/* What the kernel says of the segment now, by its id. */
static int
sysv_restat(const struct obj_info *which, struct obj_info *now)
{
	return stat_id(which->id, now);
}

/* The kernel finds a segment's memory as it is touched: nothing to do. */
static int
sysv_reserve(const struct obj *s, uint64_t off, uint64_t len)
{
	(void)s;
	(void)off;
	(void)len;
	return EXIT_SHM_OK;
}

/* A segment has no descriptor to ask: the caller uses mincore(2). */
static int
sysv_data_run(const struct obj *s, uint64_t off, uint64_t len, bool *hole,
    uint64_t *n)
{
	(void)s;
	(void)off;
	(void)len;
	*hole = false;
	*n = 0;
	return -1;
}

/* A segment has no descriptor: the caller copies from the attachment. */
static ssize_t
sysv_pread(const struct obj *s, void *buf, size_t len, uint64_t off)
{
	(void)s;
	(void)buf;
	(void)len;
	(void)off;
	errno = EOPNOTSUPP;
	return -1;
}

static const char *
sysv_handle(const struct obj_info *info, char *buf, size_t len)
{
	snprintf(buf, len, "%d", info->id);
	return buf;
}

static const char *
sysv_ref(const struct obj_info *info, char *buf, size_t len)
{
	snprintf(buf, len, "id %d", info->id);
	return buf;
}

static int
sysv_fields(const struct obj_info *info, struct obj_field f[2])
{
	char key[11];

	f[0].key = "id";
	snprintf(f[0].value, sizeof(f[0].value), "%d", info->id);
	f[0].number = true;
	f[1].key = "key";
	snprintf(f[1].value, sizeof(f[1].value), "%s",
	    obj_key_str(info->key, key));
	f[1].number = false;
	return 2;
}

const struct obj_kind_ops sysv_ops = {
	.name = "System V",
	.resolve = sysv_resolve,
	.lookup = sysv_lookup,
	.restat = sysv_restat,
	.create = sysv_create,
	.attach = sysv_attach,
	.open = sysv_open,
	.detach = sysv_detach,
	.remove = sysv_remove,
	.may_remove = sysv_may_remove,
	.set_mode = sysv_set_mode,
	.set_owner = sysv_set_owner,
	.set_locked = sysv_set_locked,
	.page_size = sysv_page_size,
	.attached = sysv_attached,
	.list = seglist_list,
	.get_limits = sysv_get_limits,
	.reserve = sysv_reserve,
	.data_run = sysv_data_run,
	.pread = sysv_pread,
	.handle = sysv_handle,
	.ident = sysv_handle,
	.ref = sysv_ref,
	.fields = sysv_fields,
};
