/*
 * The objects of shm(1), whatever kind of shared memory they are: how the
 * user names one (struct obj_sel), what the kernel knows of it (struct
 * obj_info), an attachment (struct obj), and what may be done with them.
 * Each operation goes to the kind's table of operations (struct
 * obj_kind_ops); sysv.c fills the one of System V segments.  Commands use
 * only this API: they never test the kind.  Each function that can fail
 * prints its diagnosis (message, then hints) and returns an exit status of
 * shm(1); EXIT_SHM_OK on success.
 */
#ifndef SHM_OBJECT_H
#define SHM_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum obj_sel_kind {
	SEL_NONE,
	SEL_KEY,	/* -k, --key */
	SEL_FILE,	/* -f, --file (and -p, --proj) */
	SEL_ID,		/* -i, --id */
	SEL_PRIVATE,	/* --private */
	SEL_POSIX,	/* -P, --posix */
};

/* The longest name of a POSIX object, without its leading '/'. */
#define OBJ_NAME_MAX	255

/* The kinds of shared memory; 0, what a zeroed obj_info has, is SysV. */
enum obj_kind {
	OBJ_SYSV,
	OBJ_POSIX,	/* shm_open(3): a file of /dev/shm */
	OBJ_KIND_COUNT,
};

/* How the user named a segment. */
struct obj_sel {
	enum obj_sel_kind kind;
	const char	*path;		/* SEL_FILE */
	int		 proj;		/* SEL_FILE */
	key_t		 key;		/* SEL_KEY; SEL_FILE after obj_resolve() */
	int		 id;		/* SEL_ID */
	const char	*name;		/* SEL_POSIX: without its '/' */
	bool		 resolved;	/* key is valid */
};

/* Mode bits beyond the nine permission bits, as /proc/sysvipc/shm shows. */
#define OBJ_MODE_DEST	01000	/* marked for removal */
#define OBJ_MODE_LOCKED	02000	/* locked in memory (SHM_LOCK) */

/* What the kernel knows of a segment: one row of /proc/sysvipc/shm. */
struct obj_info {
	enum obj_kind	 kind;
	key_t		 key;
	int		 id;
	unsigned int	 mode;		/* permission bits | OBJ_MODE_* */
	uint64_t	 size;
	pid_t		 cpid, lpid;
	uint64_t	 nattch;	/* POSIX: processes that map it or
					   hold it open */
	uid_t		 uid, cuid;
	gid_t		 gid, cgid;
	time_t		 atime, dtime, ctime;	/* 0: never */
	uint64_t	 rss, swap;	/* bytes */
	bool		 mem_known;	/* rss and swap were read (not so in
					   the shmctl fallback) */
	uint64_t	 page_size;	/* bytes of the pages backing it; 0:
					   not known, or not asked for (see
					   obj_page_size()) */
	/* A POSIX object: its name (without '/'), file and times. */
	char		 name[OBJ_NAME_MAX + 1];
	dev_t		 dev;
	ino_t		 ino;
	time_t		 mtime;
};

/* An attached segment. */
struct obj {
	struct obj_info	 info;
	unsigned char	*addr;
	size_t		 size;
	bool		 readonly;
	int		 fd;		/* the kind's own descriptor (POSIX) */
};

/* The kernel's limits, from /proc/sys/kernel and shmctl(IPC_INFO). */
struct obj_limits {
	uint64_t	 shmmax;	/* bytes */
	uint64_t	 shmmin;	/* bytes */
	uint64_t	 shmmni;	/* segments */
	uint64_t	 shmall;	/* pages */
	uint64_t	 page_size;	/* bytes */
	uint64_t	 used_ids;	/* segments in use */
	uint64_t	 used_pages;	/* pages in use */
};

/*
 * What create and rm print to name an object found, into buf: the id of a
 * segment ("5"), the name of a POSIX object ("/NAME").  Returns buf.
 */
const char *obj_info_handle(const struct obj_info *, char *buf, size_t len);

/*
 * How narration names an object found, into buf: "id 5" for a segment,
 * "/NAME" for a POSIX object.  Returns buf.
 */
const char *obj_info_ref(const struct obj_info *, char *buf, size_t len);

/*
 * A word that names the object found and no other in the caller's IPC and
 * mount namespaces, for the name of a file: "5" (the id of a segment),
 * "posix.DEV.INO" (the device and inode of a POSIX object).  Returns buf.
 */
const char *obj_info_ident(const struct obj_info *, char *buf, size_t len);

/* A field of create --json that names the object. */
struct obj_field {
	const char	*key;		/* "id", "key", "name" */
	char		 value[OBJ_NAME_MAX + 2];
	bool		 number;	/* a JSON number, else a string */
};

/* The fields that name the object found, into f; returns how many. */
int	obj_info_fields(const struct obj_info *, struct obj_field f[2]);

