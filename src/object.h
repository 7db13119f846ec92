/*
 * The core of shm(1): naming a segment, ftok keys, shmget/shmat/shmdt/shmctl,
 * /proc/sysvipc/shm, and the diagnosis of every failure.  Only this module
 * calls the SysV functions.  Each function that can fail prints its
 * diagnosis (message, then hints) and returns an exit status of shm(1);
 * EXIT_SHM_OK on success.
 */
#ifndef SHM_SEGMENT_H
#define SHM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum seg_sel_kind {
	SEL_NONE,
	SEL_KEY,	/* -k, --key */
	SEL_FILE,	/* -f, --file (and -p, --proj) */
	SEL_ID,		/* -i, --id */
	SEL_PRIVATE,	/* --private */
};

/* How the user named a segment. */
struct seg_sel {
	enum seg_sel_kind kind;
	const char	*path;		/* SEL_FILE */
	int		 proj;		/* SEL_FILE */
	key_t		 key;		/* SEL_KEY; SEL_FILE after seg_resolve() */
	int		 id;		/* SEL_ID */
	bool		 resolved;	/* key is valid */
};

/* Mode bits beyond the nine permission bits, as /proc/sysvipc/shm shows. */
#define SEG_MODE_DEST	01000	/* marked for removal */
#define SEG_MODE_LOCKED	02000	/* locked in memory (SHM_LOCK) */

/* What the kernel knows of a segment: one row of /proc/sysvipc/shm. */
struct seg_info {
	key_t		 key;
	int		 id;
	unsigned int	 mode;		/* permission bits | SEG_MODE_* */
	uint64_t	 size;
	pid_t		 cpid, lpid;
	uint64_t	 nattch;
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	time_t		 atime, dtime, ctime;	/* 0: never */
	uint64_t	 rss, swap;	/* bytes */
	bool		 mem_known;	/* rss and swap were read (not so in
					   the shmctl fallback) */
};

/* An attached segment. */
struct seg {
	struct seg_info	 info;
	unsigned char	*addr;
	size_t		 size;
	bool		 readonly;
};

/* The kernel's limits, from /proc/sys/kernel and shmctl(IPC_INFO). */
struct seg_limits {
	uint64_t	 shmmax;	/* bytes */
	uint64_t	 shmmin;	/* bytes */
	uint64_t	 shmmni;	/* segments */
	uint64_t	 shmall;	/* pages */
	uint64_t	 page_size;	/* bytes */
	uint64_t	 used_ids;	/* segments in use */
	uint64_t	 used_pages;	/* pages in use */
};

/* Puts a key as "0x%08x" into buf. Returns buf. */
char	*seg_key_str(key_t, char buf[11]);

/*
 * Describes a selector for messages: "key 0x00000010", "key 0x41012345
 * (ftok of 'shmfile', proj 65)", "id 5", "a private segment".
 */
const char *seg_sel_str(const struct seg_sel *, char *buf, size_t len);

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
const char *seg_info_str(const struct seg_info *, char *buf, size_t len);

/* What seg_sel_str() describes, whole; malloc'd, free() it. */
char	*seg_sel_text(const struct seg_sel *);

/* What seg_sel_args() puts, whole; malloc'd, free() it. */
char	*seg_sel_opts(const struct seg_sel *);

/*
 * Describes a segment found as sel named it (sel may be NULL): "key
 * 0x41012345 (ftok of 'f', proj 65), id 5", "key 0x00000010 (id 5)",
 * "id 5".  malloc'd; free() it.
 */
char	*seg_info_text(const struct seg_sel *, const struct seg_info *);

/* seg_info_text() into buf, cut to len.  Returns buf. */
const char *seg_info_sel_str(const struct seg_sel *, const struct seg_info *,
	    char *buf, size_t len);

/* The options that name a segment found, for hints; free() it. */
char	*seg_info_opts(const struct seg_sel *, const struct seg_info *);

/* s quoted for a shell when it holds anything but plain characters. */
char	*seg_shell_quote(const char *s);

/*
 * The name of a user or a group, whole (from the cache of output.c), or the
 * number in buf when it has none.
 */
const char *seg_user_name(uid_t, char *buf, size_t len)
	    __attribute__((warn_unused_result));
const char *seg_group_name(gid_t, char *buf, size_t len)
	    __attribute__((warn_unused_result));

/*
 * For SEL_FILE, derives the key with ftok(3) as its own step, so that a
 * missing file (exit 3) or one out of reach (exit 4) is told apart from a
 * missing segment.  Other kinds need nothing.
 */
int	seg_resolve(struct seg_sel *);

/*
 * Opens the segment, creating it with size bytes and mode when it does not
 * exist (size 0: only open).  *created tells which happened.  With exclusive,
 * an existing segment is exit 5.  Fills info.
 */
int	seg_create(struct seg_sel *, uint64_t size, unsigned int mode,
	    bool exclusive, struct seg_info *, bool *created);

/* Flags of seg_lookup(). */
#define SEG_QUIET_MISSING	0x1	/* no message when there is none */

/*
 * Finds an existing segment without attaching it and without needing any
 * permission on it.  Fills info.  Exit 3 when there is none (a missing
 * ftok file included).
 */
int	seg_lookup(struct seg_sel *, struct seg_info *, int flags);

/*
 * What the kernel says of segment id now: shmctl IPC_STAT, or SHM_STAT_ANY
 * for a segment the caller may not read; never the file SHM_PROC_SYSVIPC
 * names.  What is decided from it (removing, changing) is decided on this.
 * Prints nothing.  Returns 0, or -1 with errno: EINVAL or EIDRM when no
 * segment has that id.
 */
