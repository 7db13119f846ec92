/*
 * The POSIX kind: objects of shm_open(3), files of a tmpfs at /dev/shm.
 * Only this module calls shm_open and shm_unlink, and fallocate, fstat,
 * fchmod, fchown and mmap on an object; the words of its failures are
 * diagnose.c's.
 *
 * A tmpfs may hold less than the size of its files: a page first touched
 * through a mapping when the tmpfs is full kills the toucher with SIGBUS.
 * So create reserves the whole object (fallocate), a write reserves its
 * range before copying into it (obj_reserve), and holes are found with
 * SEEK_DATA and SEEK_HOLE so that reading them allocates nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "diagnose.h"
#include "msg.h"
#include "object.h"
#include "posixlist.h"
#include "procs.h"

/* Enough for POSIX_DIR, '/' and a name. */
#define PATH_BUF	(sizeof(POSIX_DIR) + OBJ_NAME_MAX + 2)

/* See sysv.c: creating retries when the name keeps coming and going. */
#define CREATE_RETRIES	16

/* What an object of size 0 is "mapped" at: mmap(2) maps no 0 bytes. */
static unsigned char empty_object[1];

/* "/NAME", as shm_open(3) takes it. */
static const char *
shm_name(const char *name, char buf[OBJ_NAME_MAX + 2])
{
	snprintf(buf, OBJ_NAME_MAX + 2, "/%s", name);
	return buf;
}

static const char *
file_path(const char *name, char buf[PATH_BUF])
{
	snprintf(buf, PATH_BUF, POSIX_DIR "/%s", name);
	return buf;
}

/* A selector that names the object info describes, for messages. */
static struct obj_sel
sel_of(const struct obj_info *info)
{
	struct obj_sel s = { .kind = SEL_POSIX, .name = info->name };

	return s;
}

/*
 * What stat(2) says of the file of the object name, without following a
 * link; users: count the processes that use it.  Returns 0, or -1 with
 * errno (ENOENT; EINVAL when it is not a regular file).
 */
