/*
 * Describing what the user named and what was found, for messages and for
 * the options that hints repeat.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "output.h"
#include "segment.h"

char *
seg_key_str(key_t key, char buf[11])
{
	snprintf(buf, 11, "0x%08x", (unsigned int)(uint32_t)key);
	return buf;
}

/* Quotes s for a shell when it holds anything but plain characters. */
char *
seg_shell_quote(const char *s)
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

/* What seg_sel_str() describes, whole; free() it. */
char *
seg_sel_text(const struct seg_sel *sel)
{
	char k[11];

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("key %s", seg_key_str(sel->key, k));
	case SEL_FILE:
		if (sel->resolved)
			return xstrf("key %s (ftok of '%s', proj %d)",
			    seg_key_str(sel->key, k), sel->path, sel->proj);
		return xstrf("ftok of '%s', proj %d", sel->path, sel->proj);
	case SEL_ID:
		return xstrf("id %d", sel->id);
	default:
		return xstrf("a private segment");
	}
}

/* The options of seg_sel_args(), whole; free() it. */
char *
seg_sel_opts(const struct seg_sel *sel)
{
	char k[11], *q, *r;

	switch (sel->kind) {
	case SEL_KEY:
		return xstrf("--key %s", seg_key_str(sel->key, k));
	case SEL_FILE:
		q = seg_shell_quote(sel->path);
		if (sel->proj == 1)
			r = xstrf("--file %s", q);
		else
			r = xstrf("--file %s --proj %d", q, sel->proj);
		free(q);
		return r;
	case SEL_ID:
		return xstrf("--id %d", sel->id);
	default:
		return xstrf("--private");
	}
}

const char *
seg_sel_str(const struct seg_sel *sel, char *buf, size_t len)
{
	char *t = seg_sel_text(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

char *
seg_sel_args(const struct seg_sel *sel, char *buf, size_t len)
{
	char *t = seg_sel_opts(sel);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

/* The options that name a segment found, for hints; free() it. */
char *
seg_info_opts(const struct seg_sel *sel, const struct seg_info *info)
{
	if (sel != NULL && sel->kind != SEL_PRIVATE)
		return seg_sel_opts(sel);
	return xstrf("--id %d", info->id);
}

/* What seg_info_sel_str() describes, whole; free() it. */
char *
seg_info_text(const struct seg_sel *sel, const struct seg_info *info)
{
	char k[11], *s, *r;

	if (sel != NULL && sel->kind == SEL_FILE) {
		s = seg_sel_text(sel);
		r = xstrf("%s, id %d", s, info->id);
		free(s);
		return r;
	}
	if (info->key != IPC_PRIVATE)
		return xstrf("key %s (id %d)", seg_key_str(info->key, k),
		    info->id);
	return xstrf("id %d", info->id);
}

/* Describes a segment found: "key 0x00000010 (id 5)", or "id 5". */
const char *
seg_info_sel_str(const struct seg_sel *sel, const struct seg_info *info, char *buf,
    size_t len)
{
	char *t = seg_info_text(sel, info);

	snprintf(buf, len, "%s", t);
	free(t);
	return buf;
}

const char *
seg_info_str(const struct seg_info *info, char *buf, size_t len)
{
	return seg_info_sel_str(NULL, info, buf, len);
}

/*
 * The name of a user, whole (from the cache of output.c), or the number in
 * buf when the user has none.
 */
const char *
seg_user_name(uid_t uid, char *buf, size_t len)
{
	const char *name = uid_name(uid);

	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

/* The name of a group, whole, or the number in buf. */
const char *
seg_group_name(gid_t gid, char *buf, size_t len)
{
	const char *name = gid_name(gid);

	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", (unsigned int)gid);
	return buf;
}
