/*
 * shm ls: list segments, as a table, raw, or JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "table.h"
#include "columns.h"
#include "object.h"
#include "filter.h"
#include "ns.h"
#include "procs.h"

enum {
	OPT_JSON = OPT_FIRST_LOCAL,
	OPT_RAW,
	OPT_NOHEADINGS,
	OPT_OUTPUT,
	OPT_BYTES,
	OPT_MINE,
	OPT_ALL_NS,
	OPT_NAMESPACES,
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
	{ "all-namespaces", 'A', POPT_ARG_NONE, NULL, OPT_ALL_NS,
	  "the segments of every IPC namespace, with a first column NS",
	  NULL },
	{ "namespaces", '\0', POPT_ARG_NONE, NULL, OPT_NAMESPACES,
	  "one row per IPC namespace: its processes, segments and bytes",
	  NULL },
	{ "posix", '\0', POPT_ARG_NONE, NULL, OPT_POSIX_LIST,
	  "POSIX objects (/dev/shm) instead of System V segments", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, ls_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_FILTERS,
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

/* The options, as given. */
struct ls_opts {
	struct ls_columns cols;
	struct seg_filter filter;
	int		 flags;
	bool		 json;
	bool		 raw;
	bool		 bytes;
	bool		 mine;
	bool		 all_ns;
	bool		 namespaces;
	bool		 output;	/* --output was given */
	bool		 posix;
	char		*outputs[MAXOUTPUTS];	/* each --output */
	size_t		 noutputs;
	struct opt_given given;
};

/* One form of output. */
static const struct opt_excl ls_excl[] = {
	{ { OPT_JSON, OPT_RAW }, "choose one" },
	{ { 0 }, NULL },
};

/* One listing under way, across namespaces with -A. */
struct ls_run {
	const struct ls_opts *o;
	struct libscols_table *tb;
	int		 how;
	int		 list_flags;
	bool		 pagesize;	/* PAGESIZE is asked: a walk of /proc */
	size_t		 first;		/* 1 when column 0 is NS */
};

static const char *
ns_text(uint64_t ino, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64, ino);
	return buf;
}

/* Adds the rows of the namespace the caller is in now (ns: which). */
static int
ls_rows(const struct ns_ipc *ns, void *arg)
{
	struct ls_run *run = arg;
	const struct ls_opts *o = run->o;
	struct libscols_line *ln;
	struct obj_info *rows, *r;
	uid_t me = geteuid();
	time_t now = time(NULL);
	size_t i, j, n;
	char buf[OBJ_NAME_MAX + 2];
	int rc;

	if (o->posix)
		rc = obj_list_posix(NULL, &rows, &n);
	else
		rc = obj_list(&rows, &n, run->list_flags);
	if (rc != EXIT_SHM_OK)
		return rc;
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (o->mine && r->uid != me && r->cuid != me)
			continue;
		if (o->filter.any &&
		    filter_mismatch(r, &o->filter, now, NULL, 0) != NULL)
			continue;
		if (run->pagesize && obj_page_size(r, &r->page_size) != 0)
			r->page_size = 0;
		ln = table_line(run->tb);
		if (ns != NULL)
			table_cell(ln, 0, ns_text(ns->ino, buf, sizeof(buf)));
		for (j = 0; j < o->cols.n; j++)
			table_cell(ln, run->first + j, seg_column_text(r,
			    o->cols.col[j], run->how, buf, sizeof(buf)));
	}
	free(rows);
	return EXIT_SHM_OK;
}