static int
stat_name(const char *name, struct obj_info *info, bool users)
{
	char path[PATH_BUF];
	struct stat st;

	if (lstat(file_path(name, path), &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	posixlist_from_stat(name, &st, info);
	if (users)
		(void)posixlist_count_users(info, 1);
	return 0;
}

/* A name that is no object's: missing (exit 3), or not a regular file. */
static int
diag_stat(const struct obj_sel *sel, bool offer_create)
{
	if (errno == ENOENT || errno == ENOTDIR)
		return diag_no_segment(sel, offer_create);
	if (errno == EINVAL)
		return msg_error(EXIT_SHM_FAIL, "/dev/shm/%s is not a regular"
		    " file: not a POSIX shared memory object", sel->name);
	return diag_unexpected("cannot look up", sel);
}

static int
posix_resolve(struct obj_sel *sel)
{
	(void)sel;
	return EXIT_SHM_OK;
}

static int
posix_lookup(struct obj_sel *sel, struct obj_info *info, int flags)
{
	if (stat_name(sel->name, info, true) == 0)
		return EXIT_SHM_OK;
	if (errno == ENOENT && (flags & OBJ_QUIET_MISSING))
		return EXIT_SHM_NOENT;
	return diag_stat(sel, false);
}

/* The same object (device and inode) under the same name, now. */
static int
posix_restat(const struct obj_info *which, struct obj_info *now)
{
	struct obj_info cur;

	if (stat_name(which->name, &cur, true) != 0 ||
	    cur.dev != which->dev || cur.ino != which->ino) {
		errno = EIDRM;
		return -1;
	}
	*now = cur;
	return 0;
}

/* The diagnosis of a failed shm_open(3) of sel. */
static int
diag_open(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly, const char *what)
{
	if (errno == EACCES)
		return diag_access(sel, info, readonly);
	if (errno == ENOENT)
		return diag_removed(sel, -1);
	if (errno == ENOSPC)
		return diag_no_room("create a POSIX object", 0);
	return diag_unexpected(what, sel);
}

/* Sizes the new object fd and reserves its memory. */
static int
make(const struct obj_sel *sel, int fd, const struct obj_create_req *req,
    struct obj_info *info)
{
	char action[OBJ_NAME_MAX + 64];
	struct stat st;

	snprintf(action, sizeof(action), "create POSIX object /%s",
	    sel->name);
	/* shm_open(3) applied the umask: the mode is what was asked */
	if (fchmod(fd, req->mode & 0777) != 0)
		return diag_unexpected("cannot set the mode of", sel);
	if (req->size > (uint64_t)INT64_MAX)
		return diag_no_room(action, req->size);
	if (ftruncate(fd, (off_t)req->size) != 0) {
		if (errno == EFBIG || errno == EINVAL)
			return diag_no_room(action, req->size);
		return diag_unexpected("cannot size", sel);
	}
	if (fallocate(fd, 0, 0, (off_t)req->size) != 0 &&
	    errno != EOPNOTSUPP) {
		if (errno == ENOSPC || errno == EFBIG)
			return diag_no_room(action, req->size);
		return diag_unexpected("cannot reserve the memory of", sel);
	}
	if (fstat(fd, &st) != 0)
		return diag_unexpected("cannot read", sel);
	posixlist_from_stat(sel->name, &st, info);
	return EXIT_SHM_OK;
}

/*
 * create found the name taken: -x refuses it, and an object opened must
 * allow reading and writing and hold the size asked.  Returns an exit
 * status, or -1 when it went again (the caller retries).
 */
static int
create_existing(const struct obj_sel *sel, const struct obj_create_req *req,
    struct obj_info *info)
{
	char name[OBJ_NAME_MAX + 2];
	struct stat st;
	int fd;

	if (stat_name(sel->name, info, false) != 0)
		return errno == ENOENT ? -1 : diag_stat(sel, true);
	if (req->exclusive)
		return diag_exists(sel, info);
	if ((fd = shm_open(shm_name(sel->name, name), O_RDWR, 0)) < 0) {
		if (errno == ENOENT)
			return -1;
		return diag_open(sel, info, false, "cannot open");
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return diag_unexpected("cannot read", sel);
	}
	close(fd);
	posixlist_from_stat(sel->name, &st, info);
	if (req->size > info->size)
		return diag_too_small(sel, info, req->size);
	return EXIT_SHM_OK;
}

static int
posix_create(struct obj_sel *sel, const struct obj_create_req *req,
    struct obj_info *info, bool *created)
{
	char name[OBJ_NAME_MAX + 2];
	int fd, rc, tries;

	*created = false;
	if (req->huge_page != 0 || req->noreserve)
		return msg_usage("--hugetlb and --noreserve are for System V"
		    " segments: a POSIX object lives in the tmpfs of"
		    " /dev/shm");
	shm_name(sel->name, name);
	for (tries = 0; tries < CREATE_RETRIES; tries++) {
		if (req->size > 0) {
			fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL,
			    req->mode & 0777);
			if (fd >= 0) {
				rc = make(sel, fd, req, info);
				close(fd);
				if (rc != EXIT_SHM_OK)
					(void)shm_unlink(name);
				*created = rc == EXIT_SHM_OK;
				return rc;
			}
			if (errno != EEXIST)
				return diag_open(sel, info, false,
				    "cannot create");
		}
		if ((rc = create_existing(sel, req, info)) >= 0)
			return rc;
		if (req->size == 0)
			return diag_no_segment(sel, true);
	}
	return diag_keeps_going(sel);
}

static int
posix_attach(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly, struct obj *o)
{
	struct obj_sel named = sel_of(info);
	char name[OBJ_NAME_MAX + 2];
	struct stat st;
	void *addr;
	int fd;

	if (sel == NULL)
		sel = &named;
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	fd = shm_open(shm_name(info->name, name), readonly ? O_RDONLY :
	    O_RDWR, 0);
	if (fd < 0)
		return diag_open(sel, info, readonly, "cannot open");
	if (fstat(fd, &st) != 0 || (info->ino != 0 &&
	    (st.st_ino != info->ino || st.st_dev != info->dev))) {
		close(fd);
		return diag_removed(sel, -1);
	}
	if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
		close(fd);
		errno = ENOMEM;
		return diag_unexpected("cannot map", sel);
	}
	addr = empty_object;
	if (st.st_size > 0) {
		addr = mmap(NULL, (size_t)st.st_size, PROT_READ |
		    (readonly ? 0 : PROT_WRITE), MAP_SHARED, fd, 0);
		if (addr == MAP_FAILED) {
			close(fd);
			return diag_unexpected("cannot map", sel);
		}
	}
	posixlist_from_stat(info->name, &st, &o->info);
	o->addr = addr;
	o->size = (size_t)st.st_size;
	o->readonly = readonly;
	o->fd = fd;
	return EXIT_SHM_OK;
}

static int
posix_open(struct obj_sel *sel, bool readonly, struct obj *o)
{
	struct obj_info info;

	if (stat_name(sel->name, &info, false) != 0)
		return diag_stat(sel, true);
	return posix_attach(sel, &info, readonly, o);
}

static int
posix_detach(struct obj *o)
{
	if (o->addr != NULL && o->addr != empty_object)
		(void)munmap(o->addr, o->size);
	if (o->fd >= 0)
		close(o->fd);
	o->addr = NULL;
	o->fd = -1;
	return EXIT_SHM_OK;
}

