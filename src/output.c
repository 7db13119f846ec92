/*
 * Messages, raw I/O loops and the check of stdout at exit.
 */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "output.h"
#include "object.h"

static const char *command;

void
msg_set_command(const char *name)
{
	command = name;
}

const char *
msg_command(void)
{
	return command;
}

static void out_of_memory(void);

/* The length of the UTF-8 sequence at p, or 0 when it is not one. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned int c = p[0];

	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* no overlong forms, no UTF-16 surrogates */
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f))
			return 0;
		return (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* no overlong forms, nothing above U+10FFFF */
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		return (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
		    (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

void
msg_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p == '\r')
			fputs("\\r", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else if (*p < 0x80)
			putc(*p, fp);
		else if ((n = utf8_len(p)) > 0 &&
		    !(p[0] == 0xc2 && p[1] < 0xa0)) {	/* not C1 */
			fwrite(p, 1, n, fp);
			p += n;
			continue;
		} else
			fprintf(fp, "\\x%02x", *p);
		p++;
	}
}

/*
 * Formats a message, for msg_escape(): in buf when it fits, else in memory
 * that the caller frees (cut to buf when there is none to be had).
 */
static char *
vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
	va_list aq;
	char *big;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(buf, len, fmt, aq);
	va_end(aq);
	if (n < 0 || (size_t)n < len)
		return buf;
	if ((big = malloc((size_t)n + 1)) == NULL)
		return buf;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	return big;
}

static void
vline(const char *head, const char *fmt, va_list ap)
{
	char buf[512], *text;

	text = vformat(buf, sizeof(buf), fmt, ap);
	fputs(head, stderr);
	msg_escape(stderr, text);
	fputc('\n', stderr);
	if (text != buf)
		free(text);
}

static void
vmsg(const char *fmt, va_list ap)
{
	if (command != NULL)
		fprintf(stderr, "shm %s: ", command);
	else
		fputs("shm: ", stderr);
	vline("", fmt, ap);
}

int
msg_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return code;
}

void
msg_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int
msg_usage_hint(void)
{
	if (command != NULL)
		fprintf(stderr, "hint: see 'shm %s --help'\n", command);
	else
		fputs("hint: see 'shm --help'\n", stderr);
	return EXIT_SHM_USAGE;
}

int
msg_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return msg_usage_hint();
}

void
msg_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("hint: ", fmt, ap);
	va_end(ap);
}

