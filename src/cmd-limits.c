/*
 * shm limits: the kernel's shared-memory limits and the current use.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "msg.h"
#include "table.h"
#include "object.h"

enum {
	OPT_JSON = OPT_FIRST_LOCAL,
};

static struct poptOption limits_options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "print one JSON object", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, limits_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

static void
row(struct libscols_table *tb, const char *name, const char *value)
{
	struct libscols_line *ln = table_line(tb);

	table_cell(ln, 0, name);
	table_cell(ln, 1, value);
}

static int
print_human(const struct obj_limits *l)
{
	struct libscols_table *tb;
	char buf[160], h[16], b1[48], b2[48];

	tb = table_new("limits", TABLE_NOHEADINGS);
	table_column(tb, "NAME", JSON_STRING, 0);
	table_column(tb, "VALUE", JSON_STRING, 0);
	snprintf(buf, sizeof(buf), "%" PRIu64 " byte%s (%s), the largest"
	    " segment", l->shmmax, l->shmmax == 1 ? "" : "s",
	    format_human(l->shmmax, h));
	row(tb, "SHMMAX", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " byte%s, the smallest segment",
	    l->shmmin, l->shmmin == 1 ? "" : "s");
	row(tb, "SHMMIN", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " segment%s, at most", l->shmmni,
	    l->shmmni == 1 ? "" : "s");
	row(tb, "SHMMNI", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " page%s (%s bytes), in all",
	    l->shmall, l->shmall == 1 ? "" : "s",
	    format_product(l->shmall, l->page_size, b1));
	row(tb, "SHMALL", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " bytes", l->page_size);
	row(tb, "page size", buf);
	snprintf(buf, sizeof(buf), "%" PRIu64 " of %" PRIu64 " (SHMMNI)",
	    l->used_ids, l->shmmni);
	row(tb, "segments in use", buf);
	snprintf(buf, sizeof(buf), "%s of %s (SHMALL), %" PRIu64 " page%s",
	    format_product(l->used_pages, l->page_size, b1),
	    format_product(l->shmall, l->page_size, b2), l->used_pages,
	    l->used_pages == 1 ? "" : "s");
	row(tb, "bytes in use", buf);
	return table_print(tb);
}

static void
print_json(const struct obj_limits *l)
{
	struct json j;
	char b[48];

	json_begin(&j, stdout);
	json_uint(&j, "shmmax", l->shmmax);
	json_uint(&j, "shmmin", l->shmmin);
	json_uint(&j, "shmmni", l->shmmni);
	json_uint(&j, "shmall_pages", l->shmall);
	json_value(&j, "shmall_bytes", JSON_NUMBER,
	    format_product(l->shmall, l->page_size, b));
	json_uint(&j, "page_size", l->page_size);
	json_uint(&j, "segments_used", l->used_ids);
	json_uint(&j, "pages_used", l->used_pages);
	json_value(&j, "bytes_used", JSON_NUMBER,
	    format_product(l->used_pages, l->page_size, b));
	json_end(&j);
}

int
cmd_limits(int argc, const char **argv)
{
	struct obj_limits l;
	bool json = false;
	poptContext ctx;
	int ret;

	ctx = opt_context(argc, argv, options, "[--json]");
	if (!opt_parse(ctx, NULL, opt_take_switch, &json,
	    OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = obj_get_limits(&l)) != EXIT_SHM_OK)
		goto out;
	if (json)
		print_json(&l);
	else
		ret = print_human(&l);
out:
	poptFreeContext(ctx);
	return ret;
}
