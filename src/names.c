/*
 * The names of users and groups, each looked up once.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "names.h"

/* Names of users and groups. */

struct name_cache {
	struct {
		unsigned int	 id;
		char		*name;		/* NULL: the id has none */
	}		*v;
	size_t		 n, cap;
	size_t		 last;
};

static struct name_cache user_names, group_names;

/* The entry for id, or NULL when it is not cached yet. */
static char **
cache_find(struct name_cache *c, unsigned int id)
{
	size_t i;

	if (c->last < c->n && c->v[c->last].id == id)
		return &c->v[c->last].name;
	for (i = 0; i < c->n; i++)
		if (c->v[i].id == id) {
			c->last = i;
			return &c->v[i].name;
		}
	return NULL;
}

static const char *
cache_add(struct name_cache *c, unsigned int id, const char *name)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n].id = id;
	c->v[c->n].name = NULL;
	if (name != NULL)
		c->v[c->n].name = xstrdup(name);
	c->last = c->n;
	return c->v[c->n++].name;
}

const char *
uid_name(uid_t uid)
{
	struct passwd *pw;
	char **p;

	if ((p = cache_find(&user_names, (unsigned int)uid)) != NULL)
		return *p;
	pw = getpwuid(uid);
	return cache_add(&user_names, (unsigned int)uid,
	    pw != NULL ? pw->pw_name : NULL);
}

const char *
gid_name(gid_t gid)
{
	struct group *gr;
	char **p;

	if ((p = cache_find(&group_names, (unsigned int)gid)) != NULL)
		return *p;
	gr = getgrgid(gid);
	return cache_add(&group_names, (unsigned int)gid,
	    gr != NULL ? gr->gr_name : NULL);
}
