/*
 * IPC namespaces: finding those the processes of the machine live in,
 * entering one (shm --ns, ls -A, metrics -A), and coming back.
 */
#ifndef SHM_NS_H
#define SHM_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* An IPC namespace, as lsns(8) shows it. */
struct ns_ipc {
	uint64_t	 ino;		/* the inode of its ns/ipc file */
	dev_t		 dev;		/* and the device (nsfs) */
	pid_t		 pid;		/* its lowest pid */
	size_t		 nprocs;	/* processes seen in it */
	bool		 self;		/* the caller's own */
};

/*
 * Every distinct IPC namespace of /proc/PID/ns/ipc (the processes whose
 * link the caller may not read are not seen, and counted in *hidden),
 * with the caller's; in order of inode.  *v is malloc'd; free() it.
 * Returns 0, or -1 when /proc cannot be read.
 */
int	ns_list(struct ns_ipc **v, size_t *n, size_t *hidden);

/*
 * ns_list() for ls -A, ls --namespaces and metrics -A (opt names it in
 * messages): when the namespaces of some processes are out of the caller's
 * sight (their /proc/PID/ns/ipc may not be read), says so on stderr, so
 * that a list that misses them never looks whole.  EXIT_SHM_OK, or the
 * exit status after the diagnosis when /proc cannot be read.
 */
int	ns_list_whole(struct ns_ipc **v, size_t *n, const char *opt);

/*
 * Enters the IPC namespace TARGET names for the rest of the program (shm
 * --ns): a pid (its /proc/PID/ns/ipc) or the path of a namespace file.
 * EXIT_SHM_OK, or the exit status after the diagnosis: 2 when TARGET is no
 * IPC namespace, 4 when entering it is not allowed (CAP_SYS_ADMIN).
 */
int	ns_enter_target(const char *target);

/*
 * EXIT_SHM_OK, or a usage error (exit 2, after the message) when --ns
 * entered a namespace: POSIX objects are reached through a mount
 * namespace, which --ns does not enter, so -P and --posix would name the
 * caller's own /dev/shm.
 */
int	ns_refuse_posix(void);

/*
 * EXIT_SHM_OK when the caller has CAP_SYS_ADMIN, which reading every
 * namespace (opt: "-A") needs; else exit 4 after saying so.
 */
int	ns_need_admin(const char *opt);

/* Called in each namespace by ns_each(); a non-zero status stops. */
typedef int (*ns_fn)(const struct ns_ipc *, void *arg);

/*
 * Calls fn inside each of the n namespaces of v in turn, through its pid,
 * and comes back to the caller's own between them and at the end.  A
 * namespace whose processes have all gone since ns_list() is passed by.
 * Entering one not allowed: exit 4 with the diagnosis.  Failing to come
 * back ends the program (exit 1): nothing more is done in a namespace
 * that is not the one asked for.
 */
int	ns_each(const struct ns_ipc *v, size_t n, ns_fn fn, void *arg);

/*
 * The inode of the caller's IPC namespace now (after --ns, that one); 0
 * when it cannot be read.
 */
uint64_t ns_current(void);

/*
 * Whether process pid lives in IPC namespace ns (an inode) and started no
 * later than epoch second t (before t + 1, as t is cut to the second): so
 * that a pid reused by a younger process is not taken for the one the
 * kernel recorded at time t.
 */
bool	ns_pid_is_creator(pid_t pid, uint64_t ns, time_t t);

#endif
