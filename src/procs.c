/*
 * Readers of /proc: one whole-file reader, and what shm(1) takes from
 * /proc/PID/maps, cmdline and status, /proc/meminfo and the id maps.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "procs.h"

/*
 * Reads a /proc file whole into *buf, which grows as needed and is kept for
 * the next file, and ends it with a NUL that *len does not count.  Returns
 * 0, or -1 when it cannot be read.
 */
long
proc_pid_of(const char *name)
{
	if (name[0] < '1' || name[0] > '9' ||
	    strspn(name, "0123456789") != strlen(name) || strlen(name) > 10)
		return -1;
	return strtol(name, NULL, 10);
}

int
proc_read_file(const char *path, char **buf, size_t *cap, size_t *len)
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
char *
proc_command(pid_t pid, char **buf, size_t *cap)
{
	char path[64], *cmd;
	size_t len = 0, i;

	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if (proc_read_file(path, buf, cap, &len) != 0 || len == 0) {
		snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
		if (proc_read_file(path, buf, cap, &len) != 0)
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
proc_start_time(pid_t pid, double *start)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks;
	struct timespec rt, bt;
	long hz;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The comm, field 2, may hold blanks and ')': skip to its end. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* Field 3 follows; starttime is field 22. */
	for (field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %llu", &ticks) != 1 ||
	    (hz = sysconf(_SC_CLK_TCK)) <= 0 ||
	    clock_gettime(CLOCK_REALTIME, &rt) != 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &bt) != 0)
		return -1;
	/*
	 * starttime counts ticks of CLOCK_BOOTTIME; the boot time of
	 * /proc/stat is rounded to the second, the clocks are not.
	 */
	*start = (double)rt.tv_sec + (double)rt.tv_nsec / 1e9 -
	    ((double)bt.tv_sec + (double)bt.tv_nsec / 1e9) +
	    (double)ticks / (double)hz;
	return 0;
}

int
proc_sysv_users(int id, proc_user_fn fn, void *arg)
{
	struct stat self_ns, st;
	struct dirent *de;
	size_t cap = 0, len;
	unsigned int maps;
	char path[64], *buf = NULL;
	bool have_ns;
	long pid;
	DIR *d;

	/*
	 * Ids are per IPC namespace: a process of another one can have a
	 * segment of the same id attached.
	 */
	have_ns = stat("/proc/self/ns/ipc", &self_ns) == 0;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if ((pid = proc_pid_of(de->d_name)) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/ipc", pid);
		if (have_ns && (stat(path, &st) != 0 ||
		    st.st_ino != self_ns.st_ino || st.st_dev != self_ns.st_dev))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
		if (proc_read_file(path, &buf, &cap, &len) != 0)
			continue;
		if ((maps = count_maps(buf, buf + len, id)) == 0)
			continue;
		if (fn((pid_t)pid, maps, arg) != 0) {
			closedir(d);
			free(buf);
			return -1;
		}
	}
	closedir(d);
	free(buf);
	return 0;
}

bool
proc_has_cap(int cap)
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

void
proc_mem(struct proc_mem *m)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "MemTotal:", offsetof(struct proc_mem, total) },
		{ "MemAvailable:", offsetof(struct proc_mem, avail) },
		{ "SwapTotal:", offsetof(struct proc_mem, swap) },
		{ "CommitLimit:", offsetof(struct proc_mem, commit_limit) },
		{ "Committed_AS:", offsetof(struct proc_mem, committed) },
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
 * Whether id is mapped in the caller's user namespace, by map, a
 * /proc/self/uid_map or gid_map ("inside outside count" lines).  True when
 * the map cannot be read: the kernel then gave EINVAL for another reason.
 */
bool
proc_id_mapped(const char *map, unsigned long long id)
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

/* The index of ino in the sorted inos, or -1. */
static long
find_ino(const ino_t *inos, size_t n, ino_t ino)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (inos[mid] == ino)
			return (long)mid;
		if (inos[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Counts, into maps[], the lines of a maps file that map one of inos. */
static void
count_file_maps(const char *p, const char *end, dev_t dev,
    const ino_t *inos, size_t n, unsigned int *maps)
{
	unsigned int maj, min;
	unsigned long long ino;
	const char *nl;
	long i;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (sscanf(p, "%*s %*s %*s %x:%x %llu", &maj, &min,
		    &ino) != 3 || ino == 0 || makedev(maj, min) != dev)
			continue;
		if ((i = find_ino(inos, n, (ino_t)ino)) >= 0)
			maps[i]++;
	}
}

/* Counts, into fds[], the descriptors of pid that lead to one of inos. */
static void
count_file_fds(long pid, dev_t dev, const ino_t *inos, size_t n,
    unsigned int *fds)
{
	char path[64];
	struct dirent *de;
	struct stat st;
	long i;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/fd/%.20s", pid,
		    de->d_name);
		if (stat(path, &st) != 0 || st.st_dev != dev ||
		    !S_ISREG(st.st_mode))
			continue;
		if ((i = find_ino(inos, n, st.st_ino)) >= 0)
			fds[i]++;
	}
	closedir(d);
}

/* Counts one process's uses of the files, and reports them to fn. */
static int
file_users_of(long pid, dev_t dev, const ino_t *inos, size_t n,
    unsigned int *cnt, char **buf, size_t *cap, proc_file_fn fn, void *arg)
{
	char path[64];
	size_t i, len;
	int rc = 0;

	memset(cnt, 0, 2 * n * sizeof(*cnt));
	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	if (proc_read_file(path, buf, cap, &len) == 0)
		count_file_maps(*buf, *buf + len, dev, inos, n, cnt);
	count_file_fds(pid, dev, inos, n, cnt + n);
	for (i = 0; i < n && rc == 0; i++)
		if (cnt[i] > 0 || cnt[n + i] > 0)
			rc = fn((pid_t)pid, i, cnt[i], cnt[n + i], arg);
	return rc;
}

int
proc_file_users(dev_t dev, const ino_t *inos, size_t n, proc_file_fn fn,
    void *arg)
{
	struct dirent *de;
	unsigned int *cnt;
	size_t cap = 0;
	char *buf = NULL;
	long pid, self = (long)getpid();
	int rc = 0;
	DIR *d;

	if (n == 0)
		return 0;
	if ((cnt = calloc(2 * n, sizeof(*cnt))) == NULL)
		return -1;
	if ((d = opendir("/proc")) == NULL) {
		free(cnt);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if ((pid = proc_pid_of(de->d_name)) < 0 || pid == self)
			continue;
		rc = file_users_of(pid, dev, inos, n, cnt, &buf, &cap, fn,
		    arg);
	}
	closedir(d);
	free(buf);
	free(cnt);
	return rc;
}
