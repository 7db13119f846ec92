/*
 * Messages, raw I/O and the check of stdout at exit.  Diagnostics go to
 * stderr as "shm COMMAND: what failed: why", then "hint: ..." lines.
 */
#ifndef SHM_OUTPUT_H
#define SHM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit statuses of shm(1). */
enum {
	EXIT_SHM_OK = 0,
	EXIT_SHM_FAIL = 1,	/* I/O error on stdout, unexpected system error */
	EXIT_SHM_USAGE = 2,	/* bad command line */
	EXIT_SHM_NOENT = 3,	/* no such segment, or ftok's file is missing */
	EXIT_SHM_PERM = 4,	/* permission denied */
	EXIT_SHM_EXISTS = 5,	/* create --exclusive of a taken key */
	EXIT_SHM_SIZE = 6,	/* size, offset or kernel limit */
	EXIT_SHM_UNMET = 7,	/* wait or lock timed out, cas found another */
};

#define PRINTF_LIKE(f, a)	__attribute__((format(printf, f, a)))

/* Sets the command named in messages ("create" gives "shm create: "). */
void	msg_set_command(const char *);

/* The command set by msg_set_command(), or NULL before one is chosen. */
const char *msg_command(void);

/* Prints "shm CMD: <message>" on stderr and returns code. */
int	msg_error(int code, const char *, ...) PRINTF_LIKE(2, 3);

/*
 * Prints a usage error, then a hint naming "shm CMD --help", and returns
 * EXIT_SHM_USAGE.
 */
int	msg_usage(const char *, ...) PRINTF_LIKE(1, 2);

/* Prints the hint of msg_usage() alone; returns EXIT_SHM_USAGE. */
int	msg_usage_hint(void);

/* Prints "hint: <message>" on stderr. */
void	msg_hint(const char *, ...) PRINTF_LIKE(1, 2);

/* Prints "shm CMD: <message>" on stderr, for notes that are not failures. */
void	msg_note(const char *, ...) PRINTF_LIKE(1, 2);

/*
 * Formats as printf(3) into a string of any length, built with
 * open_memstream(3), so that no name or list in a message is cut; free() it.
 * Running out of memory ends the program with a message.
 */
char	*xstrf(const char *, ...) PRINTF_LIKE(1, 2);

/*
 * Every msg_*() prints one line: what a terminal would act on is shown
 * escaped (see msg_escape()), so that a name or a path cannot break a
 * message in two or send escape sequences.  A second line is a second
 * call (msg_hint()).
 */

/*
 * Writes s to fp as a message shows it: a new line, tab and carriage
 * return as \n, \t and \r, other control characters (C1 ones, U+0080 to
 * U+009F, too) and each byte that is not part of UTF-8 as \xNN; UTF-8
 * passes as it is.
 */
void	msg_escape(FILE *fp, const char *s);

/*
 * git's weighted Damerau-Levenshtein distance (help.c) from what was typed
 * to a candidate: a swap of two neighbours costs 0, a substitution 2, an
 * insertion 1 and a deletion 3.
 */
int	edit_distance(const char *typed, const char *candidate);

/*
 * Sets pick[i] for the names closest to typed, as git chooses the commands
 * it suggests: a name that begins with typed scores 0, any other its
 * edit_distance() + 1, and the names with the best score are picked when
 * it is below 7 (unless typed begins every name).  Returns how many.
 */
size_t	closest_names(const char *typed, const char *const *names, size_t n,
	    bool *pick);

/*
 * Prints "hint: did you mean 'PREFIXNAME'?" naming the names closest to
 * typed (closest_names()), or nothing when none is close.  Returns how
 * many it named.
 */
size_t	msg_did_you_mean(const char *typed, const char *const *names,
	    size_t n, const char *prefix);

/*
 * Writes all n bytes, retrying after EINTR and short writes.  Returns 0, or
 * -1 with errno set.
 */
int	write_all(int fd, const void *, size_t n);

/*
 * Reads until n bytes or end of file, retrying after EINTR.  Returns the
 * number of bytes read (less than n only at end of file), or -1 with errno
 * set.
 */
ssize_t	read_all(int fd, void *, size_t n);

/*
 * Flushes stdout and checks it for errors.  Returns rc unchanged when all is
 * well; otherwise prints "write error" with the cause and returns
 * EXIT_SHM_FAIL.  A closed pipe (EPIPE, SIGPIPE being blocked) is an error
 * too, as in cat(1): output was lost.
 */
int	close_stdout(int rc);

/*
 * Tables, through libsmartcols (as lsipc(1) prints them).  Only output.c
 * knows the library: it loads it on the first table_new(), so that the
 * commands that print no table do not pay for it at start-up.
 */

