/*
 * shm lock: run a command while holding the segment's lock, as flock(1).
 *
 * The lock is flock(2) on an empty file in /dev/shm, named after the IPC
 * namespace (the inode of /proc/self/ns/ipc) and the segment's id (for a
 * POSIX object, the device and inode of its file), so every selector that
 * names the segment (key, file, id) meets the same file, and a new segment
 * made with the same key (or name) has a lock of its own.
 * No SysV object is made: an application's own semaphore set may share
 * the segment's key.
 *
 * The file descriptor is inherited by COMMAND and closed by shm itself
 * once COMMAND runs: the lock lives exactly as long as COMMAND (and
 * whatever it passes the descriptor on to), and the kernel drops it when
 * they end, however they end.
 *
 * /dev/shm is writable by everyone, so the file is handled as a
 * careful setuid program would handle /tmp: never through a symbolic
 * link (O_NOFOLLOW), created only with O_EXCL (and then made readable by
 * all whatever the umask), opened without blocking on a FIFO, and used
 * only when it is a regular file with one link whose owner could have
 * written the segment anyway: only its owner may remove or replace it in
 * a sticky directory, and replacing it would let two holders in.  After
 * taking the lock, the name must still lead to the file locked; if not,
 * the file was removed (by its last holder, below) and it starts over.
 * Whoever holds a file it owns exclusively when its command ends removes
 * it, so files do not pile up.  Being advisory, anyone who may open the
 * file can hold it and keep others waiting, as with flock(1) on a shared
 * file; no one can make two holders meet.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "coord.h"
#include "options.h"
#include "msg.h"
#include "object.h"

#define LOCK_DIR	"/dev/shm"
#define OPEN_TRIES	100

enum {
	OPT_SHARED = OPT_FIRST_LOCAL,
	OPT_TIMEOUT,
};

static struct poptOption lock_options[] = {
	{ "shared", 's', POPT_ARG_NONE, NULL, OPT_SHARED,
	  "a shared lock (readers), not an exclusive one", NULL },
	{ "timeout", '\0', POPT_ARG_STRING, NULL, OPT_TIMEOUT,
	  "give up after DURATION (exit 7, COMMAND not run); 0: do not wait",
	  "DURATION" },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, lock_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

struct lock_opts {
	bool		 shared;
	uint64_t	 timeout;
	bool		 timed;
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct lock_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_SHARED:
		o->shared = true;
		break;
	case OPT_TIMEOUT:
		arg = poptGetOptArg(ctx);
		ret = coord_duration("--timeout", arg, &o->timeout);
		o->timed = true;
		free(arg);
		break;
	}
	return ret;
}

/*
 * Where COMMAND starts in argv: after "--", or at the first word that is
 * neither an option nor an option's value.  shm's own options stop there,
 * so that COMMAND's options stay COMMAND's.
 */
static int
command_start(int argc, const char **argv)
{
	static const char *const longs[] = { "--key", "--file", "--proj",
	    "--id", "--posix", "--timeout" };
	const char *a, *c;
	size_t j;
	int i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (a[1] == '-') {
			for (j = 0; j < sizeof(longs) / sizeof(longs[0]); j++)
				if (strcmp(a, longs[j]) == 0)
					i++;
			continue;
		}
		/* Bundled short options: a value is the rest, or the next. */
		for (c = a + 1; *c != '\0'; c++) {
			if (strchr("kfpiP", *c) == NULL)
				continue;
			if (c[1] == '\0')
				i++;
			break;
		}
	}
	return argc;
}

/*
 * Whether uid could write the segment anyway, as the kernel judges it
 * (owner, then group, then others): whoever could spoil the data may own
 * its lock file.
 */
