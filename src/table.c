/*
 * Tables through libsmartcols, loaded on first use, and JSON by hand.
 */
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "table.h"

/* Tables. */

/*
 * table_column() hands its JSON_* and COLUMN_* to libsmartcols as they are.
 * (The casts keep gcc from comparing two enums.)
 */
_Static_assert((int)JSON_STRING == SCOLS_JSON_STRING &&
    (int)JSON_NUMBER == SCOLS_JSON_NUMBER &&
    (int)JSON_BOOLEAN == SCOLS_JSON_BOOLEAN, "JSON_* are not SCOLS_JSON_*");
_Static_assert((int)COLUMN_RIGHT == SCOLS_FL_RIGHT,
    "COLUMN_RIGHT is not SCOLS_FL_RIGHT");


/*
 * libsmartcols, loaded by the first table_new() rather than linked: only
 * ls, stat and limits print tables, and scripts call the other commands in
 * loops, where mapping and relocating one more library at each start is a
 * measurable part of a short command (scripts/bench).
 *
 * The note below names the library for packaging tools, which cannot see
 * a dlopen() (the ELF note of dlopen'ed libraries, as systemd writes it;
 * readelf -n shows it).
 */
#define DLOPEN_NOTE_OWNER	"FDO"
#define DLOPEN_NOTE_TYPE	UINT32_C(0x407c0c0a)
#define DLOPEN_NOTE_JSON	"[{\"feature\":\"smartcols\"," \
	"\"description\":\"tables and JSON output\"," \
	"\"priority\":\"required\"," \
	"\"soname\":[\"libsmartcols.so.1\"]}]"

__attribute__((used, section(".note.dlopen")))
_Alignas(uint32_t) static const struct {
	struct {
		uint32_t	 n_namesz, n_descsz, n_type;
	}		 nhdr;
	char		 name[sizeof(DLOPEN_NOTE_OWNER)];
	_Alignas(uint32_t) char json[sizeof(DLOPEN_NOTE_JSON)];
} dlopen_note = {
	.nhdr = {
		.n_namesz = sizeof(DLOPEN_NOTE_OWNER),
		.n_descsz = sizeof(DLOPEN_NOTE_JSON),
		.n_type = DLOPEN_NOTE_TYPE,
	},
	.name = DLOPEN_NOTE_OWNER,
	.json = DLOPEN_NOTE_JSON,
};

static struct smartcols {
	__typeof__(scols_new_table)		*new_table;
	__typeof__(scols_unref_table)		*unref_table;
	__typeof__(scols_table_set_name)	*table_set_name;
	__typeof__(scols_table_set_stream)	*table_set_stream;
	__typeof__(scols_table_enable_json)	*table_enable_json;
	__typeof__(scols_table_enable_raw)	*table_enable_raw;
	__typeof__(scols_table_enable_noheadings) *table_enable_noheadings;
	__typeof__(scols_table_is_json)		*table_is_json;
	__typeof__(scols_table_is_noheadings)	*table_is_noheadings;
	__typeof__(scols_table_new_column)	*table_new_column;
	__typeof__(scols_table_get_column)	*table_get_column;
	__typeof__(scols_table_get_ncols)	*table_get_ncols;
	__typeof__(scols_table_new_line)	*table_new_line;
	__typeof__(scols_table_get_nlines)	*table_get_nlines;
	__typeof__(scols_column_set_json_type)	*column_set_json_type;
	__typeof__(scols_column_get_header)	*column_get_header;
	__typeof__(scols_line_set_data)		*line_set_data;
	__typeof__(scols_line_set_userdata)	*line_set_userdata;
	__typeof__(scols_line_get_userdata)	*line_get_userdata;
	__typeof__(scols_cell_get_data)		*cell_get_data;
	__typeof__(scols_print_table)		*print_table;
} scols;