int	seg_stat(int id, struct seg_info *);

/*
 * Whether the caller may remove the segment (IPC_RMID): the owner, the
 * creator, or CAP_SYS_ADMIN.  EXIT_SHM_OK, or exit 4 with the diagnosis
 * that rm would print.  For rm --dry-run.
 */
int	seg_may_remove(const struct seg_info *);

/* Attaches the segment that info names, read-only or read-write. */
int	seg_attach(const struct seg_sel *, const struct seg_info *,
	    bool readonly, struct seg *);

/* Looks the segment up, then attaches it. */
int	seg_open(struct seg_sel *, bool readonly, struct seg *);

/*
 * Faults in the pages of len bytes at addr, in an attached segment, with
 * one madvise(2) rather than one trap a page while they are copied: for
 * writing, or for reading.  Only an optimisation: it leaves a range under
 * 1 MiB alone, and kernels before 5.14 say EINVAL, which is ignored.
 */
void	seg_prefault(const void *addr, size_t len, bool for_write);

/* Detaches; a no-op for a segment that is not attached. */
int	seg_detach(struct seg *);

/*
 * Marks the segment for removal (IPC_RMID).  When processes are still
 * attached, says so on stderr (it goes when the last one detaches).
 */
int	seg_remove(const struct seg_info *);

/* Changes the nine permission bits (IPC_SET). */
int	seg_set_mode(const struct seg_info *, unsigned int mode);

/* Changes owner and group (IPC_SET); (uid_t)-1 or (gid_t)-1 keeps one. */
int	seg_set_owner(const struct seg_info *, uid_t, gid_t);

/* Flags of seg_list(). */
#define SEG_LIST_MEM	0x1	/* rss and swap are wanted */

/*
 * Reads every segment: by the shmctl(SHM_INFO, SHM_STAT_ANY) walk, or
 * /proc/sysvipc/shm when rss and swap are wanted (SEG_LIST_MEM) or the walk
 * cannot see every segment; each falls back to the other.  SHM_PROC_SYSVIPC
 * in the environment names a file to read first instead of /proc/sysvipc/shm
 * (a missing one forces the walk).  *rows is malloc'd; free() it.
 */
int	seg_list(struct seg_info **rows, size_t *n, int flags);

/* Reads the kernel's limits and the current use. */
int	seg_get_limits(struct seg_limits *);

/*
 * Whether the caller has capability cap (CAP_IPC_OWNER bypasses the mode
 * bits, CAP_SYS_ADMIN allows rm, chmod and chown of any segment), read from
 * /proc/self/status; false when that cannot be read.
 */
bool	seg_caller_has_cap(int cap);

/*
 * Puts the command-line options that name sel into buf, quoted for a shell
 * where needed ("--key 0x00000010", "--file 'my file' --proj 65",
 * "--id 5"), for hints.  Returns buf.
 */
char	*seg_sel_args(const struct seg_sel *, char *buf, size_t len);

/* What the caller may do with a segment, as shm stat reports it. */
enum seg_action {
	SEG_ACT_READ,		/* attach read-only */
	SEG_ACT_WRITE,		/* attach read-write */
	SEG_ACT_REMOVE,		/* IPC_RMID */
	SEG_ACT_CHANGE,		/* IPC_SET: chmod, chown */
	SEG_ACT_COUNT,
};

struct seg_verdict {
	bool		 allowed;
	char		*reason;	/* "you are the owner", ...; malloc'd */
};

/*
 * Works out, as the kernel would, whether the caller may read, write,
 * remove and change the segment, from its mode bits, owner, creator and
 * groups and the caller's ids, groups and capabilities; each with the
 * reason in words, whole.  A security module may still refuse what this
 * allows.  Free the reasons with seg_free_verdicts().
 */
void	seg_caller_access(const struct seg_info *,
	    struct seg_verdict v[SEG_ACT_COUNT]);

/* Frees the reasons that seg_caller_access() gave. */
void	seg_free_verdicts(struct seg_verdict v[SEG_ACT_COUNT]);

/*
 * The caller for messages, whole: "nobody (uid 65534), groups nogroup,..."
 * (its effective group first, then every supplementary group, by name or
 * number).  malloc'd; free() it.
 */
char	*seg_caller_str(void);

/* A process that has a segment attached. */
struct seg_proc {
	pid_t		 pid;
	char		*command;	/* command line, or comm; malloc'd */
	unsigned int	 maps;		/* how many times it is mapped */
};

/*
 * Finds the processes of the caller's IPC namespace that have the segment
 * attached, from the "/SYSV<key>" lines of /proc/PID/maps whose inode is the
 * shmid (the key in the name is the one at creation, so it cannot be
 * matched once the segment is marked for removal).  Processes whose maps
 * the caller may not read are not seen.  *procs is malloc'd; free it with
 * seg_free_procs().  Returns 0, or -1 when /proc cannot be read.
 */
int	seg_attached(const struct seg_info *, struct seg_proc **procs,
	    size_t *n);

/* Frees what seg_attached() returned. */
void	seg_free_procs(struct seg_proc *, size_t n);

/*
 * Prints the refusal of reading (readonly) or writing the segment, as an
 * attach refused by its mode bits is told (row 10 of the diagnoses), for
 * a caller that judged it with seg_caller_access() without attaching.
 * Returns EXIT_SHM_PERM.
 */
int	seg_diag_access(const struct seg_sel *, const struct seg_info *,
	    bool readonly);

#endif
