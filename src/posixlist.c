/*
 * Listing POSIX shared memory objects: the regular files of /dev/shm (or
 * of another namespace's, by its path), with the processes that use them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "object.h"
#include "posixlist.h"
#include "procs.h"

/* The prefix of the lock files that shm lock makes in /dev/shm. */
#define LOCK_PREFIX	".shm-lock."

/* sem_open(3) keeps a named semaphore as /dev/shm/sem.NAME. */
#define SEM_PREFIX	"sem."

void
posixlist_from_stat(const char *name, const struct stat *st,
    struct obj_info *info)
{
	memset(info, 0, sizeof(*info));
	info->kind = OBJ_POSIX;
	info->id = -1;
	snprintf(info->name, sizeof(info->name), "%s", name);
	info->mode = st->st_mode & 0777;
	info->size = (uint64_t)st->st_size;
	info->uid = info->cuid = st->st_uid;
	info->gid = info->cgid = st->st_gid;
	info->atime = st->st_atim.tv_sec;
	info->mtime = st->st_mtim.tv_sec;
	info->ctime = st->st_ctim.tv_sec;
	info->dev = st->st_dev;
	info->ino = st->st_ino;
	/* tmpfs counts the pages it holds for the file, swapped or not */
	info->rss = (uint64_t)st->st_blocks * 512;
	info->mem_known = true;
}

/* The rows by inode, for proc_file_users(). */
struct by_ino {
	struct obj_info	*rows;
	size_t		*order;		/* row of each sorted inode */
};

static int
count_one(pid_t pid, size_t i, unsigned int maps, unsigned int fds,
    void *arg)
{
	struct by_ino *b = arg;

	(void)pid;
	(void)maps;
	(void)fds;
	b->rows[b->order[i]].nattch++;
	return 0;
}

static struct obj_info *sort_rows;

static int
cmp_ino(const void *a, const void *b)
{
	ino_t x = sort_rows[*(const size_t *)a].ino;
	ino_t y = sort_rows[*(const size_t *)b].ino;

	return x < y ? -1 : x > y;
}

int
posixlist_count_users(struct obj_info *rows, size_t n)
{
	struct by_ino b = { .rows = rows };
	ino_t *inos;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	b.order = xrealloc(NULL, n * sizeof(*b.order));
	inos = xrealloc(NULL, n * sizeof(*inos));
	for (i = 0; i < n; i++) {
		b.order[i] = i;
		rows[i].nattch = 0;
	}
	sort_rows = rows;
	qsort(b.order, n, sizeof(*b.order), cmp_ino);
	for (i = 0; i < n; i++)
		inos[i] = rows[b.order[i]].ino;
	rc = proc_file_users(rows[0].dev, inos, n, count_one, &b);
	free(inos);
	free(b.order);
	return rc;
}

/* Whether a file of the directory is a POSIX object that ls shows. */
static bool
listed(const char *name)
{
	return name[0] != '\0' && strcmp(name, ".") != 0 &&
	    strcmp(name, "..") != 0 &&
	    strncmp(name, LOCK_PREFIX, strlen(LOCK_PREFIX)) != 0 &&
	    strncmp(name, SEM_PREFIX, strlen(SEM_PREFIX)) != 0 &&
	    strlen(name) <= OBJ_NAME_MAX;
}

int
posixlist_list(const char *dir, struct obj_info **rows, size_t *n)
{
	struct obj_info *v = NULL;
	size_t cap = 0, k = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (dir == NULL)
		dir = POSIX_DIR;
	if ((d = opendir(dir)) == NULL)
		return msg_error(errno == EACCES ? EXIT_SHM_PERM :
		    EXIT_SHM_FAIL, "cannot list the POSIX objects of %s: %s",
		    dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!listed(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW)
		    != 0 || !S_ISREG(st.st_mode))
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		posixlist_from_stat(de->d_name, &st, &v[k++]);
	}
	closedir(d);
	(void)posixlist_count_users(v, k);
	*rows = v;
	*n = k;
	return EXIT_SHM_OK;
}
