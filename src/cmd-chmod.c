/*
 * shm chmod: change the permission bits of segments (shmctl IPC_SET).
 */
#include <stdio.h>

#include "commands.h"
#include "options.h"
#include "output.h"
#include "parse.h"
#include "segment.h"

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

int
cmd_chmod(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct seg_info info;
	unsigned int mode;
	const char **args;
	poptContext ctx;
	int i, n, rc, ret = EXIT_SHM_OK;

	ctx = opt_context(argc, argv, options, "MODE SELECTOR...");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if ((ret = opt_take_selector(ctx, rc, &sels)) == 1) {
			ret = EXIT_SHM_OK;
			continue;
		}
		if (ret != EXIT_SHM_OK)
			goto out;
		if (rc == OPT_HELP) {
			ret = opt_help(ctx);
			goto out;
		}
	}
	if (rc < -1) {
		ret = opt_error(ctx, rc);
		goto out;
	}
	args = poptGetArgs(ctx);
	for (n = 0; args != NULL && args[n] != NULL; n++)
		;
	if (n == 0) {
		ret = msg_usage("a MODE is needed (octal, 0 to 0777)");
		goto out;
	}
	if (n > 1) {
		ret = msg_usage("unexpected argument '%s': name segments with"
		    " --key, --file or --id", args[1]);
		goto out;
	}
	if (parse_mode(args[0], &mode) != 0) {
		ret = msg_usage("invalid mode '%s' (want octal, 0 to 0777)",
		    args[0]);
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK)
		goto out;
	/* Each in turn; the first failure gives the exit status. */
	for (i = 0; i < sels.n; i++) {
		rc = seg_lookup(&sels.sel[i], &info, 0);
		if (rc == EXIT_SHM_OK)
			rc = seg_set_mode(&info, mode);
		if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
