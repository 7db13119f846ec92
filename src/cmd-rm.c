/*
 * shm rm: remove segments named by selectors, or chosen by filters.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "object.h"
#include "filter.h"

enum {
	OPT_FORCE = OPT_FIRST_LOCAL,
	OPT_ALL,
	OPT_DRY_RUN,
};

static struct poptOption rm_options[] = {
	{ "force", 'F', POPT_ARG_NONE, NULL, OPT_FORCE,
	  "no error for a selector that names no segment", NULL },
	{ "all", '\0', POPT_ARG_NONE, NULL, OPT_ALL,
	  "every segment you may remove", NULL },
	{ "dry-run", '\0', POPT_ARG_NONE, NULL, OPT_DRY_RUN,
	  "print the ids that would go, remove nothing", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, rm_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_FILTERS,
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/*
 * The listing (SHM_PROC_SYSVIPC may name it) chooses the candidates; what
 * goes is decided on what the kernel says of each right before IPC_RMID:
 * one that has been attached since, or changed, stays, with a note.
 */
static int
rm_filtered(const struct seg_filter *f, bool dry_run)
{
	struct obj_info *rows, cur;
	size_t i, n, skipped = 0;
	uid_t me = geteuid();
	bool admin = obj_caller_has_cap(CAP_SYS_ADMIN);
	int rc, ret = EXIT_SHM_OK;
	char ids[128], why[256], what[128];
	const char *no;
	size_t o = 0;

	if ((rc = obj_list(&rows, &n, 0)) != EXIT_SHM_OK)
		return rc;
	ids[0] = '\0';
	for (i = 0; i < n; i++) {
		if (filter_mismatch(&rows[i], f, time(NULL), NULL, 0) != NULL)
			continue;
		if (obj_restat(&rows[i], &cur) != 0) {
			if (errno == EINVAL || errno == EIDRM)
				continue;	/* gone already */
			msg_note("skipped id %d: cannot read it from the"
			    " kernel: %s", rows[i].id, strerror(errno));
			ret = EXIT_SHM_FAIL;
			continue;
		}
		if ((no = filter_mismatch(&cur, f, time(NULL), why, sizeof(why))) !=
		    NULL) {
			msg_note("skipped %s: %s", obj_info_str(&cur, what,
			    sizeof(what)), no);
			continue;
		}
		if (!admin && cur.uid != me && cur.cuid != me) {
			if (skipped++ < 8 && o < sizeof(ids))
				o += (size_t)snprintf(ids + o, sizeof(ids) - o,
				    "%s%d", skipped > 1 ? ", " : "", cur.id);
			continue;
		}
		if (!dry_run && (rc = obj_remove(&cur)) != EXIT_SHM_OK) {
			if (ret == EXIT_SHM_OK)
				ret = rc;
			continue;
		}
		printf("%d\n", cur.id);
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
	struct obj_info info, cur;
	char handle[OBJ_NAME_MAX + 2];
	int i, rc, ret = EXIT_SHM_OK, missing = 0;

	for (i = 0; i < sels->n; i++) {
		rc = obj_lookup(&sels->sel[i], &info,
		    force ? OBJ_QUIET_MISSING : 0);
		if (rc == EXIT_SHM_NOENT && force)
			continue;
		/* What the kernel says now; IPC_RMID tells when it is gone. */
		if (rc == EXIT_SHM_OK && obj_restat(&info, &cur) == 0)
			info = cur;
		/* --dry-run lists what the removal would do, refusals too */
		if (rc == EXIT_SHM_OK && dry_run &&
		    (rc = obj_may_remove(&info)) == EXIT_SHM_OK)
			printf("%s\n", obj_info_handle(&info, handle,
			    sizeof(handle)));
		else if (rc == EXIT_SHM_OK && !dry_run)
			rc = obj_remove(&info);
		if (rc == EXIT_SHM_NOENT)
			missing++;
		else if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
	if (ret == EXIT_SHM_OK && missing > 0)
		ret = EXIT_SHM_NOENT;
	return ret;
}

/* The options other than the selectors. */
struct rm_opts {
	bool		 force;
	bool		 all;
	bool		 dry_run;
	bool		 by_filter;
	struct seg_filter filter;
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct rm_opts *o = data;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_ALL:
		o->all = o->by_filter = true;
		break;
	case OPT_DRY_RUN:
		o->dry_run = true;
		break;
	default:
		if ((ret = filter_take(ctx, val, &o->filter)) < 0)
			ret = EXIT_SHM_OK;
		else
			o->by_filter = true;
		break;
	}
	return ret;
}

int
cmd_rm(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct rm_opts o = { 0 };
	poptContext ctx;
	int ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR... [-F|--force]\n"
	    "  or:  shm rm --all|--orphaned [--owner=USER] [--older-than=AGE]"
	    " [--dry-run]");
	if (!opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS, &ret))
		goto out;
	if (o.by_filter && sels.n > 0) {
		ret = msg_usage("%s and %s: name segments, or filter them, not"
		    " both", sels.first_opt, o.all ? "--all" :
		    filter_first_opt(&o.filter));
		goto out;
	}
	if (o.by_filter && !o.all && !o.filter.orphaned) {
		/* Removing every segment of a user is a choice to spell out. */
		ret = msg_usage("%s narrows --all or --orphaned: give one of"
		    " them", o.filter.by_owner ? "--owner" : "--older-than");
		goto out;
	}
	if (o.by_filter) {
		if (o.force)
			ret = msg_usage("--force goes with selectors, not with"
			    " filters");
		else
			ret = rm_filtered(&o.filter, o.dry_run);
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK) {
		goto out;
	}
	ret = rm_selected(&sels, o.force, o.dry_run);
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
