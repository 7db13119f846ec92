/*
 * The object API: each operation goes to the table of the object's kind;
 * and describing what the user named and what was found, for messages and
 * for the options that hints repeat.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <unistd.h>

#include "object.h"
#include "msg.h"
#include "names.h"
#include "posixlist.h"
#include "procs.h"
#include "ns.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22	/* Linux 5.14 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif

/* Below this, faulting pages one by one costs less than the madvise(2). */
#define PREFAULT_MIN	(1U << 20)

static const struct obj_kind_ops *const kinds[OBJ_KIND_COUNT] = {
	[OBJ_SYSV] = &sysv_ops,
	[OBJ_POSIX] = &posix_ops,
};

/* The kind that a selector names. */
static const struct obj_kind_ops *
sel_ops(const struct obj_sel *sel)
{
	return kinds[sel->kind == SEL_POSIX ? OBJ_POSIX : OBJ_SYSV];
}

/* The kind of an object found. */
static const struct obj_kind_ops *
info_ops(const struct obj_info *info)
{
	return kinds[info->kind < OBJ_KIND_COUNT ? info->kind : OBJ_SYSV];
}

int
obj_resolve(struct obj_sel *sel)
{
	return sel_ops(sel)->resolve(sel);
}

int
obj_lookup(struct obj_sel *sel, struct obj_info *info, int flags)
{
	return sel_ops(sel)->lookup(sel, info, flags);
}

int
obj_restat(const struct obj_info *which, struct obj_info *now)
{
	return info_ops(which)->restat(which, now);
}

int
obj_create(struct obj_sel *sel, const struct obj_create_req *req,
    struct obj_info *info, bool *created)
{
	return sel_ops(sel)->create(sel, req, info, created);
}

int
obj_attach(const struct obj_sel *sel, const struct obj_info *info,
    bool readonly, struct obj *o)
{
	return info_ops(info)->attach(sel, info, readonly, o);
}

int
obj_open(struct obj_sel *sel, bool readonly, struct obj *o)
{
	return sel_ops(sel)->open(sel, readonly, o);
}

int
obj_detach(struct obj *o)
{
	return info_ops(&o->info)->detach(o);
}

int
obj_remove(const struct obj_info *info)
{
	return info_ops(info)->remove(info);
}

int
obj_may_remove(const struct obj_info *info)
{
	return info_ops(info)->may_remove(info);
}

int
obj_set_mode(const struct obj_info *info, unsigned int mode)
{
	return info_ops(info)->set_mode(info, mode);
}

int
obj_set_owner(const struct obj_info *info, uid_t uid, gid_t gid)
{
	return info_ops(info)->set_owner(info, uid, gid);
}

int
obj_attached(const struct obj_info *info, struct obj_proc **procs,
    size_t *n)
{
	return info_ops(info)->attached(info, procs, n);
}

int
obj_list(struct obj_info **rows, size_t *n, int flags)
{
	return kinds[OBJ_SYSV]->list(rows, n, flags);
}

int
obj_reserve(const struct obj *o, uint64_t off, uint64_t len)
{
	return info_ops(&o->info)->reserve(o, off, len);
}

int
obj_data_run(const struct obj *o, uint64_t off, uint64_t len, bool *hole,
    uint64_t *n)
{
	return info_ops(&o->info)->data_run(o, off, len, hole, n);
}

ssize_t
obj_pread(const struct obj *o, void *buf, size_t len, uint64_t off)
{
	return info_ops(&o->info)->pread(o, buf, len, off);
}

const char *
obj_info_handle(const struct obj_info *info, char *buf, size_t len)
{
	return info_ops(info)->handle(info, buf, len);
}

const char *
obj_info_ref(const struct obj_info *info, char *buf, size_t len)
{
	return info_ops(info)->ref(info, buf, len);
}

const char *
obj_info_ident(const struct obj_info *info, char *buf, size_t len)
{
	return info_ops(info)->ident(info, buf, len);
}

int
obj_info_fields(const struct obj_info *info, struct obj_field f[2])
{
	return info_ops(info)->fields(info, f);
}

int
obj_list_posix(const char *dir, struct obj_info **rows, size_t *n)
{
	return posixlist_list(dir, rows, n);
}

int
obj_get_limits(struct obj_limits *l)
{
	return kinds[OBJ_SYSV]->get_limits(l);
}

char *
obj_key_str(key_t key, char buf[11])
{
	snprintf(buf, 11, "0x%08x", (unsigned int)(uint32_t)key);
	return buf;
}

