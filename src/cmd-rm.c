/*
 * shm rm: remove segments named by selectors, or chosen by filters.
 */
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "output.h"
#include "parse.h"
#include "segment.h"

enum {
	OPT_FORCE = OPT_FIRST_LOCAL,
	OPT_ALL,
	OPT_ORPHANED,
	OPT_OWNER,
	OPT_OLDER,
	OPT_DRY_RUN,
};

static struct poptOption rm_options[] = {
	{ "force", 'F', POPT_ARG_NONE, NULL, OPT_FORCE,
	  "no error for a selector that names no segment", NULL },
	{ "all", '\0', POPT_ARG_NONE, NULL, OPT_ALL,
	  "every segment you may remove", NULL },
	{ "orphaned", '\0', POPT_ARG_NONE, NULL, OPT_ORPHANED,
	  "only segments no process is attached to", NULL },
	{ "owner", '\0', POPT_ARG_STRING, NULL, OPT_OWNER,
	  "only segments owned by USER (name or uid)", "USER" },
	{ "older-than", '\0', POPT_ARG_STRING, NULL, OPT_OLDER,
	  "only segments unused for AGE (90s, 10m, 2h, 7d)", "AGE" },
	{ "dry-run", '\0', POPT_ARG_NONE, NULL, OPT_DRY_RUN,
	  "print the ids that would go, remove nothing", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, rm_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

struct rm_filter {
	bool		 orphaned;
	bool		 by_owner;
	uid_t		 owner;
	bool		 by_age;
	uint64_t	 age;
};

static time_t
last_used(const struct seg_info *r)
{
	time_t t = r->ctime;

	if (r->atime > t)
		t = r->atime;
	if (r->dtime > t)
		t = r->dtime;
	return t;
}

static bool
matches(const struct seg_info *r, const struct rm_filter *f, time_t now)
{
	time_t used = last_used(r);

	/* Already marked for removal: there is nothing left to do. */
	if (r->mode & SEG_MODE_DEST)
		return false;
	if (f->orphaned && r->nattch != 0)
		return false;
	if (f->by_owner && r->uid != f->owner)
		return false;
	/* A time ahead of the clock (it was set back) is not old. */
	if (f->by_age && (used > now || (uint64_t)(now - used) < f->age))
		return false;
	return true;
}

static int
rm_filtered(const struct rm_filter *f, bool dry_run)
{
	struct seg_info *rows;
	size_t i, n, skipped = 0;
	uid_t me = geteuid();
	bool admin = seg_caller_has_cap(CAP_SYS_ADMIN);
	time_t now = time(NULL);
	int rc, ret = EXIT_SHM_OK;
	char ids[128];
	size_t o = 0;

	if ((rc = seg_list(&rows, &n)) != EXIT_SHM_OK)
		return rc;
	ids[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!matches(&rows[i], f, now))
			continue;
		if (!admin && rows[i].uid != me && rows[i].cuid != me) {
			if (skipped++ < 8 && o < sizeof(ids))
				o += (size_t)snprintf(ids + o, sizeof(ids) - o,
				    "%s%d", skipped > 1 ? ", " : "",
				    rows[i].id);
			continue;
		}
		if (!dry_run && (rc = seg_remove(&rows[i])) != EXIT_SHM_OK) {
			if (ret == EXIT_SHM_OK)
				ret = rc;
			continue;
		}
		printf("%d\n", rows[i].id);
	}
	if (skipped > 0)
		msg_note("skipped %zu segment%s of other users that you may not"
		    " remove (id%s %s%s)", skipped, skipped == 1 ? "" : "s",
		    skipped == 1 ? "" : "s", ids, skipped > 8 ? ", ..." : "");
	free(rows);
	return ret;
}

static int
rm_selected(struct opt_selectors *sels, bool force, bool dry_run)
{
	struct seg_info info;
	int i, rc, ret = EXIT_SHM_OK, missing = 0;

	for (i = 0; i < sels->n; i++) {
		rc = seg_lookup(&sels->sel[i], &info,
		    force ? SEG_QUIET_MISSING : 0);
		if (rc == EXIT_SHM_NOENT && force)
			continue;
		if (rc == EXIT_SHM_OK && dry_run)
			printf("%d\n", info.id);
		else if (rc == EXIT_SHM_OK)
			rc = seg_remove(&info);
		if (rc == EXIT_SHM_NOENT)
			missing++;
		else if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
	if (ret == EXIT_SHM_OK && missing > 0)
		ret = EXIT_SHM_NOENT;
	return ret;
}

int
cmd_rm(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct rm_filter filter = { 0 };
	bool force = false, all = false, dry_run = false, by_filter = false;
	poptContext ctx;
	char *arg;
	int rc, ret = EXIT_SHM_OK;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR... [-F|--force]\n"
	    "  or:  shm rm --all|--orphaned [--owner=USER] [--older-than=AGE]"
	    " [--dry-run]");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if ((ret = opt_take_selector(ctx, rc, &sels)) == 1) {
			ret = EXIT_SHM_OK;
			continue;
		}
		if (ret != EXIT_SHM_OK)
			goto out;
		switch (rc) {
		case OPT_HELP:
			ret = opt_help(ctx);
			goto out;
		case OPT_FORCE:
			force = true;
			break;
		case OPT_ALL:
			all = by_filter = true;
			break;
		case OPT_ORPHANED:
			filter.orphaned = by_filter = true;
			break;
		case OPT_OWNER:
			arg = poptGetOptArg(ctx);
			ret = opt_user("--owner", arg, &filter.owner);
			filter.by_owner = by_filter = true;
			free(arg);
			break;
		case OPT_OLDER:
			arg = poptGetOptArg(ctx);
			if (parse_age(arg, &filter.age) != 0)
				ret = msg_usage("--older-than: invalid age '%s'"
				    " (want seconds, or a number and s, m, h or"
				    " d: 90s, 10m, 2h, 7d)", arg);
			filter.by_age = by_filter = true;
			free(arg);
			break;
		case OPT_DRY_RUN:
			dry_run = true;
			break;
		}
		if (ret != EXIT_SHM_OK)
			goto out;
	}
	if (rc < -1) {
		ret = opt_error(ctx, rc);
		goto out;
	}
	if (poptPeekArg(ctx) != NULL) {
		ret = msg_usage("unexpected argument '%s'", poptPeekArg(ctx));
		goto out;
	}
	if (by_filter && sels.n > 0) {
		ret = msg_usage("%s and %s: name segments, or filter them, not"
		    " both", sels.first_opt, all ? "--all" : filter.orphaned ?
		    "--orphaned" : filter.by_owner ? "--owner" :
		    "--older-than");
		goto out;
	}
	if (by_filter && !all && !filter.orphaned) {
		/* Removing every segment of a user is a choice to spell out. */
		ret = msg_usage("%s narrows --all or --orphaned: give one of"
		    " them", filter.by_owner ? "--owner" : "--older-than");
		goto out;
	}
	if (by_filter) {
		if (force)
			ret = msg_usage("--force goes with selectors, not with"
			    " filters");
		else
			ret = rm_filtered(&filter, dry_run);
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK) {
		goto out;
	}
	ret = rm_selected(&sels, force, dry_run);
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