static int
posix_remove(const struct obj_info *info)
{
	struct obj_sel sel = sel_of(info);
	char name[OBJ_NAME_MAX + 2], *what;
	struct obj_info now;

	/* the object named, not one made since under its name */
	if (posix_restat(info, &now) != 0)
		return diag_removed(&sel, -1);
	if (shm_unlink(shm_name(info->name, name)) != 0) {
		if (errno == EACCES || errno == EPERM)
			return diag_not_owner(info, "remove", "rm");
		if (errno == ENOENT)
			return diag_removed(&sel, -1);
		return diag_unexpected("cannot remove", &sel);
	}
	/* as the caller last saw it, as for a segment */
	if (info->nattch > 0) {
		what = obj_info_text(NULL, info);
		msg_note("%s is still used by %" PRIu64 " process%s: its"
		    " memory goes when the last one unmaps and closes it;"
		    " the name is free now", what, info->nattch,
		    info->nattch == 1 ? "" : "es");
		free(what);
	}
	return EXIT_SHM_OK;
}

/* As the kernel decides unlink(2) in the sticky /dev/shm. */
static int
posix_may_remove(const struct obj_info *info)
{
	uid_t euid = geteuid();
	struct stat dir;

	if (euid == info->uid || proc_has_cap(CAP_FOWNER) ||
	    (stat(POSIX_DIR, &dir) == 0 && dir.st_uid == euid))
		return EXIT_SHM_OK;
	return diag_not_owner(info, "remove", "rm");
}

/*
 * Opens the object's file to change it, without following a link, and
 * checks that it is still the object found: O_RDONLY, or O_PATH where the
 * caller may not read it (the owner of a mode 0000 object).  *by_path
 * tells that fd is an O_PATH one.  Returns an exit status.
 */
static int
open_to_change(const struct obj_info *info, int *fd, bool *by_path)
{
	struct obj_sel sel = sel_of(info);
	char path[PATH_BUF];
	struct stat st;

	file_path(info->name, path);
	*by_path = false;
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (*fd < 0 && errno == EACCES) {
		*by_path = true;
		*fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (*fd < 0)
		return errno == ENOENT || errno == ELOOP ?
		    diag_removed(&sel, -1) : diag_unexpected("cannot open",
		    &sel);
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_dev != info->dev || st.st_ino != info->ino) {
		close(*fd);
		*fd = -1;
		return diag_removed(&sel, -1);
	}
	return EXIT_SHM_OK;
}

/* The words of a refused change. */
static int
change_failed(const struct obj_info *info, uid_t uid, gid_t gid,
    const char *action, const char *cmd)
{
	struct obj_sel sel = sel_of(info);

	if (errno == EPERM)
		return diag_not_owner(info, action, cmd);
	if (errno == EINVAL)
		return diag_set_invalid(info, uid, gid, action);
	return diag_unexpected("cannot change", &sel);
}

static int
posix_set_mode(const struct obj_info *info, unsigned int mode)
{
	char cmd[32], fdpath[64];
	bool by_path;
	int fd, rc;

	if ((rc = open_to_change(info, &fd, &by_path)) != EXIT_SHM_OK)
		return rc;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	rc = by_path ? chmod(fdpath, mode & 0777) : fchmod(fd, mode & 0777);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "chmod %04o", mode & 0777);
		rc = change_failed(info, (uid_t)-1, (gid_t)-1,
		    "change the mode of", cmd);
	}
	close(fd);
	return rc;
}

static int
posix_set_owner(const struct obj_info *info, uid_t uid, gid_t gid)
{
	char cmd[160], user[64], group[64], fdpath[64];
	bool by_path;
	int fd, rc;

	if ((rc = open_to_change(info, &fd, &by_path)) != EXIT_SHM_OK)
		return rc;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	rc = by_path ? chown(fdpath, uid, gid) : fchown(fd, uid, gid);
	if (rc != 0) {
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
		rc = change_failed(info, uid, gid, "change the owner of", cmd);
	}
	close(fd);
	return rc;
}

/* The array that posix_attached() fills. */
struct users {
	struct obj_proc	*v;
	size_t		 n;
	char		*buf;		/* for proc_command() */
	size_t		 bufcap;
};

static int
add_user(pid_t pid, size_t i, unsigned int maps, unsigned int fds, void *arg)
{
	struct users *u = arg;
	struct obj_proc *p;

	(void)i;
	u->v = xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	p = &u->v[u->n];
	p->pid = pid;
	p->maps = maps;
	p->fds = fds;
	if ((p->command = proc_command(pid, &u->buf, &u->bufcap)) == NULL)
		return -1;
	u->n++;
	return 0;
}