/* Quotes s for a shell when it holds anything but plain characters. */
char *
obj_shell_quote(const char *s)
{
	size_t n = 2;
	const char *p;
	char *q, *o;

	if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./,:@+=%") == strlen(s))
		return xstrf("%s", s);
	for (p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	if ((q = malloc(n + 1)) == NULL)
		return xstrf("''");	/* ends the program: out of memory */
	o = q;
	*o++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* What obj_sel_str() describes, whole; free() it. */
char *
obj_sel_text(const struct obj_sel *sel)
{
	char k[11];

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("key %s", obj_key_str(sel->key, k));
	case SEL_FILE:
		if (sel->resolved)
			return xstrf("key %s (ftok of '%s', proj %d)",
			    obj_key_str(sel->key, k), sel->path, sel->proj);
		return xstrf("ftok of '%s', proj %d", sel->path, sel->proj);
	case SEL_ID:
		return xstrf("id %d", sel->id);
	case SEL_POSIX:
		return xstrf("POSIX object /%s", sel->name);
	default:
		return xstrf("a private segment");
	}
}

/* The options of obj_sel_args(), whole; free() it. */
char *
obj_sel_opts(const struct obj_sel *sel)
{
	char k[11], *q, *r;

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("--key %s", obj_key_str(sel->key, k));
	case SEL_FILE:
		q = obj_shell_quote(sel->path);
		if (sel->proj == 1)
			r = xstrf("--file %s", q);
		else
			r = xstrf("--file %s --proj %d", q, sel->proj);
		free(q);
		return r;
	case SEL_ID:
		return xstrf("--id %d", sel->id);
	case SEL_POSIX:
		q = obj_shell_quote(sel->name);
		r = xstrf("--posix %s", q);
		free(q);
		return r;
	default:
		return xstrf("--private");
	}
}

const char *
obj_sel_str(const struct obj_sel *sel, char *buf, size_t len)
{
	char *t = obj_sel_text(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

char *
obj_sel_args(const struct obj_sel *sel, char *buf, size_t len)
{
	char *t = obj_sel_opts(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

/* The options that name a segment found, for hints; free() it. */
char *
obj_info_opts(const struct obj_sel *sel, const struct obj_info *info)
{
	struct obj_sel named = { .kind = SEL_POSIX, .name = info->name };

	if (sel != NULL && sel->kind != SEL_PRIVATE)
		return obj_sel_opts(sel);
	if (info->kind == OBJ_POSIX)
		return obj_sel_opts(&named);
	return xstrf("--id %d", info->id);
}

/* What obj_info_sel_str() describes, whole; free() it. */
char *
obj_info_text(const struct obj_sel *sel, const struct obj_info *info)
{
	char k[11], *s, *r;

	if (info->kind == OBJ_POSIX)
		return xstrf("POSIX object /%s", info->name);
	if (sel != NULL && sel->kind == SEL_FILE) {
		s = obj_sel_text(sel);
		r = xstrf("%s, id %d", s, info->id);
		free(s);
		return r;
	}
	if (info->key != IPC_PRIVATE)
		return xstrf("key %s (id %d)", obj_key_str(info->key, k),
		    info->id);
	return xstrf("id %d", info->id);
}

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
const char *
obj_info_sel_str(const struct obj_sel *sel, const struct obj_info *info, char *buf,
    size_t len)
{
	char *t = obj_info_text(sel, info);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

const char *
obj_info_str(const struct obj_info *info, char *buf, size_t len)
{
	return obj_info_sel_str(NULL, info, buf, len);
}

/*
 * The name of a user, whole (from the cache of output.c), or the number in
 * buf when the user has none.
 */
const char *
obj_user_name(uid_t uid, char *buf, size_t len)
{
	const char *name = uid_name(uid);

	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

/* The name of a group, whole, or the number in buf. */
const char *
obj_group_name(gid_t gid, char *buf, size_t len)
{
	const char *name = gid_name(gid);

	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", (unsigned int)gid);
	return buf;
}

void
obj_prefault(const void *addr, size_t len, bool for_write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(page - 1);

	if (len < PREFAULT_MIN)
		return;
	(void)madvise((void *)start, (uintptr_t)addr + len - start,
	    for_write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

int
obj_set_locked(const struct obj_info *info, bool locked)
{
	return info_ops(info)->set_locked(info, locked);
}

int
obj_page_size(const struct obj_info *info, uint64_t *bytes)
{
	return info_ops(info)->page_size(info, bytes);
}

void
obj_free_procs(struct obj_proc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].command);
	free(v);
}

bool
obj_caller_has_cap(int cap)
{
	return proc_has_cap(cap);
}

char *
obj_creator_command(const struct obj_info *r)
{
	char *buf = NULL, *cmd;
	size_t cap = 0;

	if (r->cpid <= 0 || !ns_pid_is_creator(r->cpid, ns_current(),
	    r->ctime))
		return NULL;
	cmd = proc_command(r->cpid, &buf, &cap);
	free(buf);
	return cmd;
}