static bool
trusted(uid_t uid, const struct obj_info *info)
{
	gid_t groups[NGROUPS_MAX + 1];
	struct passwd *pw;
	int n = NGROUPS_MAX + 1, i;
	bool member = false;

	if (uid == 0 || uid == geteuid() || uid == info->uid ||
	    uid == info->cuid)
		return true;
	if ((pw = getpwuid(uid)) != NULL &&
	    getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) >= 0) {
		for (i = 0; i < n; i++)
			if (groups[i] == info->gid || groups[i] == info->cgid)
				member = true;
	}
	return ((member ? info->mode >> 3 : info->mode) & 2) != 0;
}

static char *
lock_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, LOCK_DIR "/%s", name);
	return buf;
}

/* The directory must be one where others cannot replace our files. */
static int
open_dir(int *dfd)
{
	struct stat st;

	*dfd = open(LOCK_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (*dfd < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot open " LOCK_DIR
		    ", where the lock files are: %s", strerror(errno));
	if (fstat(*dfd, &st) != 0)
		return msg_error(EXIT_SHM_FAIL, "cannot stat " LOCK_DIR ": %s",
		    strerror(errno));
	if ((st.st_mode & 0002) && !(st.st_mode & S_ISVTX))
		return msg_error(EXIT_SHM_FAIL, "cannot lock safely: "
		    LOCK_DIR " is writable by everyone without the sticky bit"
		    " (mode %04o), so anyone could replace a lock file",
		    (unsigned int)st.st_mode & 07777);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return msg_error(EXIT_SHM_FAIL, "cannot lock safely: "
		    LOCK_DIR " belongs to uid %u, who could replace a lock"
		    " file", (unsigned int)st.st_uid);
	return EXIT_SHM_OK;
}

/*
 * Opens the lock file, making it when there is none; checks it.  Returns
 * EXIT_SHM_OK with *fd, or with *fd -1 and *again set when it is to be
 * tried again (it was made or removed by another meanwhile), or an exit
 * status after a message.
 */
static int
open_file(int dfd, const char *name, const struct obj_info *info, int *fd,
    bool *again)
{
	char path[PATH_MAX], owner[64];
	struct passwd *pw;
	struct stat st;

	*again = false;
	*fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (*fd < 0 && errno == ENOENT) {
		*fd = openat(dfd, name, O_RDONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0444);
		if (*fd < 0 && errno == EEXIST) {
			*again = true;
			return EXIT_SHM_OK;
		}
		/* Readable by every user of the segment, whatever the umask. */
		if (*fd >= 0)
			(void)fchmod(*fd, 0444);
	}
	lock_path(path, sizeof(path), name);
	if (*fd < 0 && errno == ELOOP)
		return msg_error(EXIT_SHM_FAIL, "cannot lock: %s is a symbolic"
		    " link, not a lock file: refusing to follow it", path);
	if (*fd < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot open the lock file %s:"
		    " %s", path, strerror(errno));
	if (fstat(*fd, &st) != 0)
		return msg_error(EXIT_SHM_FAIL, "cannot stat the lock file %s:"
		    " %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1)
		return msg_error(EXIT_SHM_FAIL, "cannot lock: %s is not a"
		    " plain lock file (%s, %ju link%s): refusing to use it",
		    path, S_ISREG(st.st_mode) ? "a regular file" :
		    "not a regular file", (uintmax_t)st.st_nlink,
		    st.st_nlink == 1 ? "" : "s");
	if (!trusted(st.st_uid, info)) {
		pw = getpwuid(st.st_uid);
		snprintf(owner, sizeof(owner), "%s", pw != NULL ? pw->pw_name :
		    "?");
		msg_error(EXIT_SHM_FAIL, "cannot lock: the lock file %s belongs"
		    " to %s (uid %u), who may not write the segment and so"
		    " could let two holders in", path, owner,
		    (unsigned int)st.st_uid);
		msg_hint("remove it (as root, or as %s): rm %s", owner, path);
		return EXIT_SHM_FAIL;
	}
	return EXIT_SHM_OK;
}

static volatile sig_atomic_t alarmed;

static void
on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/*
 * Arms SIGALRM for the timeout: once at the deadline, then every 10 ms in
 * case the first one came just before flock() began to sleep.
 */
static void
arm(uint64_t ns)
{
	struct sigaction sa;
	struct itimerval it = { 0 };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: flock() ends */
	it.it_value.tv_sec = (time_t)(ns / 1000000000);
	it.it_value.tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	it.it_interval.tv_usec = 10000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
disarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

/* The pid that holds a flock on the file of fd, from /proc/locks; or 0. */
static pid_t
holder(int fd)
{
	struct stat st;
	char line[256], dev[64];
	unsigned long long ino;
	long pid;
	FILE *fp;
	pid_t found = 0;

	if (fstat(fd, &st) != 0 || (fp = fopen("/proc/locks", "re")) == NULL)
		return 0;
	snprintf(dev, sizeof(dev), "%02x:%02x:", major(st.st_dev),
	    minor(st.st_dev));
	while (found == 0 && fgets(line, sizeof(line), fp) != NULL) {
		char kind[16], adv[16], mode[16], id[96];

		if (strstr(line, "->") != NULL)
			continue;
		if (sscanf(line, "%*d: %15s %15s %15s %ld %95s", kind, adv,
		    mode, &pid, id) != 5 || strcmp(kind, "FLOCK") != 0)
			continue;
		if (strncmp(id, dev, strlen(dev)) != 0)
			continue;
		ino = strtoull(id + strlen(dev), NULL, 10);
		if (ino == (unsigned long long)st.st_ino)
			found = (pid_t)pid;
	}
	fclose(fp);
	return found;
}

static int
timed_out(const struct lock_opts *o, const struct obj_info *info, int fd)
{
	char what[128], dur[32];
	pid_t pid = holder(fd);

	coord_duration_str(o->timeout, dur, sizeof(dur));
	obj_info_str(info, what, sizeof(what));
	if (pid > 0)
		msg_error(EXIT_SHM_UNMET, "timed out after %s waiting for the"
		    " %s lock of %s: it is held (taken by pid %ld)", dur,
		    o->shared ? "shared" : "exclusive", what, (long)pid);
	else
		msg_error(EXIT_SHM_UNMET, "timed out after %s waiting for the"
		    " %s lock of %s: it is held", dur, o->shared ? "shared" :
		    "exclusive", what);
	return EXIT_SHM_UNMET;
}

/*
 * Takes the lock.  Returns EXIT_SHM_OK with *fd holding it, or an exit
 * status (EXIT_SHM_UNMET when timed out) after a message.
 */
static int
take(const struct lock_opts *o, const struct obj_info *info, int dfd,
    const char *name, int *fd)
{
	struct stat held, now;
	int tries, rc, op = o->shared ? LOCK_SH : LOCK_EX;
	char path[PATH_MAX];
	bool again;

	if (o->timed && o->timeout == 0)
		op |= LOCK_NB;
	else if (o->timed)
		arm(o->timeout);
	for (tries = 0; tries < OPEN_TRIES; tries++) {
		if ((rc = open_file(dfd, name, info, fd, &again)) !=
		    EXIT_SHM_OK)
			goto fail;
		if (again)
			continue;
		while (flock(*fd, op) != 0) {
			if (errno == EWOULDBLOCK || (errno == EINTR &&
			    alarmed)) {
				rc = timed_out(o, info, *fd);
				goto fail;
			}
			if (errno != EINTR) {
				rc = msg_error(EXIT_SHM_FAIL, "cannot lock %s:"
				    " %s", lock_path(path, sizeof(path), name),
				    strerror(errno));
				goto fail;
			}
		}
		/* Still the file that the name leads to? */
		if (fstat(*fd, &held) == 0 && fstatat(dfd, name, &now,
		    AT_SYMLINK_NOFOLLOW) == 0 && held.st_dev == now.st_dev &&
		    held.st_ino == now.st_ino) {
			if (o->timed)
				disarm();
			return EXIT_SHM_OK;
		}
		close(*fd);
	}
	rc = msg_error(EXIT_SHM_FAIL, "cannot lock %s: the lock file keeps"
	    " being removed", lock_path(path, sizeof(path), name));
	*fd = -1;
fail:
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	if (o->timed)
		disarm();
	return rc;
}

/*
 * Removes the lock file once COMMAND has ended, when this caller owns it
 * and nobody holds or waits for it: with it held exclusively, anyone who
 * opened it meanwhile finds, once they hold it, that the name leads
 * elsewhere, and starts over.
 */
static void
tidy(int dfd, const char *name)
{
	struct stat held, now;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &held) == 0 && S_ISREG(held.st_mode) &&
	    (held.st_uid == geteuid() || geteuid() == 0) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	    fstatat(dfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
	    held.st_dev == now.st_dev && held.st_ino == now.st_ino)
		(void)unlinkat(dfd, name, 0);
	close(fd);
}

/* Runs COMMAND with fd open in it; returns its status as a shell does. */
static int
run(const char **cmd, int fd)
{
	pid_t pid;
	int status, e;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return msg_error(EXIT_SHM_FAIL, "cannot fork: %s",
		    strerror(errno));
	if (pid == 0) {
		/* The lock goes with COMMAND, and with it alone. */
		if (fcntl(fd, F_SETFD, 0) != 0)
			_exit(EXIT_SHM_FAIL);
		execvp(cmd[0], (char *const *)cmd);
		e = errno;
		msg_error(e == ENOENT ? 127 : 126, "cannot run '%s': %s",
		    cmd[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return msg_error(EXIT_SHM_FAIL, "cannot wait for '%s':"
			    " %s", cmd[0], strerror(errno));
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_SHM_FAIL;
}

int
cmd_lock(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct lock_opts o = { 0 };
	struct obj_verdict v[OBJ_ACT_COUNT];
	bool allowed;
	struct obj_info info;
	struct stat ns;
	const char **cmd;
	char name[96], ident[64];
	poptContext ctx;
	int start, ret, dfd = -1, fd = -1;

	start = command_start(argc, argv);
	cmd = argv + start;
	ctx = opt_context(start > 0 && strcmp(argv[start - 1], "--") == 0 ?
	    start - 1 : start, argv, options,
	    "SELECTOR [-s|--shared] [--timeout=DURATION] [--] COMMAND"
	    " [ARG...]\n\n"
	    "Runs COMMAND while holding the segment's lock, and exits with its"
	    " status, as\nflock(1).  Every 'shm lock' of the segment excludes"
	    " the others, whatever\nselector names it; the lock ends with"
	    " COMMAND, however it ends.");
	if (!opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	if (start >= argc) {
		ret = msg_usage("no COMMAND given: the command to run under"
		    " the lock");
		goto out;
	}
	if ((ret = obj_lookup(&sels.sel[0], &info, 0)) != EXIT_SHM_OK)
		goto out;
	obj_access(&info, v);
	allowed = v[o.shared ? OBJ_ACT_READ : OBJ_ACT_WRITE].allowed;
	obj_free_verdicts(v);
	if (!allowed) {
		ret = obj_diag_access(&sels.sel[0], &info, o.shared);
		goto out;
	}
	if (stat("/proc/self/ns/ipc", &ns) != 0) {
		ret = msg_error(EXIT_SHM_FAIL, "cannot tell the IPC namespace"
		    " (/proc/self/ns/ipc): %s", strerror(errno));
		goto out;
	}
	snprintf(name, sizeof(name), ".shm-lock.%ju.%s", (uintmax_t)ns.st_ino,
	    obj_info_ident(&info, ident, sizeof(ident)));
	if ((ret = open_dir(&dfd)) != EXIT_SHM_OK)
		goto out;
	if ((ret = take(&o, &info, dfd, name, &fd)) != EXIT_SHM_OK)
		goto out;
	ret = run(cmd, fd);
	fd = -1;
	tidy(dfd, name);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
