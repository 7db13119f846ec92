/*
 * shm ls: list segments, as a table, raw, or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "table.h"
#include "columns.h"
#include "object.h"

enum {
	OPT_JSON = OPT_FIRST_LOCAL,
	OPT_RAW,
	OPT_NOHEADINGS,
	OPT_OUTPUT,
	OPT_BYTES,
	OPT_MINE,
};

static struct poptOption ls_options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "print {\"segments\":[...]}, with numbers as numbers", NULL },
	{ "raw", '\0', POPT_ARG_NONE, NULL, OPT_RAW,
	  "one blank between cells, no alignment", NULL },
	{ "noheadings", 'n', POPT_ARG_NONE, NULL, OPT_NOHEADINGS,
	  "no header line", NULL },
	{ "output", 'o', POPT_ARG_STRING, NULL, OPT_OUTPUT,
	  "the columns to show, comma separated; +COLS adds to the default",
	  "COLS" },
	{ "bytes", 'b', POPT_ARG_NONE, NULL, OPT_BYTES,
	  "sizes in bytes, not in K, M, G", NULL },
	{ "mine", '\0', POPT_ARG_NONE, NULL, OPT_MINE,
	  "only segments that you own or created", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, ls_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

static const enum seg_col default_columns[] = {
	SEGCOL_KEY, SEGCOL_ID, SEGCOL_OWNER, SEGCOL_PERMS, SEGCOL_SIZE,
	SEGCOL_NATTCH, SEGCOL_STATUS,
};

#define NDEFAULT	(sizeof(default_columns) / sizeof(default_columns[0]))
#define MAXCOLUMNS	SEGCOL_COUNT	/* each at most once */

struct ls_columns {
	enum seg_col	 col[MAXCOLUMNS];
	size_t		 n;
};

static int
ls_help(poptContext ctx)
{
	size_t i;

	poptPrintHelp(ctx, stdout, 0);
	fputs("\nColumns (the default: KEY ID OWNER PERMS SIZE NATTCH"
	    " STATUS):\n", stdout);
	for (i = 0; i < SEGCOL_COUNT; i++)
		printf("  %-7s %s\n", seg_columns[i].name, seg_columns[i].help);
	return stdout_status(EXIT_SHM_OK);
}

static int
unknown_column(const char *name, size_t len)
{
	char known[256];
	size_t i, o = 0;

	for (i = 0; i < SEGCOL_COUNT && o < sizeof(known); i++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
		    i > 0 ? " " : "", seg_columns[i].name);
	return msg_usage("--output: unknown column '%.*s' (known: %s)",
	    (int)len, name, known);
}

/*
 * Reads "KEY,SIZE" (these columns) or "+RSS,SWAP" (the columns so far, the
 * default ones unless an earlier --output chose others, then these).  A
 * column asked for twice is a usage error: JSON would get the key twice.
 */
static int
parse_columns(const char *list, struct ls_columns *cols)
{
	const char *p = list, *comma;
	size_t len, i;
	int c;

	if (*p == '+')
		p++;
	else
		cols->n = 0;
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0)
			return msg_usage("--output: a column name is missing"
			    " in '%s'", list);
		if ((c = seg_column_find(p, len)) < 0)
			return unknown_column(p, len);
		for (i = 0; i < cols->n; i++)
			if (cols->col[i] == (enum seg_col)c)
				return msg_usage("--output: column %s asked"
				    " for twice%s", seg_columns[c].name,
				    *list == '+' ? " (+ adds to the columns"
				    " so far)" : "");
		cols->col[cols->n++] = (enum seg_col)c;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int
ls_print(const struct ls_columns *cols, int flags, bool bytes, bool mine)
{
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct obj_info *rows, *r;
	size_t i, j, n;
	char buf[64];
	int rc, how, list_flags = 0;
	bool pagesize = false;
	uid_t me = geteuid();

	for (j = 0; j < cols->n; j++) {
		if (cols->col[j] == SEGCOL_RSS || cols->col[j] == SEGCOL_SWAP)
			list_flags = OBJ_LIST_MEM;
		/* it costs a walk of /proc: only when asked */
		if (cols->col[j] == SEGCOL_PAGESIZE)
			pagesize = true;
	}
	if ((rc = obj_list(&rows, &n, list_flags)) != EXIT_SHM_OK)
		return rc;
	how = (flags & TABLE_JSON) ? SEGCOL_AS_JSON :
	    bytes ? SEGCOL_AS_BYTES : 0;
	tb = table_new("segments", flags);
	for (j = 0; j < cols->n; j++)
		table_column(tb, seg_columns[cols->col[j]].name,
		    seg_columns[cols->col[j]].json_type,
		    seg_columns[cols->col[j]].flags);
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (mine && r->uid != me && r->cuid != me)
			continue;
		if (pagesize && obj_page_size(r, &r->page_size) != 0)
			r->page_size = 0;
		ln = table_line(tb);
		for (j = 0; j < cols->n; j++)
			table_cell(ln, j, seg_column_text(r, cols->col[j], how,
			    buf, sizeof(buf)));
	}
	free(rows);
	return table_print(tb);
}

/* The options, as given. */
struct ls_opts {
	struct ls_columns cols;
	int		 flags;
	bool		 json;
	bool		 raw;
	bool		 bytes;
	bool		 mine;
};

static int
take_options(poptContext ctx, int val, void *data)
{
	struct ls_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	switch (val) {
	case OPT_HELP:
		ret = ls_help(ctx);
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_RAW:
		o->raw = true;
		break;
	case OPT_NOHEADINGS:
		o->flags |= TABLE_NOHEADINGS;
		break;
	case OPT_OUTPUT:
		arg = poptGetOptArg(ctx);
		ret = parse_columns(arg != NULL ? arg : "", &o->cols);
		free(arg);
		break;
	case OPT_BYTES:
		o->bytes = true;
		break;
	case OPT_MINE:
		o->mine = true;
		break;
	}
	return ret;
}

int
cmd_ls(int argc, const char **argv)
{
	struct ls_opts o = { 0 };
	poptContext ctx;
	int ret;

	memcpy(o.cols.col, default_columns, sizeof(default_columns));
	o.cols.n = NDEFAULT;
	ctx = opt_context(argc, argv, options,
	    "[--json] [--raw] [-n|--noheadings] [-o|--output=COLS]"
	    " [-b|--bytes] [--mine]");
	ret = opt_parse(ctx, NULL, take_options, &o,
	    OPT_NO_OPERANDS | OPT_OWN_HELP);
	if (ret != OPT_GO_ON)
		goto out;
	if (o.json && o.raw) {
		ret = msg_usage("--json and --raw clash: choose one");
		goto out;
	}
	if (o.json)
		o.flags |= TABLE_JSON;
	if (o.raw)
		o.flags |= TABLE_RAW;
	ret = ls_print(&o.cols, o.flags, o.bytes, o.mine);
out:
	poptFreeContext(ctx);
	return ret;
}