static int
ls_print(const struct ls_opts *o)
{
	struct ls_run run = { .o = o, .first = o->all_ns ? 1 : 0 };
	struct ns_ipc *v = NULL;
	size_t j, n = 0;
	int rc;

	for (j = 0; j < o->cols.n; j++) {
		if (o->cols.col[j] == SEGCOL_RSS ||
		    o->cols.col[j] == SEGCOL_SWAP)
			run.list_flags = OBJ_LIST_MEM;
		/* it costs a walk of /proc: only when asked */
		if (o->cols.col[j] == SEGCOL_PAGESIZE)
			run.pagesize = true;
	}
	if (o->all_ns && ((rc = ns_need_admin("-A")) != EXIT_SHM_OK ||
	    (rc = ns_list_whole(&v, &n, "-A")) != EXIT_SHM_OK))
		return rc;
	run.how = (o->flags & TABLE_JSON) ? SEGCOL_AS_JSON :
	    o->bytes ? SEGCOL_AS_BYTES : 0;
	run.tb = table_new(o->posix ? "objects" : "segments", o->flags);
	if (o->all_ns)
		table_column(run.tb, "NS", JSON_NUMBER, COLUMN_RIGHT);
	for (j = 0; j < o->cols.n; j++)
		table_column(run.tb, seg_columns[o->cols.col[j]].name,
		    seg_columns[o->cols.col[j]].json_type,
		    seg_columns[o->cols.col[j]].flags);
	rc = o->all_ns ? ns_each(v, n, ls_rows, &run) : ls_rows(NULL, &run);
	free(v);
	if (rc != EXIT_SHM_OK) {
		table_free(run.tb);
		return rc;
	}
	return table_print(run.tb);
}

/* The figures of each namespace, for --namespaces. */
struct ns_sum {
	uint64_t	 segments, bytes, rss;
	bool		 rss_known;
	bool		 seen;		/* entered, and read */
};

struct ns_sums {
	const struct ns_ipc *v;		/* sum[i] is of v[i] */
	struct ns_sum	*sum;
};

static int
ns_sum_one(const struct ns_ipc *ns, void *arg)
{
	struct ns_sums *sums = arg;
	struct ns_sum *sum = &sums->sum[ns - sums->v];
	struct obj_info *rows;
	size_t i, n;
	int rc;

	if ((rc = obj_list(&rows, &n, OBJ_LIST_MEM)) != EXIT_SHM_OK)
		return rc;
	sum->seen = sum->rss_known = true;
	for (i = 0; i < n; i++) {
		sum->segments++;
		sum->bytes += rows[i].size;
		sum->rss += rows[i].rss;
		if (!rows[i].mem_known)
			sum->rss_known = false;
	}
	free(rows);
	return EXIT_SHM_OK;
}

static const char *const ns_columns[] = {
	"NS", "NPROCS", "PID", "COMMAND", "SEGMENTS", "BYTES", "RSS",
};

#define NNSCOLUMNS	(sizeof(ns_columns) / sizeof(ns_columns[0]))

/* A size for --namespaces: bytes in JSON and with --bytes. */
static const char *
ns_size(uint64_t v, const struct ls_opts *o, char *buf, size_t len)
{
	struct obj_info fake = { .size = v };

	return seg_column_text(&fake, SEGCOL_SIZE, o->json ? SEGCOL_AS_JSON :
	    o->bytes ? SEGCOL_AS_BYTES : 0, buf, len);
}

static void
ns_line(struct libscols_table *tb, const struct ns_ipc *ns,
    const struct ns_sum *sum, const struct ls_opts *o)
{
	struct libscols_line *ln = table_line(tb);
	char buf[64], *cmd, *pbuf = NULL;
	size_t pcap = 0;

	table_cell(ln, 0, ns_text(ns->ino, buf, sizeof(buf)));
	table_cell(ln, 1, ns_text(ns->nprocs, buf, sizeof(buf)));
	table_cell(ln, 2, ns_text((uint64_t)ns->pid, buf, sizeof(buf)));
	if ((cmd = proc_command(ns->pid, &pbuf, &pcap)) == NULL)
		out_of_memory();
	table_cell(ln, 3, cmd);
	free(cmd);
	free(pbuf);
	table_cell(ln, 4, ns_text(sum->segments, buf, sizeof(buf)));
	table_cell(ln, 5, ns_size(sum->bytes, o, buf, sizeof(buf)));
	table_cell(ln, 6, sum->rss_known ? ns_size(sum->rss, o, buf,
	    sizeof(buf)) : o->json ? NULL : "-");
}