/* Puts a key as "0x%08x" into buf. Returns buf. */
char	*obj_key_str(key_t, char buf[11]);

/*
 * Describes a selector for messages: "key 0x00000010", "key 0x41012345
 * (ftok of 'shmfile', proj 65)", "id 5", "a private segment".
 */
const char *obj_sel_str(const struct obj_sel *, char *buf, size_t len);

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
const char *obj_info_str(const struct obj_info *, char *buf, size_t len);

/* What obj_sel_str() describes, whole; malloc'd, free() it. */
char	*obj_sel_text(const struct obj_sel *);

/* What obj_sel_args() puts, whole; malloc'd, free() it. */
char	*obj_sel_opts(const struct obj_sel *);

/*
 * Describes a segment found as sel named it (sel may be NULL): "key
 * 0x41012345 (ftok of 'f', proj 65), id 5", "key 0x00000010 (id 5)",
 * "id 5".  malloc'd; free() it.
 */
char	*obj_info_text(const struct obj_sel *, const struct obj_info *);

/* obj_info_text() into buf, cut to len.  Returns buf. */
const char *obj_info_sel_str(const struct obj_sel *, const struct obj_info *,
	    char *buf, size_t len);

/* The options that name a segment found, for hints; free() it. */
char	*obj_info_opts(const struct obj_sel *, const struct obj_info *);

/* s quoted for a shell when it holds anything but plain characters. */
char	*obj_shell_quote(const char *s);

/*
 * The name of a user or a group, whole (from the cache of output.c), or the
 * number in buf when it has none.
 */
const char *obj_user_name(uid_t, char *buf, size_t len)
	    __attribute__((warn_unused_result));
const char *obj_group_name(gid_t, char *buf, size_t len)
	    __attribute__((warn_unused_result));

/*
 * For SEL_FILE, derives the key with ftok(3) as its own step, so that a
 * missing file (exit 3) or one out of reach (exit 4) is told apart from a
 * missing segment.  Other kinds need nothing.
 */
int	obj_resolve(struct obj_sel *);

/* What obj_create() is asked to make. */
struct obj_create_req {
	uint64_t	 size;		/* bytes; 0: only open an existing one */
	unsigned int	 mode;		/* the nine permission bits */
	bool		 exclusive;	/* an existing one is exit 5 */
	uint64_t	 huge_page;	/* 0: normal pages; 1: the default huge
					   page size; else that size in bytes
					   (System V only) */
	bool		 noreserve;	/* reserve no swap (System V only) */
};

/*
 * Opens the object, creating it as req asks when it does not exist.
 * *created tells which happened.  Fills info.
 */
int	obj_create(struct obj_sel *, const struct obj_create_req *,
	    struct obj_info *, bool *created);

/* Flags of obj_lookup(). */
#define OBJ_QUIET_MISSING	0x1	/* no message when there is none */

/*
 * Finds an existing segment without attaching it and without needing any
 * permission on it.  Fills info.  Exit 3 when there is none (a missing
 * ftok file included).
 */
int	obj_lookup(struct obj_sel *, struct obj_info *, int flags);

/*
 * What the kernel says now of the object which names, into *now, read again
 * right before acting (for SysV: shmctl IPC_STAT, or SHM_STAT_ANY for a
 * segment the caller may not read; never the file SHM_PROC_SYSVIPC names).
 * What is decided from it (removing, changing) is decided on this.  Prints
 * nothing.  Returns 0, or -1 with errno: EINVAL or EIDRM when it is gone.
 */
int	obj_restat(const struct obj_info *which, struct obj_info *now);

/*
 * Whether the caller may remove the segment (IPC_RMID): the owner, the
 * creator, or CAP_SYS_ADMIN.  EXIT_SHM_OK, or exit 4 with the diagnosis
 * that rm would print.  For rm --dry-run.
 */
int	obj_may_remove(const struct obj_info *);

/* Attaches the segment that info names, read-only or read-write. */
int	obj_attach(const struct obj_sel *, const struct obj_info *,
	    bool readonly, struct obj *);

/* Looks the segment up, then attaches it. */
int	obj_open(struct obj_sel *, bool readonly, struct obj *);

/*
 * Faults in the pages of len bytes at addr, in an attached segment, with
 * one madvise(2) rather than one trap a page while they are copied: for
 * writing, or for reading.  Only an optimisation: it leaves a range under
 * 1 MiB alone, and kernels before 5.14 say EINVAL, which is ignored.
 */
void	obj_prefault(const void *addr, size_t len, bool for_write);

/*
 * Gives len bytes at off, in an object attached for writing, memory of
 * their own before they are written, so that the writing cannot fail
 * half-way: a POSIX object in a tmpfs that cannot hold them is exit 6
 * (row 31 of the diagnoses) with no byte changed.  Changes no byte; a
 * no-op for a System V segment, whose memory is the kernel's to find.
 */
