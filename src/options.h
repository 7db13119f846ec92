/*
 * popt tables and helpers shared by the commands: the selector options, the
 * help option, the making of a context, and usage errors.
 */
#ifndef SHM_OPTIONS_H
#define SHM_OPTIONS_H

#include <stdbool.h>
#include <popt.h>
#include <sys/types.h>

#include "parse.h"
#include "object.h"

/* Values that shared options return from poptGetNextOpt(). */
enum {
	OPT_HELP = 1000,
	OPT_KEY,
	OPT_FILE,
	OPT_PROJ,
	OPT_ID,
	OPT_PRIVATE,
	OPT_POSIX,
	OPT_FIRST_LOCAL = 1100,	/* a command's own values start here */
};

/*
 * -k, -f, -p, -i, -P; the same with --private; and -k, -f, -p, -i alone,
 * for the commands of System V segments only (pin, unpin).
 */
extern struct poptOption opt_selector_table[];
extern struct poptOption opt_selector_private_table[];
extern struct poptOption opt_selector_sysv_table[];

/* -h, --help. */
extern struct poptOption opt_help_table[];

#define OPT_INCLUDE_SELECTOR \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, opt_selector_table, 0, \
	  "Selecting a segment:", NULL }
#define OPT_INCLUDE_SELECTOR_PRIVATE \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, opt_selector_private_table, 0, \
	  "Selecting a segment:", NULL }
#define OPT_INCLUDE_SELECTOR_SYSV \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, opt_selector_sysv_table, 0, \
	  "Selecting a segment:", NULL }
#define OPT_INCLUDE_HELP \
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, opt_help_table, 0, \
	  "Help:", NULL }

/* A --proj, and the --file that stood before it. */
struct opt_proj {
	int		 proj;
	int		 file;		/* index in sel, or -1: none yet */
};

/* The selectors given on a command line, in order. */
struct opt_selectors {
	struct obj_sel	*sel;
	int		 n;
	int		 nalloc;
	struct opt_proj	*projs;		/* each --proj, in order */
	int		 nprojs;
	const char	*first_opt;	/* "--key" etc. of sel[0], for messages */
	const char	*second_opt;	/* of sel[1] */
};

/*
 * Makes a popt context for a command: argv[0] is the command's name and
 * synopsis is what --help prints after "Usage: shm NAME".  Never reads popt
 * configuration files.
 */
poptContext opt_context(int argc, const char **argv,
	    const struct poptOption *, const char *synopsis);

/* Prints the command's help on stdout; returns 0 (a closed stdout: 1). */
int	opt_help(poptContext);

/*
 * Reports the error that poptGetNextOpt() returned (rc < -1), naming the
 * option, and returns EXIT_SHM_USAGE.
 */
int	opt_error(poptContext, int rc);

/*
 * Handles rc when it is a selector option: parses its argument strictly
 * (usage error on bad text) and appends it to sels.  Sets *taken to
 * whether rc is a selector option.  Returns EXIT_SHM_OK, or
 * EXIT_SHM_USAGE (after the message) for bad text.
 */
int	opt_take_selector(poptContext, int rc, struct opt_selectors *,
	    bool *taken);

enum {
	SELS_MANY = 1 << 0,	/* rm, chmod, chown: several selectors */
	SELS_OPTIONAL = 1 << 1,	/* none is fine (fork-demo, rm --all) */
	SELS_PRIVATE = 1 << 2,	/* --private allowed */
};

/*
 * Checks the selectors after all options are read: one (or, with
 * SELS_MANY, at least one), --proj only with --file, --private only where
 * allowed.  Gives each --file its --proj: with one --file, the one --proj
 * wherever it stands; with several, the --proj after each (none: 1), and
 * a --proj before the first is an error.  Returns 0 or EXIT_SHM_USAGE.
 */
int	opt_check_selectors(struct opt_selectors *, int flags);

/* Frees what opt_take_selector() allocated. */
void	opt_free_selectors(struct opt_selectors *);

/* Flags of opt_parse(). */
enum {
	OPT_NO_OPERANDS = 1 << 0,	/* an operand is a usage error */
	OPT_OWN_HELP = 1 << 1,		/* -h/--help goes to take (ls) */
	OPT_OWN_ERRORS = 1 << 2,	/* popt's errors go to take (write) */
};

/*
 * Reads a command's options: selector options into sels (when sels is not
 * NULL), -h/--help printed, every other option value handed to take(ctx,
 * val, data) (take may be NULL when there are none), which returns 0 or an
 * exit status.  With OPT_OWN_HELP, take gets OPT_HELP, and with
 * OPT_OWN_ERRORS popt's error code (below -1), instead of the usual help
 * and message; what it returns then ends the reading.  With
 * OPT_NO_OPERANDS, an operand is a usage error.  Returns true when the
 * command goes on (*status is then 0), false when it returns *status at
 * once (0 after --help).
 */
bool	opt_parse(poptContext, struct opt_selectors *,
	    int (*take)(poptContext, int, void *), void *data, int flags,
	    int *status);

/*
 * A take function for opt_parse() where a command's one option of its own
 * is a switch (--json): data points to a bool that it sets.  Returns 0.
 */
int	opt_take_switch(poptContext, int val, void *data);

/* Most options in one group of mutually exclusive options. */
#define OPT_EXCL_MAX	8

/*
 * A group of mutually exclusive options, as util-linux's ul_excl_t: the
 * values (poptOption.val) of options of which at most one may be given,
 * ended by 0, and what the message says after "--a and --b clash: ".  A
 * command declares its groups once, in a table ended by an empty group.
 */
struct opt_excl {
	int		 val[OPT_EXCL_MAX];
	const char	*why;
};

/* The options given on a command line, by value. */
struct opt_given {
	int		 val[64];
	int		 n;
};

/* Records that the option of value val was given (from a take function). */
void	opt_given_add(struct opt_given *, int val);

/*
 * Checks the groups of excl against the options given: two of one group
 * are a usage error, "--a and --b clash: why", a and b the first two given
 * in the group's order, named as in the command's popt table.  Returns 0
 * or EXIT_SHM_USAGE.
 */
int	opt_check_excl(const struct opt_excl *excl, const struct opt_given *,
	    const struct poptOption *table);

/*
 * Gets the one operand that goes before a command's selectors (chmod's
 * MODE, chown's USER[:GROUP]); with none, the usage error is missing.
 * Returns 0 with *operand set, or EXIT_SHM_USAGE.
 */
int	opt_one_operand(poptContext, const char *missing,
	    const char **operand);

/*
 * Parses a SIZE/OFFSET/COUNT option value; on bad text prints a usage error
 * naming opt and the text.  Returns 0 or EXIT_SHM_USAGE.
 */
int	opt_size(const char *opt, const char *text, uint64_t *);

/*
 * Parses a --type value (read, write); on bad text prints a usage error
 * naming the text.  Returns 0 or EXIT_SHM_USAGE.
 */
int	opt_type(const char *text, enum value_type *);

/*
 * The same, where a record type (i32,x4,f64) is also allowed: raw and hex
 * leave rec empty (rec->nvalues is 0); a number type or a record fills it
 * (free it with record_free()), and *type is then its first value's type.
 */
int	opt_type_record(const char *text, enum value_type *,
	    struct record_type *rec);

/*
 * Reads a user (or group) as a name, or as a number when no user has that
 * name; on failure prints a usage error naming opt and the text.  Returns
 * 0 or EXIT_SHM_USAGE.
 */
int	opt_user(const char *opt, const char *text, uid_t *);
int	opt_group(const char *opt, const char *text, gid_t *);

#endif
