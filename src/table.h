/*
 * Tables through libsmartcols, and the one JSON writer for what they
 * cannot shape.  Every JSON document shm prints comes from here.
 */
#ifndef SHM_TABLE_H
#define SHM_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msg.h"

/*
 * Tables, through libsmartcols (as lsipc(1) prints them).  Only table.c
 * knows the library: it loads it on the first table_new(), so that the
 * commands that print no table do not pay for it at start-up.
 */

struct libscols_table;
struct libscols_line;

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
	COLUMN_TRUNC = 1 << 0,		/* may be cut to fit a terminal */
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

/* Frees a table without printing it (after a failure). */
void	table_free(struct libscols_table *);

/*
 * One JSON object written by hand, for the shapes libsmartcols cannot make
 * (it writes only {"NAME":[rows]}, nesting rows as "children" with the
 * columns of their parent): nested objects and arrays of objects.
 */
struct json {
	FILE		*fp;
	int		 depth;
	bool		 first;		/* nothing yet in the open container */
	bool		 compact;	/* all on one line, no blanks */
};

/* Starts the top-level object on fp. */
void	json_begin(struct json *, FILE *);

/* Starts the top-level object on fp, written on one line without blanks. */
void	json_begin_line(struct json *, FILE *);

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
