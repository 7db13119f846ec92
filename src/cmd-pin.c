/*
 * shm pin, shm unpin: keep a segment's pages in memory (SHM_LOCK), or let
 * them be swapped again (SHM_UNLOCK).
 */
#include <stdbool.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "object.h"

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR_SYSV,
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/* Pins (locked) or unpins each segment named, in order. */
static int
pin_each(int argc, const char **argv, bool locked)
{
	struct opt_selectors sels = { 0 };
	struct obj_info info;
	poptContext ctx;
	int i, rc, ret;

	ctx = opt_context(argc, argv, options, "SELECTOR...");
	if (!opt_parse(ctx, &sels, NULL, NULL, OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK)
		goto out;
	/* Each in turn; the first failure gives the exit status. */
	for (i = 0; i < sels.n; i++) {
		rc = obj_lookup(&sels.sel[i], &info, 0);
		if (rc == EXIT_SHM_OK)
			rc = obj_set_locked(&info, locked);
		if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}

int
cmd_pin(int argc, const char **argv)
{
	return pin_each(argc, argv, true);
}

int
cmd_unpin(int argc, const char **argv)
{
	return pin_each(argc, argv, false);
}
