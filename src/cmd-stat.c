/*
 * shm stat: one segment in detail, what the caller may do with it, and the
 * processes attached to it.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "format.h"
#include "hugepages.h"
#include "options.h"
#include "msg.h"
#include "table.h"
#include "names.h"
#include "columns.h"
#include "object.h"

enum {
	OPT_JSON = OPT_FIRST_LOCAL,
};

static struct poptOption stat_options[] = {
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "print one JSON object", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, stat_options, 0, "Options:",
	  NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

static const char *const action_names[OBJ_ACT_COUNT] = {
	[OBJ_ACT_READ] = "read",
	[OBJ_ACT_WRITE] = "write",
	[OBJ_ACT_REMOVE] = "remove",
	[OBJ_ACT_CHANGE] = "change",
};

/* What stat shows: the segment, the caller's access, the attached. */
struct stat_report {
	struct obj_info		 info;
	struct obj_verdict	 access[OBJ_ACT_COUNT];
	struct obj_proc		*procs;
	size_t			 nprocs;
	bool			 procs_known;
	uint64_t		 hidden;	/* attachments not seen */
};

/*
 * The row of /proc/sysvipc/shm, when there is one, has rss and swap, which
 * IPC_STAT (what obj_lookup() uses when it may) lacks.
 */
static void
add_memory(struct obj_info *info)
{
	struct obj_info *rows;
	size_t i, n;

	if (obj_list(&rows, &n, OBJ_LIST_MEM) != EXIT_SHM_OK)
		return;
	for (i = 0; i < n; i++)
		if (rows[i].id == info->id) {
			*info = rows[i];
			break;
		}
	free(rows);
}

/* "nobody (uid 65534)", or "1234 (no such user)"; free() it. */
static char *
name_and_id(const char *name, unsigned int id, const char *what)
{
	if (name != NULL)
		return xstrf("%s (%s %u)", name, what, id);
	return xstrf("%u (no such %s)", id, what[0] == 'u' ? "user" : "group");
}

static void
field(struct libscols_table *tb, const char *name, const char *value)
{
	struct libscols_line *ln = table_line(tb);

	table_cell(ln, 0, name);
	table_cell(ln, 1, value);
}

/* A field whose value xstrf() made. */
static void
field_free(struct libscols_table *tb, const char *name, char *value)
{
	field(tb, name, value);
	free(value);
}

/* A field of column col, when the object has it. */
static void
col_field(struct libscols_table *tb, const struct obj_info *r,
    const char *name, enum seg_col col)
{
	char buf[OBJ_NAME_MAX + 2];

	if (SEGCOL_HAS(r, col))
		field(tb, name, seg_column_text(r, col, 0, buf, sizeof(buf)));
}

static const char *
time_field(const struct obj_info *r, enum seg_col col, char *buf, size_t len)
{
	const char *t = seg_column_text(r, col, 0, buf, len);

	return t != NULL && strcmp(t, "-") != 0 ? t : "never";
}

/* The page size backing the segment, in words. */
static const char *
page_text(const struct obj_info *r, char *buf, size_t len)
{
	long base = sysconf(_SC_PAGESIZE);
	char h[32];

	if (r->page_size == 0 && r->nattch == 0)
		return "unknown: no process has it attached, and shm does not"
		    " attach it itself, which would change its last attach"
		    " time";
	if (r->page_size == 0)
		return "unknown: it is attached only by processes whose"
		    " memory map you may not read, and shm does not attach"
		    " it itself, which would change its last attach time";
	huge_size_str(r->page_size, false, h);
	snprintf(buf, len, "%s (%s pages)", h, base > 0 &&
	    r->page_size > (uint64_t)base ? "huge" : "normal");
	return buf;
}