int	obj_reserve(const struct obj *, uint64_t off, uint64_t len);

/*
 * Whether the bytes from off, in an attached object, are data or a hole
 * (never written), where the kind can tell without touching them (a POSIX
 * object: SEEK_DATA and SEEK_HOLE): *hole, and in *n how many bytes from
 * off, at most len, are the same.  Returns 0, or -1 when the kind cannot
 * tell (a System V segment: the caller asks mincore(2)).
 */
int	obj_data_run(const struct obj *, uint64_t off, uint64_t len,
	    bool *hole, uint64_t *n);

/*
 * Copies up to len bytes at off, in an attached object, into buf without
 * touching its mapping, where the kind can (a POSIX object: pread(2) on
 * its descriptor, which reads holes as zeros without allocating them and
 * stops short at the end of a file that shrank).  Returns the bytes
 * copied (0: the object ends before off), or -1 with errno: EOPNOTSUPP
 * when the kind cannot (a System V segment: the caller copies from the
 * mapping).
 */
ssize_t	obj_pread(const struct obj *, void *buf, size_t len, uint64_t off);

/* Detaches; a no-op for a segment that is not attached. */
int	obj_detach(struct obj *);

/*
 * Marks the segment for removal (IPC_RMID).  When processes are still
 * attached, says so on stderr (it goes when the last one detaches).
 */
int	obj_remove(const struct obj_info *);

/* Changes the nine permission bits (IPC_SET). */
int	obj_set_mode(const struct obj_info *, unsigned int mode);

/* Changes owner and group (IPC_SET); (uid_t)-1 or (gid_t)-1 keeps one. */
int	obj_set_owner(const struct obj_info *, uid_t, gid_t);

/*
 * Pins the segment's pages in memory (SHM_LOCK), or lets them be swapped
 * again (SHM_UNLOCK).  Needs CAP_IPC_LOCK, or to be its owner or creator
 * (and, to pin, an RLIMIT_MEMLOCK that holds it): otherwise exit 4 with
 * the limit, the amount and who may.
 */
int	obj_set_locked(const struct obj_info *, bool locked);

/*
 * The size of the pages backing the segment (the page size, or a huge
 * page size), into *bytes, from the smaps of a process that has it
 * attached.  Never attaches it: that would change its last attach and
 * detach times, its last pid and its attach count.  Costs a walk of /proc
 * when it is attached.  Prints nothing.  Returns 0, or -1 when it cannot
 * be known (no process has it attached, or none whose smaps the caller
 * may read).
 */
int	obj_page_size(const struct obj_info *, uint64_t *bytes);

/* Flags of obj_list(). */
#define OBJ_LIST_MEM	0x1	/* rss and swap are wanted */

/*
 * Reads every segment: by the shmctl(SHM_INFO, SHM_STAT_ANY) walk, or
 * /proc/sysvipc/shm when rss and swap are wanted (OBJ_LIST_MEM) or the walk
 * cannot see every segment; each falls back to the other.  SHM_PROC_SYSVIPC
 * in the environment names a file to read first instead of /proc/sysvipc/shm
 * (a missing one forces the walk).  *rows is malloc'd; free() it.
 */
int	obj_list(struct obj_info **rows, size_t *n, int flags);

/*
 * Reads the POSIX objects of the directory dir (NULL: /dev/shm; another
 * namespace's is /proc/PID/root/dev/shm): every regular file but the lock
 * files of shm lock and the semaphores of sem_open(3) ("sem.NAME"), with
 * nattch the processes that map or hold open each.  *rows is malloc'd;
 * free() it.
 */
int	obj_list_posix(const char *dir, struct obj_info **rows, size_t *n);

/* Reads the kernel's limits and the current use. */
int	obj_get_limits(struct obj_limits *);

/*
 * Whether the caller has capability cap (CAP_IPC_OWNER bypasses the mode
 * bits, CAP_SYS_ADMIN allows rm, chmod and chown of any segment), read from
 * /proc/self/status; false when that cannot be read.
 */
bool	obj_caller_has_cap(int cap);

/*
 * Puts the command-line options that name sel into buf, quoted for a shell
 * where needed ("--key 0x00000010", "--file 'my file' --proj 65",
 * "--id 5"), for hints.  Returns buf.
 */
char	*obj_sel_args(const struct obj_sel *, char *buf, size_t len);

/* What the caller may do with a segment, as shm stat reports it. */
enum obj_action {
	OBJ_ACT_READ,		/* attach read-only */
	OBJ_ACT_WRITE,		/* attach read-write */
	OBJ_ACT_REMOVE,		/* IPC_RMID */
	OBJ_ACT_CHANGE,		/* IPC_SET: chmod, chown */
	OBJ_ACT_COUNT,
};

