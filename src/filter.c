/*
 * The filters of shm rm and shm ls: which segments are orphaned, owned by
 * a user, or unused for long enough.
 */
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>

#include "coord.h"
#include "filter.h"
#include "msg.h"
#include "parse.h"

struct poptOption filter_table[] = {
	{ "orphaned", '\0', POPT_ARG_NONE, NULL, OPT_FILTER_ORPHANED,
	  "only segments no process is attached to", NULL },
	{ "owner", '\0', POPT_ARG_STRING, NULL, OPT_FILTER_OWNER,
	  "only segments owned by USER (name or uid)", "USER" },
	{ "older-than", '\0', POPT_ARG_STRING, NULL, OPT_FILTER_OLDER,
	  "only segments with no process attached, unused and unchanged"
	  " for AGE (90s, 1.5h, 7d)", "AGE" },
	POPT_TABLEEND
};

int
filter_take(poptContext ctx, int val, struct seg_filter *f)
{
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_FILTER_ORPHANED:
		f->orphaned = true;
		break;
	case OPT_FILTER_OWNER:
		arg = poptGetOptArg(ctx);
		ret = opt_user("--owner", arg, &f->owner);
		f->by_owner = true;
		free(arg);
		break;
	case OPT_FILTER_OLDER:
		arg = poptGetOptArg(ctx);
		if (parse_duration(arg, &f->age_ns) != 0)
			ret = msg_usage("--older-than: invalid age '%s' (want"
			    " seconds, or a number and ms, s, m, h or d: 90s,"
			    " 1.5h, 7d)", arg);
		f->by_age = true;
		free(arg);
		break;
	default:
		return -1;
	}
	f->any = true;
	return ret;
}

const char *
filter_first_opt(const struct seg_filter *f)
{
	return f->orphaned ? "--orphaned" : f->by_owner ? "--owner" :
	    "--older-than";
}

static time_t
last_used(const struct obj_info *r)
{
	time_t t = r->ctime;

	if (r->atime > t)
		t = r->atime;
	if (r->dtime > t)
		t = r->dtime;
	return t;
}

static const char *
user_str(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw != NULL)
		snprintf(buf, len, "%s (uid %u)", pw->pw_name,
		    (unsigned int)uid);
	else
		snprintf(buf, len, "uid %u", (unsigned int)uid);
	return buf;
}

const char *
filter_mismatch(const struct obj_info *r, const struct seg_filter *f,
    time_t now, char *buf, size_t len)
{
	char u1[96], u2[96];
	time_t used = last_used(r);
	uint64_t age;

	/* Already marked for removal: there is nothing left to do. */
	if (r->mode & OBJ_MODE_DEST)
		return "it is already marked for removal";
	if (f->orphaned && r->nattch != 0) {
		if (buf == NULL)
			return "";
		snprintf(buf, len, "%" PRIu64 " process%s %s it attached",
		    r->nattch, r->nattch == 1 ? "" : "es",
		    r->nattch == 1 ? "has" : "have");
		return buf;
	}
	if (f->by_owner && r->uid != f->owner) {
		if (buf == NULL)
			return "";
		snprintf(buf, len, "its owner is %s, not %s",
		    user_str(r->uid, u1, sizeof(u1)),
		    user_str(f->owner, u2, sizeof(u2)));
		return buf;
	}
	if (!f->by_age)
		return NULL;
	/* Attached is in use, however long ago it was attached. */
	if (r->nattch != 0) {
		if (buf == NULL)
			return "";
		snprintf(buf, len, "it is in use: %" PRIu64 " process%s %s it"
		    " attached", r->nattch, r->nattch == 1 ? "" : "es",
		    r->nattch == 1 ? "has" : "have");
		return buf;
	}
	/* A time ahead of the clock (it was set back) is not old. */
	if (used > now)
		return "it was used or changed at a time ahead of the clock";
	age = (uint64_t)now - (uint64_t)used;
	if (age * 1000000000u < f->age_ns) {
		if (buf == NULL)
			return "";
		snprintf(buf, len, "it was used or changed %" PRIu64 "s ago,"
		    " less than %s", age, coord_duration_str(f->age_ns, u1,
		    sizeof(u1)));
		return buf;
	}
	return NULL;
}