/* The table of what is known of the object: the fields of its kind. */
static int
print_fields(const struct obj_info *r)
{
	struct libscols_table *tb;
	char buf[OBJ_NAME_MAX + 64], h[16], perms[10], *a, *b;

	tb = table_new("segment", TABLE_NOHEADINGS);
	table_column(tb, "FIELD", JSON_STRING, 0);
	table_column(tb, "VALUE", JSON_STRING, 0);
	col_field(tb, r, "name", SEGCOL_NAME);
	col_field(tb, r, "key", SEGCOL_KEY);
	col_field(tb, r, "id", SEGCOL_ID);
	snprintf(buf, sizeof(buf), "%" PRIu64 " byte%s (%s)", r->size,
	    r->size == 1 ? "" : "s", format_human(r->size, h));
	field(tb, "size", buf);
	field_free(tb, "owner", name_and_id(uid_name(r->uid),
	    (unsigned int)r->uid, "uid"));
	field_free(tb, "group", name_and_id(gid_name(r->gid),
	    (unsigned int)r->gid, "gid"));
	if (SEGCOL_HAS(r, SEGCOL_CUID)) {
		a = name_and_id(uid_name(r->cuid), (unsigned int)r->cuid,
		    "uid");
		b = name_and_id(gid_name(r->cgid), (unsigned int)r->cgid,
		    "gid");
		field_free(tb, "creator", xstrf("%s, group %s", a, b));
		free(b);
		free(a);
	}
	snprintf(buf, sizeof(buf), "%04o (%s)", r->mode & 0777,
	    format_perms(r->mode, perms));
	field(tb, "mode", buf);
	col_field(tb, r, "attachments", SEGCOL_NATTCH);
	col_field(tb, r, "processes", SEGCOL_NPROCS);
	col_field(tb, r, "creator pid", SEGCOL_CPID);
	col_field(tb, r, "last pid", SEGCOL_LPID);
	if (SEGCOL_HAS(r, SEGCOL_MTIME)) {
		field(tb, "last read", time_field(r, SEGCOL_ATIME, buf,
		    sizeof(buf)));
		field(tb, "last write", time_field(r, SEGCOL_MTIME, buf,
		    sizeof(buf)));
	} else {
		field(tb, "last attach", time_field(r, SEGCOL_ATIME, buf,
		    sizeof(buf)));
		field(tb, "last detach", time_field(r, SEGCOL_DTIME, buf,
		    sizeof(buf)));
	}
	field(tb, "last change", time_field(r, SEGCOL_CTIME, buf,
	    sizeof(buf)));
	if (SEGCOL_HAS(r, SEGCOL_STATUS)) {
		snprintf(buf, sizeof(buf), "%s%s%s",
		    r->mode & OBJ_MODE_DEST ? "marked for removal" : "",
		    (r->mode & OBJ_MODE_DEST) && (r->mode & OBJ_MODE_LOCKED) ?
		    ", " : "", r->mode & OBJ_MODE_LOCKED ?
		    "locked in memory" : "");
		field(tb, "status", buf[0] != '\0' ? buf : "-");
	}
	if (SEGCOL_HAS(r, SEGCOL_PAGESIZE)) {
		field(tb, "page size", page_text(r, buf, sizeof(buf)));
		field(tb, "pinned", r->mode & OBJ_MODE_LOCKED ? "yes"
		    " (SHM_LOCK: its pages stay in memory)" : "no");
	}
	if (r->mem_known && SEGCOL_HAS(r, SEGCOL_SWAP)) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " byte%s resident, %"
		    PRIu64 " swapped", r->rss, r->rss == 1 ? "" : "s",
		    r->swap);
		field(tb, "memory", buf);
	} else if (r->mem_known) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " byte%s in memory or"
		    " swap", r->rss, r->rss == 1 ? "" : "s");
		field(tb, "memory", buf);
	}
	return table_print(tb);
}

static int
print_human(const struct stat_report *s)
{
	const struct obj_info *r = &s->info;
	struct libscols_table *tb;
	struct libscols_line *ln;
	char buf[256], *a;
	size_t i;
	int rc;

	if ((rc = print_fields(r)) != EXIT_SHM_OK)
		return rc;

	a = obj_caller_str();
	printf("\nwhat you, %s, may do:\n", a);
	free(a);
	tb = table_new("access", TABLE_NOHEADINGS);
	table_column(tb, "ACTION", JSON_STRING, 0);
	table_column(tb, "VERDICT", JSON_STRING, 0);
	for (i = 0; i < OBJ_ACT_COUNT; i++)
		field_free(tb, action_names[i], xstrf("%s: %s",
		    s->access[i].allowed ? "yes" : "no", s->access[i].reason));
	if ((rc = table_print(tb)) != EXIT_SHM_OK)
		return rc;

	fputs(SEGCOL_HAS(r, SEGCOL_NPROCS) ? "\nprocesses that map it or hold"
	    " it open:" : "\nattached processes:", stdout);
	if (!s->procs_known) {
		fputs(" unknown: /proc cannot be read\n", stdout);
		return EXIT_SHM_OK;
	}
	if (s->nprocs == 0) {
		fputs(" none", stdout);
		if (s->hidden > 0)
			printf(" that you may see; %" PRIu64 " attachment%s"
			    " in processes of other users", s->hidden,
			    s->hidden == 1 ? "" : "s");
		putchar('\n');
		return EXIT_SHM_OK;
	}
	putchar('\n');
	tb = table_new("attached", 0);
	table_column(tb, "PID", JSON_NUMBER, COLUMN_RIGHT);
	table_column(tb, "COMMAND", JSON_STRING, 0);
	for (i = 0; i < s->nprocs; i++) {
		ln = table_line(tb);
		snprintf(buf, sizeof(buf), "%d", (int)s->procs[i].pid);
		table_cell(ln, 0, buf);
		table_cell(ln, 1, s->procs[i].command);
	}
	if ((rc = table_print(tb)) != EXIT_SHM_OK)
		return rc;
	if (s->hidden > 0)
		printf("and %" PRIu64 " attachment%s in processes of other"
		    " users\n", s->hidden, s->hidden == 1 ? "" : "s");
	return EXIT_SHM_OK;
}

