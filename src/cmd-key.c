/*
 * shm key: print the key that ftok(3) derives from a file.
 */
#include <stdio.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

static struct poptOption options[] = {
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

int
cmd_key(int argc, const char **argv)
{
	struct obj_sel sel = { .kind = SEL_FILE, .proj = 1 };
	const char **args;
	char key[11];
	poptContext ctx;
	int n, ret;

	ctx = opt_context(argc, argv, options, "PATH [PROJ]");
	if (!opt_parse(ctx, NULL, NULL, NULL, 0, &ret))
		goto out;
	args = poptGetArgs(ctx);
	for (n = 0; args != NULL && args[n] != NULL; n++)
		;
	if (n == 0 || n > 2) {
		ret = msg_usage(n == 0 ? "a PATH is needed" :
		    "too many arguments: want PATH [PROJ]");
		goto out;
	}
	if (*args[0] == '\0') {
		ret = msg_usage("empty PATH");
		goto out;
	}
	sel.path = args[0];
	if (n == 2 && parse_proj(args[1], &sel.proj) != 0) {
		ret = msg_usage("invalid project id '%s' (want 1 to 255, or"
		    " one character)", args[1]);
		goto out;
	}
	if ((ret = obj_resolve(&sel)) == EXIT_SHM_OK)
		printf("%s\n", obj_key_str(sel.key, key));
out:
	poptFreeContext(ctx);
	return ret;
}
