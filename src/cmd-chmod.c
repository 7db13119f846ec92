/*
 * shm chmod: change the permission bits of segments (shmctl IPC_SET).
 */
#include <stdio.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

int
cmd_chmod(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct obj_info info;
	unsigned int mode;
	const char *arg;
	poptContext ctx;
	int i, rc, ret;

	ctx = opt_context(argc, argv, options, "MODE SELECTOR...");
	if (!opt_parse(ctx, &sels, NULL, NULL, 0, &ret))
		goto out;
	ret = opt_one_operand(ctx, "a MODE is needed (octal, 0 to 0777)", &arg);
	if (ret != EXIT_SHM_OK)
		goto out;
	if (parse_mode(arg, &mode) != 0) {
		ret = msg_usage("invalid mode '%s' (want octal, 0 to 0777)",
		    arg);
		goto out;
	}
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK)
		goto out;
	/* Each in turn; the first failure gives the exit status. */
	for (i = 0; i < sels.n; i++) {
		rc = obj_lookup(&sels.sel[i], &info, 0);
		if (rc == EXIT_SHM_OK)
			rc = obj_set_mode(&info, mode);
		if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
