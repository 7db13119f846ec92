/*
 * What the commands that coordinate scripts share (wait, add, cas, lock):
 * their number options (-t, -o, -e, --timeout), the alignment rule of
 * atomic access (row 32 of the diagnoses), and clocks.
 */
#ifndef SHM_COORD_H
#define SHM_COORD_H

#include <popt.h>
#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "object.h"

/*
 * Values of coord_place_table's options: between the shared values of
 * options.h and a command's own (OPT_FIRST_LOCAL).
 */
enum {
	COORD_OPT_OFFSET = 1050,
	COORD_OPT_TYPE,
	COORD_OPT_ENDIAN,
};

/* -o/--offset, -t/--type, -e/--endian: the number wait, add or cas uses. */
extern struct poptOption coord_place_table[];

#define COORD_INCLUDE_PLACE(title) \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, coord_place_table, 0, \
	  (title), NULL }

/* What coord_place_table's options say, and which were given. */
struct coord_place {
	uint64_t	 offset;
	bool		 offset_given;
	enum value_type	 type;
	bool		 typed;
	enum byte_order	 order;
	bool		 ordered;
	bool		 ints_only;	/* set by the caller: --type of add */
};

/* Whether val is the value of an option of coord_place_table. */
bool	coord_place_option(int val);

/*
 * A take function for opt_parse(): the value of an option of
 * coord_place_table into data, a struct coord_place; a usage error on bad
 * text.  Returns 0 or EXIT_SHM_USAGE.
 */
int	coord_take_place(poptContext, int val, void *data);

/*
 * Parses a --timeout value; on bad text prints a usage error.  Returns 0
 * or EXIT_SHM_USAGE.
 */
int	coord_duration(const char *opt, const char *text, uint64_t *ns);

/* Parses an --endian value; usage error on bad text. */
int	coord_endian(const char *text, enum byte_order *);

/*
 * Parses the --type of an atomic command: a number type; with ints_only
 * (add), an integer type.  Usage error otherwise.
 */
int	coord_type(const char *text, bool ints_only, enum value_type *);

/*
 * Checks that a value of type at offset can be accessed atomically:
 * aligned to its size (exit 2 naming the offset, the size and the nearest
 * aligned offsets) and inside the segment (exit 6).  verb says what the
 * command does ("add to").  With seg NULL, only the alignment.
 */
int	coord_check_place(const char *verb, const struct obj *,
	    enum value_type, uint64_t offset);

/* The monotonic clock, in nanoseconds. */
uint64_t coord_now(void);

/* A duration for messages: "500ms", "1.5s", "2m". */
char	*coord_duration_str(uint64_t ns, char *buf, size_t len);

#endif
