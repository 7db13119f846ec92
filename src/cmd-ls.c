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
	OPT_POSIX_LIST,
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
	{ "posix", '\0', POPT_ARG_NONE, NULL, OPT_POSIX_LIST,
	  "POSIX objects (/dev/shm) instead of System V segments", NULL },
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

static const enum seg_col posix_columns[] = {
	SEGCOL_NAME, SEGCOL_OWNER, SEGCOL_PERMS, SEGCOL_SIZE, SEGCOL_NPROCS,
	SEGCOL_MTIME,
};

#define NDEFAULT	(sizeof(default_columns) / sizeof(default_columns[0]))
#define NPOSIX		(sizeof(posix_columns) / sizeof(posix_columns[0]))

/* The most --output options kept until --posix is known. */
#define MAXOUTPUTS	16
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
	    " STATUS;\nwith --posix: NAME OWNER PERMS SIZE NPROCS MTIME):\n",
	    stdout);
	for (i = 0; i < SEGCOL_COUNT; i++)
		printf("  %-7s %s%s\n", seg_columns[i].name,
		    seg_columns[i].help, !(seg_columns[i].kinds &
		    SEGCOL_OF(OBJ_SYSV)) ? " (--posix only)" :
		    !(seg_columns[i].kinds & SEGCOL_OF(OBJ_POSIX)) ?
		    " (not with --posix)" : "");
	return stdout_status(EXIT_SHM_OK);
}

static int
unknown_column(const char *name, size_t len, unsigned int kinds)
{
	char known[256];
	size_t i, o = 0;

	for (i = 0; i < SEGCOL_COUNT && o < sizeof(known); i++)
		if (seg_columns[i].kinds & kinds)
			o += (size_t)snprintf(known + o, sizeof(known) - o,
			    "%s%s", o > 0 ? " " : "", seg_columns[i].name);
	if (seg_column_find(name, len) >= 0)
		return msg_usage("--output: column '%.*s' is not one of %s"
		    " (theirs: %s)", (int)len, name, kinds ==
		    SEGCOL_OF(OBJ_POSIX) ? "POSIX objects" : "System V"
		    " segments", known);
	return msg_usage("--output: unknown column '%.*s' (known: %s)",
	    (int)len, name, known);
}

/*
 * Reads "KEY,SIZE" (these columns) or "+RSS,SWAP" (the columns so far, the
 * default ones unless an earlier --output chose others, then these).  A
 * column asked for twice is a usage error: JSON would get the key twice.
 */
static int
parse_columns(const char *list, struct ls_columns *cols, unsigned int kinds)
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
		if ((c = seg_column_find(p, len)) < 0 ||
		    !(seg_columns[c].kinds & kinds))
			return unknown_column(p, len, kinds);
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
ls_print(const struct ls_columns *cols, int flags, bool bytes, bool mine,
    bool posix)
{
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct obj_info *rows, *r;
	size_t i, j, n;
	char buf[OBJ_NAME_MAX + 2];
	int rc, how, list_flags = 0;
	uid_t me = geteuid();

	for (j = 0; j < cols->n; j++)
		if (cols->col[j] == SEGCOL_RSS || cols->col[j] == SEGCOL_SWAP)
			list_flags = OBJ_LIST_MEM;
	/*
	 * POSIX objects are those of our /dev/shm; the objects of other
	 * namespaces (-A) are those of /proc/PID/root/dev/shm, one pid
	 * of each mount namespace, listed through the same call.
	 */
	if (posix)
		rc = obj_list_posix(NULL, &rows, &n);
	else
		rc = obj_list(&rows, &n, list_flags);
	if (rc != EXIT_SHM_OK)
		return rc;
	how = (flags & TABLE_JSON) ? SEGCOL_AS_JSON :
	    bytes ? SEGCOL_AS_BYTES : 0;
	tb = table_new(posix ? "objects" : "segments", flags);
	for (j = 0; j < cols->n; j++)
		table_column(tb, seg_columns[cols->col[j]].name,
		    seg_columns[cols->col[j]].json_type,
		    seg_columns[cols->col[j]].flags);
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (mine && r->uid != me && r->cuid != me)
			continue;
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
	bool		 posix;
	char		*outputs[MAXOUTPUTS];	/* each --output */
	size_t		 noutputs;
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
		/* read once --posix is known: it decides the columns */
		arg = poptGetOptArg(ctx);
		if (o->noutputs == MAXOUTPUTS)
			ret = msg_usage("--output: given more than %d times",
			    MAXOUTPUTS);
		else
			o->outputs[o->noutputs++] = xstrf("%s", arg != NULL ?
			    arg : "");
		free(arg);
		break;
	case OPT_POSIX_LIST:
		o->posix = true;
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

/* The columns: the default of the kind listed, then each --output. */
static int
choose_columns(struct ls_opts *o)
{
	unsigned int kinds = SEGCOL_OF(o->posix ? OBJ_POSIX : OBJ_SYSV);
	size_t i;
	int ret;

	if (o->posix) {
		memcpy(o->cols.col, posix_columns, sizeof(posix_columns));
		o->cols.n = NPOSIX;
	} else {
		memcpy(o->cols.col, default_columns, sizeof(default_columns));
		o->cols.n = NDEFAULT;
	}
	for (i = 0; i < o->noutputs; i++)
		if ((ret = parse_columns(o->outputs[i], &o->cols, kinds)) !=
		    EXIT_SHM_OK)
			return ret;
	return EXIT_SHM_OK;
}

int
cmd_ls(int argc, const char **argv)
{
	struct ls_opts o = { 0 };
	poptContext ctx;
	size_t i;
	int ret;

	ctx = opt_context(argc, argv, options,
	    "[--json] [--raw] [-n|--noheadings] [-o|--output=COLS]"
	    " [-b|--bytes] [--mine] [--posix]");
	ret = opt_parse(ctx, NULL, take_options, &o,
	    OPT_NO_OPERANDS | OPT_OWN_HELP);
	if (ret != OPT_GO_ON)
		goto out;
	if ((ret = choose_columns(&o)) != EXIT_SHM_OK)
		goto out;
	if (o.json && o.raw) {
		ret = msg_usage("--json and --raw clash: choose one");
		goto out;
	}
	if (o.json)
		o.flags |= TABLE_JSON;
	if (o.raw)
		o.flags |= TABLE_RAW;
	ret = ls_print(&o.cols, o.flags, o.bytes, o.mine, o.posix);
out:
	for (i = 0; i < o.noutputs; i++)
		free(o.outputs[i]);
	poptFreeContext(ctx);
	return ret;
}