static int
posix_attached(const struct obj_info *info, struct obj_proc **procs,
    size_t *n)
{
	struct users u = { 0 };
	int rc;

	rc = proc_file_users(info->dev, &info->ino, 1, add_user, &u);
	free(u.buf);
	if (rc != 0) {
		obj_free_procs(u.v, u.n);
		u.v = NULL;
		u.n = 0;
	}
	*procs = u.v;
	*n = u.n;
	return rc;
}

static int
posix_list(struct obj_info **rows, size_t *n, int flags)
{
	(void)flags;
	return posixlist_list(NULL, rows, n);
}

static int
posix_get_limits(struct obj_limits *l)
{
	(void)l;
	return msg_usage("POSIX objects have no limits of their own: the"
	    " tmpfs of /dev/shm bounds them (df /dev/shm)");
}

static int
posix_set_locked(const struct obj_info *info, bool locked)
{
	(void)info;
	return msg_usage("%s is for System V segments: a POSIX object's pages"
	    " are pinned by the processes that map it, with mlock(2)",
	    locked ? "pin" : "unpin");
}

/* Not known from here: a tmpfs may hand out huge pages of its own. */
static int
posix_page_size(const struct obj_info *info, uint64_t *bytes)
{
	(void)info;
	*bytes = 0;
	return -1;
}

static int
posix_reserve(const struct obj *o, uint64_t off, uint64_t len)
{
	char action[OBJ_NAME_MAX + 96];
	struct obj_sel sel = sel_of(&o->info);

	if (len == 0 || o->addr == empty_object)
		return EXIT_SHM_OK;
	if (fallocate(o->fd, FALLOC_FL_KEEP_SIZE, (off_t)off,
	    (off_t)len) == 0 || errno == EOPNOTSUPP)
		return EXIT_SHM_OK;
	if (errno == ENOSPC || errno == EFBIG) {
		snprintf(action, sizeof(action), "write %" PRIu64 " byte%s"
		    " at offset %" PRIu64 " of POSIX object /%s", len,
		    len == 1 ? "" : "s", off, o->info.name);
		return diag_no_room(action, len);
	}
	return diag_unexpected("cannot reserve memory in", &sel);
}

static int
posix_data_run(const struct obj *o, uint64_t off, uint64_t len, bool *hole,
    uint64_t *n)
{
	off_t d, h;

	d = lseek(o->fd, (off_t)off, SEEK_DATA);
	if (d < 0 && errno == ENXIO)
		d = (off_t)(off + len);		/* holes to the end */
	else if (d < 0)
		return -1;
	if ((uint64_t)d > off) {
		*hole = true;
		*n = (uint64_t)d - off < len ? (uint64_t)d - off : len;
		return 0;
	}
	if ((h = lseek(o->fd, (off_t)off, SEEK_HOLE)) < 0)
		return -1;
	*hole = false;
	*n = (uint64_t)h - off < len ? (uint64_t)h - off : len;
	return *n > 0 ? 0 : -1;
}

static ssize_t
posix_pread(const struct obj *o, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	do
		n = pread(o->fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n;
}

static const char *
posix_handle(const struct obj_info *info, char *buf, size_t len)
{
	snprintf(buf, len, "/%s", info->name);
	return buf;
}

static const char *
posix_ident(const struct obj_info *info, char *buf, size_t len)
{
	snprintf(buf, len, "posix.%ju.%ju", (uintmax_t)info->dev,
	    (uintmax_t)info->ino);
	return buf;
}

static int
posix_fields(const struct obj_info *info, struct obj_field f[2])
{
	f[0].key = "name";
	posix_handle(info, f[0].value, sizeof(f[0].value));
	f[0].number = false;
	return 1;
}

const struct obj_kind_ops posix_ops = {
	.name = "POSIX",
	.resolve = posix_resolve,
	.lookup = posix_lookup,
	.restat = posix_restat,
	.create = posix_create,
	.attach = posix_attach,
	.open = posix_open,
	.detach = posix_detach,
	.remove = posix_remove,
	.may_remove = posix_may_remove,
	.set_mode = posix_set_mode,
	.set_owner = posix_set_owner,
	.attached = posix_attached,
	.list = posix_list,
	.get_limits = posix_get_limits,
	.set_locked = posix_set_locked,
	.page_size = posix_page_size,
	.reserve = posix_reserve,
	.data_run = posix_data_run,
	.pread = posix_pread,
	.handle = posix_handle,
	.ident = posix_ident,
	.ref = posix_handle,
	.fields = posix_fields,
};
