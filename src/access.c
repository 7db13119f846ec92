/*
 * The one owner/group/other decision: which class of the mode bits applies
 * to the caller, and what it may do.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <unistd.h>

#include "access.h"
#include "msg.h"
#include "names.h"
#include "procs.h"

gid_t *
access_groups(int *n)
{
	gid_t *v;
	int cap;

	for (;;) {
		if ((cap = getgroups(0, NULL)) < 0)
			cap = 0;
		if ((v = calloc((size_t)cap + 1, sizeof(*v))) == NULL) {
			msg_error(EXIT_SHM_FAIL, "out of memory");
			exit(EXIT_SHM_FAIL);
		}
		if ((*n = getgroups(cap, v)) >= 0)
			return v;
		free(v);
		if (errno != EINVAL) {
			*n = 0;
			return NULL;
		}
		/* the list grew between the two calls: ask again */
	}
}

/* Whether the caller is in gid: its effective group or a supplementary. */
static bool
in_group(gid_t gid, const gid_t *groups, int n)
{
	int i;

	if (getegid() == gid)
		return true;
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

void
access_decide(const struct access_subject *s, struct access_facts *f)
{
	unsigned int m = s->mode & 0777;
	uid_t euid = geteuid();
	gid_t *groups;
	int n;

	groups = access_groups(&n);
	f->group = s->gid;
	if (euid == s->uid) {
		f->cls = ACC_OWNER;
		f->bits = m >> 6;
	} else if (euid == s->cuid) {
		f->cls = ACC_CREATOR;
		f->bits = m >> 6;
	} else if (in_group(s->gid, groups, n) ||
	    in_group(s->cgid, groups, n)) {
		f->cls = ACC_GROUP;
		if (!in_group(s->gid, groups, n))
			f->group = s->cgid;
		f->bits = m >> 3 & 7;
	} else {
		f->cls = ACC_OTHERS;
		f->bits = m & 7;
	}
	free(groups);
	f->ipc_owner = proc_has_cap(CAP_IPC_OWNER);
	f->sys_admin = proc_has_cap(CAP_SYS_ADMIN);
	/* attaching to write needs read as well */
	f->lack_read = 4 & ~f->bits;
	f->lack_write = 6 & ~f->bits;
	f->read = f->lack_read == 0 || f->ipc_owner;
	f->write = f->lack_write == 0 || f->ipc_owner;
	f->change = f->cls == ACC_OWNER || f->cls == ACC_CREATOR ||
	    f->sys_admin;
}