#define SCOLS_FN(f)	{ "scols_" #f, offsetof(struct smartcols, f) }
static const struct {
	const char	*name;
	size_t		 offset;		/* of its pointer in scols */
} scols_fns[] = {
	SCOLS_FN(new_table),
	SCOLS_FN(unref_table),
	SCOLS_FN(table_set_name),
	SCOLS_FN(table_set_stream),
	SCOLS_FN(table_enable_json),
	SCOLS_FN(table_enable_raw),
	SCOLS_FN(table_enable_noheadings),
	SCOLS_FN(table_is_json),
	SCOLS_FN(table_is_noheadings),
	SCOLS_FN(table_new_column),
	SCOLS_FN(table_get_column),
	SCOLS_FN(table_get_ncols),
	SCOLS_FN(table_new_line),
	SCOLS_FN(table_get_nlines),
	SCOLS_FN(column_set_json_type),
	SCOLS_FN(column_get_header),
	SCOLS_FN(line_set_data),
	SCOLS_FN(line_set_userdata),
	SCOLS_FN(line_get_userdata),
	SCOLS_FN(cell_get_data),
	SCOLS_FN(print_table),
};
#undef SCOLS_FN

/*
 * Loads libsmartcols and fills scols, once.  Without the library no table
 * can be printed, so it ends the program here, as out_of_memory() does,
 * rather than have every caller of table_new() check for it.
 */
static void
scols_load(void)
{
	static bool loaded;
	void *lib, *fn;
	size_t i;

	if (loaded)
		return;
	if ((lib = dlopen("libsmartcols.so.1", RTLD_NOW | RTLD_LOCAL)) == NULL)
		goto fail;
	for (i = 0; i < sizeof(scols_fns) / sizeof(scols_fns[0]); i++) {
		if ((fn = dlsym(lib, scols_fns[i].name)) == NULL)
			goto fail;
		/*
		 * ISO C has no conversion from void * to a function pointer;
		 * POSIX makes them alike, so copy the bytes.
		 */
		memcpy((char *)&scols + scols_fns[i].offset, &fn, sizeof(fn));
	}
	loaded = true;
	return;
fail:
	msg_error(EXIT_SHM_FAIL, "cannot load libsmartcols.so.1: %s",
	    dlerror());
	msg_hint("install libsmartcols (util-linux)");
	exit(EXIT_SHM_FAIL);
}

struct libscols_table *
table_new(const char *name, int flags)
{
	struct libscols_table *tb;

	scols_load();
	/*
	 * A table shows names in the user's character set (libsmartcols
	 * shows what the C locale cannot print as \xNN); only LC_CTYPE, so
	 * numbers and times stay as they are, and only here, so that the
	 * commands that print no table pay nothing for it.  JSON and raw
	 * output do not depend on it.
	 */
	if (!(flags & (TABLE_JSON | TABLE_RAW)))
		(void)setlocale(LC_CTYPE, "");
	if ((tb = scols.new_table()) == NULL ||
	    scols.table_set_name(tb, name) != 0 ||
	    scols.table_set_stream(tb, stdout) != 0)
		out_of_memory();
	if (flags & TABLE_JSON)
		scols.table_enable_json(tb, 1);
	if (flags & TABLE_RAW)
		scols.table_enable_raw(tb, 1);
	if (flags & TABLE_NOHEADINGS)
		scols.table_enable_noheadings(tb, 1);
	return tb;
}

void
table_column(struct libscols_table *tb, const char *name, int json_type,
    int flags)
{
	struct libscols_column *cl;

	if ((cl = scols.table_new_column(tb, name, 0, flags)) == NULL ||
	    scols.column_set_json_type(cl, json_type) != 0)
		out_of_memory();
}

struct libscols_line *
table_line(struct libscols_table *tb)
{
	struct libscols_line *ln;

	if ((ln = scols.table_new_line(tb, NULL)) == NULL)
		out_of_memory();
	/* table_cell() needs to know: the line's mark, non-NULL for JSON */
	scols.line_set_userdata(ln, scols.table_is_json(tb) ? tb : NULL);
	return ln;
}

/*
 * A copy of s with each byte that is not part of UTF-8 replaced by U+FFFD,
 * or NULL when s is UTF-8 already.  libsmartcols writes the bytes of a
 * JSON string as they are.
 */
