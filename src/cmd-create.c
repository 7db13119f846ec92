/*
 * shm create: make a segment, or open an existing one, and print its id.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "options.h"
#include "output.h"
#include "parse.h"
#include "segment.h"

enum {
	OPT_SIZE = OPT_FIRST_LOCAL,
	OPT_MODE,
	OPT_EXCLUSIVE,
	OPT_JSON,
};

static struct poptOption create_options[] = {
	{ "size", 's', POPT_ARG_STRING, NULL, OPT_SIZE,
	  "size in bytes, with K, M, G...; needed to create", "SIZE" },
	{ "mode", 'm', POPT_ARG_STRING, NULL, OPT_MODE,
	  "permission bits in octal (default 0600)", "MODE" },
	{ "exclusive", 'x', POPT_ARG_NONE, NULL, OPT_EXCLUSIVE,
	  "fail (exit 5) if the segment exists", NULL },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "print a JSON object instead of the id", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR_PRIVATE,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, create_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

int
cmd_create(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct seg_info info;
	uint64_t size = 0;
	unsigned int mode = 0600;
	bool exclusive = false, json = false, created;
	char *arg, key[11];
	poptContext ctx;
	int rc, ret = EXIT_SHM_OK;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-s SIZE] [-m MODE] [-x|--exclusive] [--json]");
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
		case OPT_SIZE:
			arg = poptGetOptArg(ctx);
			ret = opt_size("--size", arg, &size);
			if (ret == EXIT_SHM_OK && size == 0)
				ret = msg_usage("--size: a segment has at least"
				    " 1 byte");
			free(arg);
			break;
		case OPT_MODE:
			arg = poptGetOptArg(ctx);
			if (parse_mode(arg, &mode) != 0)
				ret = msg_usage("--mode: invalid mode '%s'"
				    " (want octal, 0 to 0777)", arg);
			free(arg);
			break;
		case OPT_EXCLUSIVE:
			exclusive = true;
			break;
		case OPT_JSON:
			json = true;
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
	if ((ret = opt_check_selectors(&sels, SELS_PRIVATE)) != EXIT_SHM_OK)
		goto out;
	if (sels.sel[0].kind == SEL_PRIVATE && size == 0) {
		ret = msg_usage("--private makes a new segment: give its"
		    " --size");
		goto out;
	}
	ret = seg_create(&sels.sel[0], size, mode, exclusive, &info,
	    &created);
	if (ret != EXIT_SHM_OK)
		goto out;
	if (json)
		printf("{\"id\":%d,\"key\":\"%s\",\"size\":%" PRIu64 ","
		    "\"mode\":\"%04o\",\"created\":%s}\n", info.id,
		    seg_key_str(info.key, key), info.size, info.mode & 0777,
		    created ? "true" : "false");
	else
		printf("%d\n", info.id);
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
