/*
 * Readers of /proc.  They print nothing: each says by its return what it
 * could not read, and the caller decides what that means.
 */
#ifndef SHM_PROCS_H
#define SHM_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* The pid that a name of /proc's directory is, or -1 when it is none. */
long	proc_pid_of(const char *name);

/*
 * Reads a /proc file whole into *buf, which grows as needed and is kept for
 * the next file, and ends it with a NUL that *len does not count.  Returns
 * 0, or -1 when it cannot be read.
 */
int	proc_read_file(const char *path, char **buf, size_t *cap, size_t *len);

/*
 * The command line of pid, its arguments joined by blanks, or its comm;
 * *buf and *cap as proc_read_file() keeps them.  malloc'd; NULL when out of
 * memory.
 */
char	*proc_command(pid_t pid, char **buf, size_t *cap);

/*
 * When process pid started, in seconds since the epoch, to the clock tick
 * (from /proc/PID/stat and the clocks now).  0, or -1 when it cannot be
 * read.
 */
int	proc_start_time(pid_t pid, double *start);

/* Called for each process that maps a segment; non-zero stops the walk. */
typedef int (*proc_user_fn)(pid_t pid, unsigned int maps, void *arg);

/*
 * Calls fn for each process of the caller's IPC namespace whose
 * /proc/PID/maps has "/SYSV<key>" lines whose inode is the shmid id, with
 * how many.  Processes whose maps the caller may not read are not seen.
 * Returns 0, or -1 when /proc cannot be read or fn stopped the walk.
 */
int	proc_sysv_users(int id, proc_user_fn fn, void *arg);

/*
 * Whether the caller has capability cap in its effective set, from
 * /proc/self/status; when that cannot be read, whether it is root.
 */
bool	proc_has_cap(int cap);

/* The figures of /proc/meminfo and vm.overcommit_* that ENOMEM needs. */
struct proc_mem {
	/* bytes */
	uint64_t	 total, avail, swap, commit_limit, committed;
	long		 mode, ratio;		/* -1: unknown */
	bool		 known;		/* all five figures were read */
};

/* Reads them; known false when /proc/meminfo lacks one. */
void	proc_mem(struct proc_mem *);

/*
 * Whether id is mapped in the caller's user namespace, by map, a
 * /proc/self/uid_map or gid_map.  True when the map cannot be read.
 */
bool	proc_id_mapped(const char *map, unsigned long long id);

/*
 * Called by proc_file_users() for a process and the file of index i that
 * it maps (maps lines of /proc/PID/maps) or holds open (fds descriptors).
 * Returns 0, or -1 to stop.
 */
typedef int (*proc_file_fn)(pid_t pid, size_t i, unsigned int maps,
	    unsigned int fds, void *arg);

/*
 * Finds the processes, other than the caller, that map or hold open one of
 * n files of the device dev, whose inode numbers inos are sorted in
 * ascending order: by the device and inode of the lines of /proc/PID/maps
 * and of what /proc/PID/fd/N leads to.  Processes whose maps and fds the
 * caller may not read are not seen.  Returns 0, or -1 when /proc cannot be
 * read or fn stopped.
 */
int	proc_file_users(dev_t dev, const ino_t *inos, size_t n,
	    proc_file_fn fn, void *arg);

#endif