static char *
utf8_fixed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, bad = 0;
	char *out, *o;

	for (; *p != '\0'; p += n)
		if (*p < 0x80)
			n = 1;
		else if ((n = utf8_len(p)) == 0) {
			bad++;
			n = 1;
		}
	if (bad == 0)
		return NULL;
	/* each bad byte becomes three: EF BF BD */
	out = xmalloc(strlen(s) + 2 * bad + 1);
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p += n) {
		if (*p < 0x80)
			n = 1;
		else if ((n = utf8_len(p)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
			continue;
		}
		memcpy(o, p, n);
		o += n;
	}
	*o = '\0';
	return out;
}

void
table_cell(struct libscols_line *ln, size_t n, const char *text)
{
	char *fixed = NULL;

	if (text == NULL)
		return;
	if (scols.line_get_userdata(ln) != NULL &&
	    (fixed = utf8_fixed(text)) != NULL)
		text = fixed;
	if (scols.line_set_data(ln, n, text) != 0)
		out_of_memory();
	free(fixed);
}

int
table_print(struct libscols_table *tb)
{
	struct libscols_column *cl;
	size_t i, n;
	int rc = 0;

	if (scols.table_get_nlines(tb) == 0 && !scols.table_is_json(tb)) {
		/* libsmartcols prints nothing for an empty table */
		n = scols.table_get_ncols(tb);
		for (i = 0; i < n && !scols.table_is_noheadings(tb); i++) {
			cl = scols.table_get_column(tb, i);
			printf("%s%s", i > 0 ? " " : "", scols.cell_get_data(
			    scols.column_get_header(cl)));
			if (i + 1 == n)
				putchar('\n');
		}
	} else
		rc = scols.print_table(tb);
	scols.unref_table(tb);
	if (rc != 0)
		return msg_error(EXIT_SHM_FAIL, "cannot print the table: %s",
		    strerror(rc < 0 ? -rc : rc));
	return EXIT_SHM_OK;
}

void
table_free(struct libscols_table *tb)
{
	scols.unref_table(tb);
}

/* JSON by hand. */

static void
json_string_out(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	putc('"', fp);
	while (*p != '\0') {
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else if (*p < 0x80)
				putc(*p, fp);
			else if ((n = utf8_len(p)) > 0) {
				fwrite(p, 1, n, fp);
				p += n;
				continue;
			} else
				fputs("\\ufffd", fp);
			break;
		}
		p++;
	}
	putc('"', fp);
}

/* The comma, new line and indent before a member, and its key. */
static void
json_member(struct json *j, const char *key)
{
	if (j->compact)
		fputs(j->first ? "" : ",", j->fp);
	else
		fprintf(j->fp, "%s\n%*s", j->first ? "" : ",", j->depth * 3,
		    "");
	j->first = false;
	if (key != NULL) {
		json_string_out(j->fp, key);
		fputs(j->compact ? ":" : ": ", j->fp);
	}
}

void
json_begin(struct json *j, FILE *fp)
{
	j->fp = fp;
	j->depth = 1;
	j->first = true;
	j->compact = false;
	putc('{', fp);
}

void
json_begin_line(struct json *j, FILE *fp)
{
	json_begin(j, fp);
	j->compact = true;
}

void
json_end(struct json *j)
{
	json_close(j, '{');
	putc('\n', j->fp);
}

void
json_open(struct json *j, const char *key, char bracket)
{
	json_member(j, key);
	putc(bracket, j->fp);
	j->depth++;
	j->first = true;
}

void
json_close(struct json *j, char bracket)
{
	j->depth--;
	if (!j->first && !j->compact)
		fprintf(j->fp, "\n%*s", j->depth * 3, "");
	putc(bracket == '[' ? ']' : bracket == '{' ? '}' : bracket, j->fp);
	j->first = false;
}

void
json_value(struct json *j, const char *key, int json_type, const char *text)
{
	json_member(j, key);
	if (text == NULL)
		fputs("null", j->fp);
	else if (json_type == JSON_NUMBER)
		fputs(text, j->fp);
	else if (json_type == JSON_BOOLEAN)
		fputs(*text != '\0' && strcmp(text, "0") != 0 ? "true" :
		    "false", j->fp);
	else
		json_string_out(j->fp, text);
}

void
json_uint(struct json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	fprintf(j->fp, "%" PRIu64, v);
}

void
json_bool(struct json *j, const char *key, bool v)
{
	json_member(j, key);
	fputs(v ? "true" : "false", j->fp);
}