int
edit_distance(const char *typed, const char *candidate)
{
	size_t len1 = strlen(typed), len2 = strlen(candidate), i, j;
	int *rows, *prev2, *prev, *cur, *t, d;

	/* three rows of the matrix: a swap looks two rows back */
	if ((rows = calloc(3 * (len2 + 1), sizeof(*rows))) == NULL)
		out_of_memory();
	prev2 = rows;
	prev = rows + len2 + 1;
	cur = rows + 2 * (len2 + 1);
	for (j = 0; j <= len2; j++)
		prev[j] = (int)j;			/* insertions */
	for (i = 0; i < len1; i++) {
		cur[0] = 3 * (int)(i + 1);		/* deletions */
		for (j = 0; j < len2; j++) {
			d = prev[j] + (typed[i] != candidate[j] ? 2 : 0);
			if (i > 0 && j > 0 && typed[i - 1] == candidate[j] &&
			    typed[i] == candidate[j - 1] && prev2[j - 1] < d)
				d = prev2[j - 1];	/* a swap is free */
			if (prev[j + 1] + 3 < d)
				d = prev[j + 1] + 3;
			if (cur[j] + 1 < d)
				d = cur[j] + 1;
			cur[j + 1] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[len2];
	free(rows);
	return d;
}

/* git's "empirically derived magic number": a score must be below it. */
#define SIMILARITY_FLOOR	7

size_t
closest_names(const char *typed, const char *const *names, size_t n,
    bool *pick)
{
	size_t i, len = strlen(typed), prefixes = 0, count = 0;
	int best = SIMILARITY_FLOOR, score;

	for (i = 0; i < n; i++) {
		pick[i] = false;
		if (strncmp(names[i], typed, len) == 0)
			prefixes++;
	}
	if (prefixes == n)
		return 0;		/* typed begins them all: no guess */
	for (i = 0; i < n; i++) {
		score = strncmp(names[i], typed, len) == 0 ? 0 :
		    edit_distance(typed, names[i]) + 1;
		if (score < best) {
			best = score;
			memset(pick, 0, i * sizeof(*pick));
			count = 0;
		}
		if (score == best) {
			pick[i] = true;
			count++;
		}
	}
	return count;
}

size_t
msg_did_you_mean(const char *typed, const char *const *names, size_t n,
    const char *prefix)
{
	char *text = NULL;
	size_t len, count, i, k = 0;
	bool *pick;
	FILE *fp;

	if (n == 0)
		return 0;
	if ((pick = calloc(n, sizeof(*pick))) == NULL)
		out_of_memory();
	if ((count = closest_names(typed, names, n, pick)) == 0 ||
	    (fp = open_memstream(&text, &len)) == NULL) {
		free(pick);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (!pick[i])
			continue;
		k++;
		fprintf(fp, "%s'%s%s'", k == 1 ? "" : k == count ? " or " :
		    ", ", prefix, names[i]);
	}
	if (fclose(fp) == 0)
		msg_hint("did you mean %s?", text);
	free(text);
	free(pick);
	return count;
}

int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t
read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
close_stdout(int rc)
{
	int flush_errno = 0;

	if (fflush(stdout) != 0)
		flush_errno = errno;
	if (flush_errno == 0 && !ferror(stdout))
		return rc;
	if (flush_errno == 0)
		flush_errno = EIO;
	/*
	 * SIGPIPE ends us quietly; EPIPE means it was blocked, and output
	 * was lost: say so, as cat(1) does.
	 */
	msg_error(EXIT_SHM_FAIL, "write error: %s", strerror(flush_errno));
	return EXIT_SHM_FAIL;
}

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

static void
out_of_memory(void)
{
	msg_error(EXIT_SHM_FAIL, "out of memory");
	exit(EXIT_SHM_FAIL);
}

char *
xstrf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	size_t len;
	FILE *fp;

	if ((fp = open_memstream(&s, &len)) == NULL)
		out_of_memory();
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	if (ferror(fp) | fclose(fp))
		out_of_memory();
	return s;
}

/*
 * libsmartcols, loaded by the first table_new() rather than linked: only
 * ls, stat and limits print tables, and scripts call the other commands in
 * loops, where mapping and relocating one more library at each start costs
 * about 13 % of a short command (scripts/bench).
 */
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
	msg_hint("install it: apt-get install libsmartcols1");
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
	if ((out = malloc(strlen(s) + 2 * bad + 1)) == NULL)
		out_of_memory();
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

/* Names of users and groups. */

struct name_cache {
	struct {
		unsigned int	 id;
		char		*name;		/* NULL: the id has none */
	}		*v;
	size_t		 n, cap;
	size_t		 last;
};

static struct name_cache user_names, group_names;

/* The entry for id, or NULL when it is not cached yet. */
static char **
cache_find(struct name_cache *c, unsigned int id)
{
	size_t i;

	if (c->last < c->n && c->v[c->last].id == id)
		return &c->v[c->last].name;
	for (i = 0; i < c->n; i++)
		if (c->v[i].id == id) {
			c->last = i;
			return &c->v[i].name;
		}
	return NULL;
}

static const char *
cache_add(struct name_cache *c, unsigned int id, const char *name)
{
	void *nv;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		if ((nv = realloc(c->v, c->cap * sizeof(*c->v))) == NULL)
			out_of_memory();
		c->v = nv;
	}
	c->v[c->n].id = id;
	c->v[c->n].name = NULL;
	if (name != NULL && (c->v[c->n].name = strdup(name)) == NULL)
		out_of_memory();
	c->last = c->n;
	return c->v[c->n++].name;
}