static int
ls_namespaces(const struct ls_opts *o)
{
	struct ns_sums sums;
	struct libscols_table *tb;
	struct ns_ipc *v;
	size_t i, n;
	int rc;

	if ((rc = ns_need_admin("--namespaces")) != EXIT_SHM_OK ||
	    (rc = ns_list_whole(&v, &n, "--namespaces")) != EXIT_SHM_OK)
		return rc;
	sums.v = v;
	sums.sum = xcalloc(n, sizeof(*sums.sum));
	if ((rc = ns_each(v, n, ns_sum_one, &sums)) == EXIT_SHM_OK) {
		tb = table_new("namespaces", o->flags);
		for (i = 0; i < NNSCOLUMNS; i++)
			table_column(tb, ns_columns[i], i == 3 ? JSON_STRING :
			    JSON_NUMBER, i == 3 ? COLUMN_TRUNC : i == 0 ? 0 :
			    COLUMN_RIGHT);
		for (i = 0; i < n; i++)
			if (sums.sum[i].seen)
				ns_line(tb, &v[i], &sums.sum[i], o);
		rc = table_print(tb);
	}
	free(sums.sum);
	free(v);
	return rc;
}

static int
take_options(poptContext ctx, int val, void *data)
{
	struct ls_opts *o = data;
	char *arg;
	int ret = EXIT_SHM_OK;

	opt_given_add(&o->given, val);
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
		o->output = true;
		free(arg);
		break;
	case OPT_POSIX_LIST:
		o->posix = true;
		ret = ns_refuse_posix();
		break;
	case OPT_BYTES:
		o->bytes = true;
		break;
	case OPT_MINE:
		o->mine = true;
		break;
	case OPT_ALL_NS:
		o->all_ns = true;
		break;
	case OPT_NAMESPACES:
		o->namespaces = true;
		break;
	default:
		if ((ret = filter_take(ctx, val, &o->filter)) < 0)
			ret = EXIT_SHM_OK;
		break;
	}
	return ret;
}

/* What --namespaces does not go with, or NULL. */
static const char *
namespaces_clash(const struct ls_opts *o)
{
	return o->output ? "--output" : o->mine ? "--mine" :
	    o->all_ns ? "--all-namespaces" : o->filter.any ?
	    filter_first_opt(&o->filter) : NULL;
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
	const char *clash;
	size_t i;
	int ret;

	ctx = opt_context(argc, argv, options,
	    "[--json] [--raw] [-n|--noheadings] [-o|--output=COLS]"
	    " [-b|--bytes] [--mine] [--orphaned] [--owner=USER]"
	    " [--older-than=AGE] [-A|--all-namespaces] [--posix]\n"
	    "  or:  shm ls --namespaces [--json] [--raw] [-b|--bytes]");
	if (!opt_parse(ctx, NULL, take_options, &o,
	    OPT_NO_OPERANDS | OPT_OWN_HELP, &ret))
		goto out;
	if ((ret = opt_check_excl(ls_excl, &o.given, options)) !=
	    EXIT_SHM_OK)
		goto out;
	if ((ret = choose_columns(&o)) != EXIT_SHM_OK)
		goto out;
	/*
	 * The objects of another mount namespace are those of its
	 * /proc/PID/root/dev/shm (obj_list_posix takes the directory): -A
	 * with --posix is to list one pid's of each; not yet.
	 */
	if (o.posix && (o.all_ns || o.namespaces)) {
		ret = msg_usage("--posix and %s clash: POSIX objects are listed"
		    " for this mount namespace only, as yet", o.all_ns ?
		    "--all-namespaces" : "--namespaces");
		goto out;
	}
	if (o.namespaces && (clash = namespaces_clash(&o)) != NULL) {
		ret = msg_usage("--namespaces and %s clash: --namespaces lists"
		    " namespaces, not segments", clash);
		goto out;
	}
	if (o.json)
		o.flags |= TABLE_JSON;
	if (o.raw)
		o.flags |= TABLE_RAW;
	ret = o.namespaces ? ls_namespaces(&o) : ls_print(&o);
out:
	for (i = 0; i < o.noutputs; i++)
		free(o.outputs[i]);
	poptFreeContext(ctx);
	return ret;
}