struct obj_verdict {
	bool		 allowed;
	char		*reason;	/* "you are the owner", ...; malloc'd */
};

/*
 * Works out, as the kernel would, whether the caller may read, write,
 * remove and change the segment, from its mode bits, owner, creator and
 * groups and the caller's ids, groups and capabilities; each with the
 * reason in words, whole.  A security module may still refuse what this
 * allows.  Free the reasons with obj_free_verdicts().
 */
void	obj_access(const struct obj_info *,
	    struct obj_verdict v[OBJ_ACT_COUNT]);

/* Frees the reasons that obj_access() gave. */
void	obj_free_verdicts(struct obj_verdict v[OBJ_ACT_COUNT]);

/*
 * The caller for messages, whole: "nobody (uid 65534), groups nogroup,..."
 * (its effective group first, then every supplementary group, by name or
 * number).  malloc'd; free() it.
 */
char	*obj_caller_str(void);

/* A process that has a segment attached. */
struct obj_proc {
	pid_t		 pid;
	char		*command;	/* command line, or comm; malloc'd */
	unsigned int	 maps;		/* how many times it is mapped */
	unsigned int	 fds;		/* descriptors open on it (POSIX) */
};

/*
 * Finds the processes of the caller's IPC namespace that have the segment
 * attached, from the "/SYSV<key>" lines of /proc/PID/maps whose inode is the
 * shmid (the key in the name is the one at creation, so it cannot be
 * matched once the segment is marked for removal).  Processes whose maps
 * the caller may not read are not seen.  *procs is malloc'd; free it with
 * obj_free_procs().  Returns 0, or -1 when /proc cannot be read.
 */
int	obj_attached(const struct obj_info *, struct obj_proc **procs,
	    size_t *n);

/*
 * The command line of the process that created the object, while it runs:
 * its pid (cpid) must live in the caller's IPC namespace and have started
 * no later than the object's ctime (so that a reused pid is not taken for
 * it).  malloc'd; NULL when there is none.
 */
char	*obj_creator_command(const struct obj_info *);

/* Frees what obj_attached() returned. */
void	obj_free_procs(struct obj_proc *, size_t n);

/*
 * Prints the refusal of reading (readonly) or writing the segment, as an
 * attach refused by its mode bits is told (row 10 of the diagnoses), for
 * a caller that judged it with obj_access() without attaching.
 * Returns EXIT_SHM_PERM.
 */
int	obj_diag_access(const struct obj_sel *, const struct obj_info *,
	    bool readonly);

/*
 * The operations of one kind of shared memory, as the obj_* functions of
 * the same names describe them.  A kind that lacks one says so with a usage
 * error (exit 2) from its own function.
 */
struct obj_kind_ops {
	const char	*name;		/* "System V" */
	int	(*resolve)(struct obj_sel *);
	int	(*lookup)(struct obj_sel *, struct obj_info *, int flags);
	int	(*restat)(const struct obj_info *, struct obj_info *);
	int	(*create)(struct obj_sel *, const struct obj_create_req *,
		    struct obj_info *, bool *created);
	int	(*attach)(const struct obj_sel *, const struct obj_info *,
		    bool readonly, struct obj *);
	int	(*open)(struct obj_sel *, bool readonly, struct obj *);
	int	(*detach)(struct obj *);
	int	(*remove)(const struct obj_info *);
	int	(*may_remove)(const struct obj_info *);
	int	(*set_mode)(const struct obj_info *, unsigned int mode);
	int	(*set_owner)(const struct obj_info *, uid_t, gid_t);
	int	(*set_locked)(const struct obj_info *, bool locked);
	int	(*page_size)(const struct obj_info *, uint64_t *bytes);
	int	(*attached)(const struct obj_info *, struct obj_proc **,
		    size_t *);
	int	(*list)(struct obj_info **, size_t *, int flags);
	int	(*get_limits)(struct obj_limits *);
	int	(*reserve)(const struct obj *, uint64_t off, uint64_t len);
	int	(*data_run)(const struct obj *, uint64_t off, uint64_t len,
		    bool *hole, uint64_t *n);
	ssize_t	(*pread)(const struct obj *, void *buf, size_t len,
		    uint64_t off);
	const char *(*handle)(const struct obj_info *, char *buf, size_t len);
	const char *(*ident)(const struct obj_info *, char *buf, size_t len);
	const char *(*ref)(const struct obj_info *, char *buf, size_t len);
	int	(*fields)(const struct obj_info *, struct obj_field f[2]);
};

/* The System V kind (sysv.c). */
extern const struct obj_kind_ops sysv_ops;

/* The POSIX kind (posix.c). */
extern const struct obj_kind_ops posix_ops;

#endif