const char *
uid_name(uid_t uid)
{
	struct passwd *pw;
	char **p;

	if ((p = cache_find(&user_names, (unsigned int)uid)) != NULL)
		return *p;
	pw = getpwuid(uid);
	return cache_add(&user_names, (unsigned int)uid,
	    pw != NULL ? pw->pw_name : NULL);
}

const char *
gid_name(gid_t gid)
{
	struct group *gr;
	char **p;

	if ((p = cache_find(&group_names, (unsigned int)gid)) != NULL)
		return *p;
	gr = getgrgid(gid);
	return cache_add(&group_names, (unsigned int)gid,
	    gr != NULL ? gr->gr_name : NULL);
}

/* The columns of a segment. */

const struct seg_column seg_columns[SEGCOL_COUNT] = {
	[SEGCOL_KEY] = { "KEY", JSON_STRING, 0,
	    "the key, 0x%08x (0x00000000: private, or marked for removal)" },
	[SEGCOL_ID] = { "ID", JSON_NUMBER, COLUMN_RIGHT,
	    "the segment id" },
	[SEGCOL_OWNER] = { "OWNER", JSON_STRING, 0,
	    "the owner's user name (or uid)" },
	[SEGCOL_PERMS] = { "PERMS", JSON_STRING, 0,
	    "permission bits, rw-r-----" },
	[SEGCOL_SIZE] = { "SIZE", JSON_NUMBER, COLUMN_RIGHT,
	    "size (in bytes with --bytes, and in JSON)" },
	[SEGCOL_NATTCH] = { "NATTCH", JSON_NUMBER, COLUMN_RIGHT,
	    "number of attachments" },
	[SEGCOL_STATUS] = { "STATUS", JSON_STRING, 0,
	    "dest (marked for removal), locked (SHM_LOCK), or -" },
	[SEGCOL_MODE] = { "MODE", JSON_STRING, COLUMN_RIGHT,
	    "permission bits in octal, 0640" },
	[SEGCOL_GROUP] = { "GROUP", JSON_STRING, 0,
	    "the owner's group name (or gid)" },
	[SEGCOL_UID] = { "UID", JSON_NUMBER, COLUMN_RIGHT,
	    "the owner's uid" },
	[SEGCOL_GID] = { "GID", JSON_NUMBER, COLUMN_RIGHT,
	    "the owner's gid" },
	[SEGCOL_CUID] = { "CUID", JSON_NUMBER, COLUMN_RIGHT,
	    "the creator's uid" },
	[SEGCOL_CGID] = { "CGID", JSON_NUMBER, COLUMN_RIGHT,
	    "the creator's gid" },
	[SEGCOL_CPID] = { "CPID", JSON_NUMBER, COLUMN_RIGHT,
	    "the pid of the creator" },
	[SEGCOL_LPID] = { "LPID", JSON_NUMBER, COLUMN_RIGHT,
	    "the pid of the last attach or detach" },
	[SEGCOL_ATIME] = { "ATIME", JSON_NUMBER, 0,
	    "last attach (local time; epoch seconds in JSON)" },
	[SEGCOL_DTIME] = { "DTIME", JSON_NUMBER, 0,
	    "last detach" },
	[SEGCOL_CTIME] = { "CTIME", JSON_NUMBER, 0,
	    "creation or last change (chmod, chown)" },
	[SEGCOL_RSS] = { "RSS", JSON_NUMBER, COLUMN_RIGHT,
	    "bytes resident in memory (from /proc only)" },
	[SEGCOL_SWAP] = { "SWAP", JSON_NUMBER, COLUMN_RIGHT,
	    "bytes swapped out (from /proc only)" },
};

