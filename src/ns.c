/*
 * IPC namespaces: listing them from /proc/PID/ns/ipc as lsns(8) does,
 * entering one with setns(2), and coming back to the caller's own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/nsfs.h>

#include "msg.h"
#include "ns.h"
#include "procs.h"

/* Whether --ns entered a namespace (ns_enter_target()). */
static bool entered;

#ifndef NSFS_MAGIC
#define NSFS_MAGIC	0x6e736673
#endif

static int
by_ino(const void *a, const void *b)
{
	const struct ns_ipc *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Adds pid to the namespace of inode st, or a new one to *v. */
static void
ns_add(struct ns_ipc **v, size_t *n, size_t *cap, const struct stat *st,
    pid_t pid)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].ino == (uint64_t)st->st_ino &&
		    (*v)[i].dev == st->st_dev) {
			(*v)[i].nprocs++;
			if (pid < (*v)[i].pid)
				(*v)[i].pid = pid;
			return;
		}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = (struct ns_ipc){ .ino = (uint64_t)st->st_ino,
	    .dev = st->st_dev, .pid = pid, .nprocs = 1 };
}

int
ns_list(struct ns_ipc **v, size_t *n, size_t *hidden)
{
	struct stat self, st;
	struct dirent *de;
	char path[64];
	size_t i, cap = 0;
	long pid;
	DIR *d;

	*v = NULL;
	*n = *hidden = 0;
	if (stat("/proc/self/ns/ipc", &self) != 0 ||
	    (d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if ((pid = proc_pid_of(de->d_name)) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/ipc", pid);
		if (stat(path, &st) != 0) {
			if (errno != ENOENT)	/* ENOENT: it has ended */
				(*hidden)++;
			continue;
		}
		ns_add(v, n, &cap, &st, (pid_t)pid);
	}
	closedir(d);
	for (i = 0; i < *n; i++)
		if ((*v)[i].ino == (uint64_t)self.st_ino &&
		    (*v)[i].dev == self.st_dev)
			break;
	if (i == *n) {
		/* No /proc entry of the caller (another pid namespace's). */
		ns_add(v, n, &cap, &self, getpid());
		(*v)[*n - 1].nprocs = 0;
	}
	(*v)[i].self = true;
	qsort(*v, *n, sizeof(**v), by_ino);
	return 0;
}

int
ns_list_whole(struct ns_ipc **v, size_t *n, const char *opt)
{
	size_t hidden;

	if (ns_list(v, n, &hidden) != 0)
		return msg_error(EXIT_SHM_FAIL, "%s: cannot read /proc: %s",
		    opt, strerror(errno));
	if (hidden > 0)
		msg_note("%s: the IPC namespace of %zu process%s is out of"
		    " your sight (its /proc/PID/ns/ipc may not be read): the"
		    " segments there are not in this list", opt, hidden,
		    hidden == 1 ? "" : "es");
	return EXIT_SHM_OK;
}

uint64_t
ns_current(void)
{
	struct stat st;

	return stat("/proc/self/ns/ipc", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/*
 * Whether fd is an IPC namespace: 1, 0 (with what it is in what), or -1
 * when that cannot be told before setns(2) itself tries.
 */
static int
is_ipc_ns(int fd, const char **what)
{
	struct statfs sfs;
	int type;

	if ((type = ioctl(fd, NS_GET_NSTYPE)) >= 0) {
		*what = type == CLONE_NEWNET ? "a network namespace" :
		    type == CLONE_NEWNS ? "a mount namespace" :
		    type == CLONE_NEWPID ? "a pid namespace" :
		    type == CLONE_NEWUSER ? "a user namespace" :
		    type == CLONE_NEWUTS ? "a UTS namespace" :
		    type == CLONE_NEWCGROUP ? "a cgroup namespace" :
		    "another kind of namespace";
		return type == CLONE_NEWIPC;
	}
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type != NSFS_MAGIC) {
		*what = "not a namespace file";
		return 0;
	}
	return -1;
}

/* The diagnosis of a setns(2) into target that failed with err. */
static int
enter_failed(const char *target, const char *path, int err)
{
	if (err == EPERM || err == EACCES) {
		msg_error(EXIT_SHM_PERM, "--ns %s: cannot enter the IPC"
		    " namespace %s: %s: that needs CAP_SYS_ADMIN (and the"
		    " right to inspect the process)", target, path,
		    strerror(err));
		msg_hint("run it as root: sudo shm --ns=%s ...", target);
		return EXIT_SHM_PERM;
	}
	if (err == EINVAL)
		return msg_usage("--ns %s: %s is no IPC namespace", target,
		    path);
	return msg_error(EXIT_SHM_FAIL, "--ns %s: cannot enter the IPC"
	    " namespace %s: %s", target, path, strerror(err));
}

/* Opens what target names: /proc/PID/ns/ipc of a pid, or a path. */
static int
open_target(const char *target, char *path, size_t len)
{
	int fd, err;

	if (*target != '\0' && strspn(target, "0123456789") ==
	    strlen(target) && strlen(target) <= 10 && *target != '0')
		snprintf(path, len, "/proc/%s/ns/ipc", target);
	else
		snprintf(path, len, "%s", target);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		return fd;
	err = errno;
	if (err == EACCES || err == EPERM)
		return -enter_failed(target, path, err);
	if (err == ENOENT && strcmp(path, target) != 0)
		msg_error(EXIT_SHM_USAGE, "--ns %s: no process has pid %s",
		    target, target);
	else
		msg_error(EXIT_SHM_USAGE, "--ns %s: cannot open %s: %s",
		    target, path, strerror(err));
	msg_hint("name a pid, or a /proc/PID/ns/ipc file (lsns -t ipc lists"
	    " them)");
	return -EXIT_SHM_USAGE;
}

int
ns_enter_target(const char *target)
{
	char path[4096];
	const char *what = "";
	int fd, ok;

	if (*target == '\0')
		return msg_usage("--ns: an empty target (want a pid or the"
		    " path of an IPC namespace file)");
	if ((fd = open_target(target, path, sizeof(path))) < 0)
		return -fd;
	if ((ok = is_ipc_ns(fd, &what)) == 0) {
		close(fd);
		msg_error(EXIT_SHM_USAGE, "--ns %s: %s is no IPC namespace:"
		    " it is %s", target, path, what);
		msg_hint("name a pid, or a /proc/PID/ns/ipc file (lsns -t"
		    " ipc lists them)");
		return EXIT_SHM_USAGE;
	}
	if (setns(fd, CLONE_NEWIPC) != 0) {
		ok = errno;
		close(fd);
		return enter_failed(target, path, ok);
	}
	close(fd);
	entered = true;
	return EXIT_SHM_OK;
}

int
ns_refuse_posix(void)
{
	if (!entered)
		return EXIT_SHM_OK;
	msg_error(EXIT_SHM_USAGE, "--posix with --ns: POSIX objects live in a"
	    " mount namespace's /dev/shm, which --ns does not enter (yet)");
	msg_hint("reach a container's objects with nsenter --mount --ipc"
	    " --target PID shm ...");
	return EXIT_SHM_USAGE;
}

/* Enters namespace ns through its pid: 0, 1 when it is gone, or -status. */
static int
enter_one(const struct ns_ipc *ns)
{
	char path[64], target[32];
	struct stat st;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%ld/ns/ipc", (long)ns->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 1;
		err = errno;
		snprintf(target, sizeof(target), "%ld", (long)ns->pid);
		return -enter_failed(target, path, err);
	}
	/* The pid may have been reused by a process of another one. */
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_ino != ns->ino ||
	    st.st_dev != ns->dev) {
		close(fd);
		return 1;
	}
	if (setns(fd, CLONE_NEWIPC) != 0) {
		err = errno;
		close(fd);
		snprintf(target, sizeof(target), "%ld", (long)ns->pid);
		return -enter_failed(target, path, err);
	}
	close(fd);
	return 0;
}

int
ns_each(const struct ns_ipc *v, size_t n, ns_fn fn, void *arg)
{
	int self, rc, ret = EXIT_SHM_OK;
	size_t i;

	if ((self = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC)) < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot open"
		    " /proc/self/ns/ipc: %s", strerror(errno));
	for (i = 0; i < n && ret == EXIT_SHM_OK; i++) {
		if (v[i].self) {
			ret = fn(&v[i], arg);
			continue;
		}
		if ((rc = enter_one(&v[i])) != 0) {
			if (rc < 0)
				ret = -rc;
			continue;
		}
		ret = fn(&v[i], arg);
		if (setns(self, CLONE_NEWIPC) != 0) {
			msg_error(EXIT_SHM_FAIL, "cannot come back to its own"
			    " IPC namespace from ipc:[%llu]: %s; stopped",
			    (unsigned long long)v[i].ino, strerror(errno));
			exit(EXIT_SHM_FAIL);
		}
	}
	close(self);
	return ret;
}

bool
ns_pid_is_creator(pid_t pid, uint64_t ns, time_t t)
{
	char path[64];
	struct stat st;
	double start;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/ns/ipc", (long)pid);
	if (stat(path, &st) != 0 || (uint64_t)st.st_ino != ns)
		return false;
	/* t is cut to the second: the creator started before t + 1. */
	return proc_start_time(pid, &start) == 0 && start < (double)t + 1;
}

int
ns_need_admin(const char *opt)
{
	if (proc_has_cap(CAP_SYS_ADMIN))
		return EXIT_SHM_OK;
	msg_error(EXIT_SHM_PERM, "%s: reading the other IPC namespaces needs"
	    " CAP_SYS_ADMIN, which you do not have", opt);
	msg_hint("run it as root (sudo shm %s %s), or leave %s out for your"
	    " own namespace", msg_command() != NULL ? msg_command() : "ls",
	    opt, opt);
	return EXIT_SHM_PERM;
}
