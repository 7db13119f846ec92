/*
 * What the caller may do with a segment, decided once, as the kernel's
 * ipcperms() and IPC_RMID/IPC_SET decide it.  Facts only: the words are the
 * business of diagnose.c and shm stat.
 */
#ifndef SHM_ACCESS_H
#define SHM_ACCESS_H

#include <stdbool.h>
#include <sys/types.h>

/* Whose the object is, and its mode. */
struct access_subject {
	uid_t		 uid, cuid;	/* owner, creator */
	gid_t		 gid, cgid;	/* group, creator's group */
	unsigned int	 mode;		/* the nine permission bits (more are
					   ignored) */
};

/* Which class of the mode applies to the caller. */
enum access_class {
	ACC_OWNER,		/* the caller is the owner */
	ACC_CREATOR,		/* the creator, not the owner */
	ACC_GROUP,		/* in the group or the creator's group */
	ACC_OTHERS,
};

/* The decision, with the facts it rests on. */
struct access_facts {
	enum access_class cls;
	gid_t		 group;		/* ACC_GROUP: the group matched */
	unsigned int	 bits;		/* rwx of that class, 0 to 7 */
	bool		 ipc_owner;	/* CAP_IPC_OWNER overrides the bits */
	bool		 sys_admin;	/* CAP_SYS_ADMIN: remove and change */
	bool		 read;		/* may attach read-only */
	bool		 write;		/* may attach read-write (needs r) */
	bool		 change;	/* may remove, chmod, chown */
	unsigned int	 lack_read;	/* bits missing for read: 0 or 4 */
	unsigned int	 lack_write;	/* for write: 0, 2, 4 or 6 */
};

/*
 * Decides, from the subject and the caller's ids, groups and capabilities.
 * A security module may still refuse what this allows.  Never fails: groups
 * that cannot be read count as none.
 */
void	access_decide(const struct access_subject *, struct access_facts *);

/*
 * The caller's supplementary groups, as many as it has, on the heap; free()
 * it.  *n is 0 (and NULL returned) when they cannot be read.
 */
gid_t	*access_groups(int *n);

#endif