int
seg_column_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < SEGCOL_COUNT; i++)
		if (strlen(seg_columns[i].name) == len &&
		    strncasecmp(seg_columns[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/*
 * Puts v in decimal (with a '-' when neg) into buf, which has room for 22
 * bytes.  A listing formats tens of thousands of numbers, and snprintf()
 * spends most of its time parsing its format.
 */
static const char *
put_num(char *buf, uint64_t v, bool neg)
{
	char tmp[21], *p = tmp + sizeof(tmp);
	size_t n;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static const char *
put_int(char *buf, long long v)
{
	return put_num(buf, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

static const char *
size_text(uint64_t v, int how, char *buf)
{
	if (how & (SEGCOL_AS_JSON | SEGCOL_AS_BYTES))
		return put_num(buf, v, false);
	return format_human(v, buf);
}

/*
 * A time for a table: ISO 8601 in local time, with a T so that a raw
 * table keeps one word per cell, and no locale in it.
 */
static const char *
time_text(time_t t, int how, char *buf, size_t len)
{
	struct tm tm;

	if (how & SEGCOL_AS_JSON) {
		if (t == 0)
			return NULL;
		put_int(buf, (long long)t);
	} else if (t == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "-");
	return buf;
}

const char *
seg_column_text(const struct obj_info *r, enum seg_col col, int how,
    char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *name;
	uint32_t key;
	int i;

	/* Every value but a name fits in 32 bytes; see put_num(). */
	if (len < 32)
		return NULL;
	switch (col) {
	case SEGCOL_KEY:
		key = (uint32_t)r->key;
		memcpy(buf, "0x", 2);
		for (i = 0; i < 8; i++)
			buf[2 + i] = hex[key >> (28 - 4 * i) & 0xf];
		buf[10] = '\0';
		return buf;
	case SEGCOL_ID:
		return put_int(buf, r->id);
	case SEGCOL_OWNER:
		if ((name = uid_name(r->uid)) != NULL)
			return name;
		return put_num(buf, (unsigned int)r->uid, false);
	case SEGCOL_PERMS:
		return format_perms(r->mode, buf);
	case SEGCOL_SIZE:
		return size_text(r->size, how, buf);
	case SEGCOL_NATTCH:
		return put_num(buf, r->nattch, false);
	case SEGCOL_STATUS:
		if ((r->mode & (OBJ_MODE_DEST | OBJ_MODE_LOCKED)) == 0)
			return (how & SEGCOL_AS_JSON) ? NULL : "-";
		if ((r->mode & OBJ_MODE_LOCKED) == 0)
			return "dest";
		if ((r->mode & OBJ_MODE_DEST) == 0)
			return "locked";
		return "dest,locked";
	case SEGCOL_MODE:
		snprintf(buf, len, "%04o", r->mode & 0777);
		return buf;
	case SEGCOL_GROUP:
		if ((name = gid_name(r->gid)) != NULL)
			return name;
		return put_num(buf, (unsigned int)r->gid, false);
	case SEGCOL_UID:
		return put_num(buf, (unsigned int)r->uid, false);
	case SEGCOL_GID:
		return put_num(buf, (unsigned int)r->gid, false);
	case SEGCOL_CUID:
		return put_num(buf, (unsigned int)r->cuid, false);
	case SEGCOL_CGID:
		return put_num(buf, (unsigned int)r->cgid, false);
	case SEGCOL_CPID:
		return put_int(buf, r->cpid);
	case SEGCOL_LPID:
		return put_int(buf, r->lpid);
	case SEGCOL_ATIME:
		return time_text(r->atime, how, buf, len);
	case SEGCOL_DTIME:
		return time_text(r->dtime, how, buf, len);
	case SEGCOL_CTIME:
		return time_text(r->ctime, how, buf, len);
	case SEGCOL_RSS:
	case SEGCOL_SWAP:
		if (!r->mem_known)
			return (how & SEGCOL_AS_JSON) ? NULL : "-";
		return size_text(col == SEGCOL_RSS ? r->rss : r->swap, how,
		    buf);
	default:
		return NULL;
	}
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
	fprintf(j->fp, "%s\n%*s", j->first ? "" : ",", j->depth * 3, "");
	j->first = false;
	if (key != NULL) {
		json_string_out(j->fp, key);
		fputs(": ", j->fp);
	}
}

void
json_begin(struct json *j, FILE *fp)
{
	j->fp = fp;
	j->depth = 1;
	j->first = true;
	putc('{', fp);
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
	if (!j->first)
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