struct libscols_table;
struct libscols_line;
struct obj_info;

enum {
	TABLE_JSON = 1 << 0,		/* {"NAME":[{...},...]} */
	TABLE_RAW = 1 << 1,		/* one blank between cells */
	TABLE_NOHEADINGS = 1 << 2,
};

/* The type of a value in JSON, for columns and json_value(). */
enum {
	JSON_STRING = 0,
	JSON_NUMBER = 1,
	JSON_BOOLEAN = 2,
};

/* Flags of a column. */
enum {
	COLUMN_RIGHT = 1 << 2,		/* aligned to the right */
};

/*
 * Makes a table printed to stdout; name is its key in JSON.  Running out of
 * memory here, or in the other table_*() functions, ends the program with
 * a message: a half-built table is of no use.  So does failing to load
 * libsmartcols.so.1.
 */
struct libscols_table *table_new(const char *name, int flags);

/* Adds a column; json_type is a JSON_*, flags COLUMN_*. */
void	table_column(struct libscols_table *, const char *name, int json_type,
	    int flags);

/* Adds a line. */
struct libscols_line *table_line(struct libscols_table *);

/* Sets cell n to a copy of text; NULL leaves it empty (null in JSON). */
void	table_cell(struct libscols_line *, size_t n, const char *text);

/*
 * Prints the table (its header alone when it has no lines, as libsmartcols
 * prints nothing then) and frees it.  Returns EXIT_SHM_OK, or EXIT_SHM_FAIL
 * after a message.
 */
int	table_print(struct libscols_table *);

/*
 * The names of users and groups, each looked up once (a listing shows the
 * same few owners on thousands of rows).  NULL when the id has no name.
 */
const char *uid_name(uid_t);
const char *gid_name(gid_t);

/* The columns of shm ls, which are also the keys of shm stat --json. */
enum seg_col {
	SEGCOL_KEY,
	SEGCOL_ID,
	SEGCOL_OWNER,
	SEGCOL_PERMS,
	SEGCOL_SIZE,
	SEGCOL_NATTCH,
	SEGCOL_STATUS,
	SEGCOL_MODE,
	SEGCOL_GROUP,
	SEGCOL_UID,
	SEGCOL_GID,
	SEGCOL_CUID,
	SEGCOL_CGID,
	SEGCOL_CPID,
	SEGCOL_LPID,
	SEGCOL_ATIME,
	SEGCOL_DTIME,
	SEGCOL_CTIME,
	SEGCOL_RSS,
	SEGCOL_SWAP,
	SEGCOL_COUNT,
};

struct seg_column {
	const char	*name;		/* "KEY"; lower case in JSON */
	int		 json_type;	/* JSON_* */
	int		 flags;		/* COLUMN_* */
	const char	*help;
};

extern const struct seg_column seg_columns[SEGCOL_COUNT];

/* The column named name (len bytes, any case), or -1. */
int	seg_column_find(const char *name, size_t len);

/* How seg_column_text() writes a value. */
#define SEGCOL_AS_JSON	0x1	/* bytes, epoch seconds, NULL for null */
#define SEGCOL_AS_BYTES	0x2	/* sizes in bytes, not 1.5K */

/*
 * The value of column col for a segment, as text for a table ("-" for a
 * time never set) or, with SEGCOL_AS_JSON, as the text of a JSON value of
 * the column's type: in buf (at least 32 bytes), or in static or cached
 * storage.  NULL for a JSON null.
 */
const char *seg_column_text(const struct obj_info *, enum seg_col col,
	    int how, char *buf, size_t len);

/*
 * One JSON object written by hand, for the shapes libsmartcols cannot make
 * (it writes only {"NAME":[rows]}, nesting rows as "children" with the
 * columns of their parent): nested objects and arrays of objects.
 */
struct json {
	FILE		*fp;
	int		 depth;
	bool		 first;		/* nothing yet in the open container */
};

/* Starts the top-level object on fp. */
void	json_begin(struct json *, FILE *);

/* Ends the top-level object and the line. */
void	json_end(struct json *);

/* Opens an object ('{') or array ('[') as the value of key (NULL in arrays). */
void	json_open(struct json *, const char *key, char bracket);

/* Closes what json_open() opened. */
void	json_close(struct json *, char bracket);

/*
 * Writes key and a value: text as a string (escaped; bytes that are not
 * UTF-8 become U+FFFD), or as is for JSON_NUMBER and JSON_BOOLEAN
 * ("1"/"0" give true/false); NULL gives null.
 */
void	json_value(struct json *, const char *key, int json_type,
	    const char *text);

/* Writes key and a number, or a boolean. */
void	json_uint(struct json *, const char *key, uint64_t);
void	json_bool(struct json *, const char *key, bool);

#endif