static void
print_json(const struct stat_report *s)
{
	struct json j;
	char key[16], buf[OBJ_NAME_MAX + 2];
	size_t i, k;

	json_begin(&j, stdout);
	for (i = 0; i < SEGCOL_COUNT; i++) {
		if (!SEGCOL_HAS(&s->info, i))
			continue;
		for (k = 0; seg_columns[i].name[k] != '\0' &&
		    k + 1 < sizeof(key); k++)
			key[k] = (char)(seg_columns[i].name[k] | 0x20);
		key[k] = '\0';
		json_value(&j, key, seg_columns[i].json_type,
		    seg_column_text(&s->info, (enum seg_col)i, SEGCOL_AS_JSON,
		    buf, sizeof(buf)));
	}
	if (SEGCOL_HAS(&s->info, SEGCOL_PAGESIZE))
		json_bool(&j, "pinned",
		    (s->info.mode & OBJ_MODE_LOCKED) != 0);
	json_open(&j, "access", '{');
	for (i = 0; i < OBJ_ACT_COUNT; i++) {
		json_open(&j, action_names[i], '{');
		json_bool(&j, "allowed", s->access[i].allowed);
		json_value(&j, "reason", JSON_STRING,
		    s->access[i].reason);
		json_close(&j, '{');
	}
	json_close(&j, '{');
	if (!s->procs_known)
		json_value(&j, "attached", JSON_STRING, NULL);
	else {
		json_open(&j, "attached", '[');
		for (i = 0; i < s->nprocs; i++) {
			json_open(&j, NULL, '{');
			json_uint(&j, "pid", (uint64_t)s->procs[i].pid);
			if (SEGCOL_HAS(&s->info, SEGCOL_NPROCS)) {
				json_uint(&j, "maps", s->procs[i].maps);
				json_uint(&j, "fds", s->procs[i].fds);
			}
			json_value(&j, "command", JSON_STRING,
			    s->procs[i].command);
			json_close(&j, '{');
		}
		json_close(&j, '[');
	}
	json_end(&j);
}

static int
stat_segment(struct obj_sel *sel, bool json)
{
	struct stat_report s;
	uint64_t seen = 0;
	size_t i;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = obj_lookup(sel, &s.info, 0)) != EXIT_SHM_OK)
		return rc;
	if (!s.info.mem_known)
		add_memory(&s.info);
	if (obj_page_size(&s.info, &s.info.page_size) != 0)
		s.info.page_size = 0;
	obj_access(&s.info, s.access);
	s.procs_known = obj_attached(&s.info, &s.procs, &s.nprocs) == 0;
	/* a process that holds a POSIX object open maps it 0 times */
	for (i = 0; i < s.nprocs; i++)
		seen += s.procs[i].maps > 0 ? s.procs[i].maps : 1;
	if (s.procs_known && s.info.nattch > seen)
		s.hidden = s.info.nattch - seen;
	if (json)
		print_json(&s);
	else
		rc = print_human(&s);
	obj_free_procs(s.procs, s.nprocs);
	obj_free_verdicts(s.access);
	return rc;
}

int
cmd_stat(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	bool json = false;
	poptContext ctx;
	int ret;

	ctx = opt_context(argc, argv, options, "SELECTOR [--json]");
	if (!opt_parse(ctx, &sels, opt_take_switch, &json,
	    OPT_NO_OPERANDS, &ret))
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	ret = stat_segment(&sels.sel[0], json);
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
