/*
 * shm create: make a segment, or open an existing one, and print its id.
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "hugepages.h"
#include "options.h"
#include "msg.h"
#include "table.h"
#include "parse.h"
#include "object.h"

enum {
	OPT_SIZE = OPT_FIRST_LOCAL,
	OPT_MODE,
	OPT_EXCLUSIVE,
	OPT_HUGETLB,
	OPT_NORESERVE,
	OPT_JSON,
};

static struct poptOption create_options[] = {
	{ "size", 's', POPT_ARG_STRING, NULL, OPT_SIZE,
	  "size in bytes, with K, M, G...; needed to create", "SIZE" },
	{ "mode", 'm', POPT_ARG_STRING, NULL, OPT_MODE,
	  "permission bits in octal (default 0600)", "MODE" },
	{ "exclusive", 'x', POPT_ARG_NONE, NULL, OPT_EXCLUSIVE,
	  "fail (exit 5) if the segment exists", NULL },
	{ "hugetlb", '\0', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
	  OPT_HUGETLB, "back it with huge pages (of PAGESIZE: 2M, 1G)",
	  "PAGESIZE" },
	{ "noreserve", '\0', POPT_ARG_NONE, NULL, OPT_NORESERVE,
	  "reserve no swap for it (SHM_NORESERVE)", NULL },
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

/* The options other than the selector. */
struct create_opts {
	uint64_t	 size;
	unsigned int	 mode;
	bool		 mode_given;
	bool		 exclusive;
	uint64_t	 huge_page;	/* as struct obj_create_req has it */
	bool		 noreserve;
	bool		 json;
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct create_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_SIZE:
		arg = poptGetOptArg(ctx);
		ret = opt_size("--size", arg, &o->size);
		if (ret == EXIT_SHM_OK && o->size == 0)
			ret = msg_usage("--size: a segment has at least 1"
			    " byte");
		free(arg);
		break;
	case OPT_MODE:
		arg = poptGetOptArg(ctx);
		if (parse_mode(arg, &o->mode) != 0)
			ret = msg_usage("--mode: invalid mode '%s' (want"
			    " octal, 0 to 0777)", arg);
		o->mode_given = true;
		free(arg);
		break;
	case OPT_EXCLUSIVE:
		o->exclusive = true;
		break;
	case OPT_HUGETLB:
		arg = poptGetOptArg(ctx);
		o->huge_page = 1;
		if (arg != NULL) {
			ret = opt_size("--hugetlb", arg, &o->huge_page);
			if (ret == EXIT_SHM_OK && o->huge_page <= 1)
				ret = msg_usage("--hugetlb: invalid page size"
				    " '%s' (want a size such as 2M or 1G)",
				    arg);
		}
		free(arg);
		break;
	case OPT_NORESERVE:
		o->noreserve = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	}
	return ret;
}

/*
 * The note that an existing segment opened with --hugetlb keeps the pages
 * it has, when they are not the ones asked (huge: 1, any huge page size).
 */
static void
note_pages(const struct obj_sel *sel, const struct obj_info *info,
    uint64_t huge)
{
	uint64_t page, base = (uint64_t)sysconf(_SC_PAGESIZE);
	char what[128], args[PATH_MAX + 64], h[32];

	obj_info_str(info, what, sizeof(what));
	if (obj_page_size(info, &page) != 0) {
		msg_note("%s exists; whether it is on huge pages cannot be"
		    " known: %s, and shm does not attach it itself, which"
		    " would change its last attach time", what,
		    info->nattch == 0 ? "no process has it attached" :
		    "it is attached only by processes whose memory map you"
		    " may not read");
		return;
	}
	if (huge == 1 ? page > base : page == huge)
		return;
	msg_note("%s exists and keeps its pages of %s, not the huge pages"
	    " asked", what, huge_size_str(page, false, h));
	obj_sel_args(sel, args, sizeof(args));
	msg_hint("to have it on huge pages, remove it and create it again:"
	    " shm rm %s", args);
}

/* Prints the segment as one JSON object on one line. */
static void
print_json(const struct obj_info *info, bool created)
{
	struct obj_field f[2];
	struct json j;
	char mode[8];
	int i, n;

	n = obj_info_fields(info, f);
	json_begin_line(&j, stdout);
	for (i = 0; i < n; i++)
		json_value(&j, f[i].key, f[i].number ? JSON_NUMBER :
		    JSON_STRING, f[i].value);
	json_uint(&j, "size", info->size);
	snprintf(mode, sizeof(mode), "%04o", (unsigned int)info->mode & 0777);
	json_value(&j, "mode", JSON_STRING, mode);
	json_bool(&j, "created", created);
	json_end(&j);
}

int
cmd_create(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct create_opts o = { .mode = 0600 };
	struct obj_create_req req = { 0 };
	struct obj_info info;
	struct passwd *pw;
	bool created;
	char what[OBJ_NAME_MAX + 128], args[PATH_MAX + 64];
	char handle[OBJ_NAME_MAX + 2];
	poptContext ctx;
	int ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-s SIZE] [-m MODE] [-x|--exclusive]"
	    " [--hugetlb[=PAGESIZE]] [--noreserve] [--json]");
	if (!opt_parse(ctx, &sels, take_options, &o, OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = opt_check_selectors(&sels, SELS_PRIVATE)) != EXIT_SHM_OK)
		goto out;
	if (sels.sel[0].kind == SEL_PRIVATE && o.size == 0) {
		ret = msg_usage("--private makes a new segment: give its"
		    " --size");
		goto out;
	}
	req.size = o.size;
	req.mode = o.mode;
	req.exclusive = o.exclusive;
	req.huge_page = o.huge_page;
	req.noreserve = o.noreserve;
	ret = obj_create(&sels.sel[0], &req, &info, &created);
	if (ret != EXIT_SHM_OK)
		goto out;
	/* An existing segment is opened as it is: say so. */
	if (!created && o.huge_page != 0)
		note_pages(&sels.sel[0], &info, o.huge_page);
	if (!created && o.mode_given && (info.mode & 0777) != o.mode) {
		msg_note("%s exists and keeps its mode %04o, not the %04o"
		    " asked", obj_info_str(&info, what, sizeof(what)),
		    info.mode & 0777, o.mode);
		obj_sel_args(&sels.sel[0], args, sizeof(args));
		if (geteuid() == info.uid || geteuid() == info.cuid)
			msg_hint("change it: shm chmod %04o %s", o.mode, args);
		else if ((pw = getpwuid(info.uid)) != NULL)
			msg_hint("its owner (%s) can change it: shm chmod %04o"
			    " %s", pw->pw_name, o.mode, args);
		else
			msg_hint("its owner (uid %u) can change it: shm chmod"
			    " %04o %s", (unsigned int)info.uid, o.mode, args);
	}
	if (o.json)
		print_json(&info, created);
	else
		printf("%s\n", obj_info_handle(&info, handle,
		    sizeof(handle)));
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
