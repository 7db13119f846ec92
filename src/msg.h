/*
 * Messages, memory, raw I/O and the check of stdout.  Diagnostics go to
 * stderr as "shm COMMAND: what failed: why", then "hint: ..." lines.
 * Depends on nothing else of shm.
 */
#ifndef SHM_MSG_H
#define SHM_MSG_H

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
 * Out of memory: prints "out of memory" and exits with EXIT_SHM_FAIL.
 * Every allocation that fails ends here: a command has nothing useful to
 * do without the memory it asked for.
 */
_Noreturn void out_of_memory(void);

/* malloc(3), calloc(3), realloc(3), strdup(3): never NULL (out_of_memory()). */
void	*xmalloc(size_t);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);

/* The length of the UTF-8 sequence at p, or 0 when it is not one. */
size_t	utf8_len(const unsigned char *p);

/*
 * The one check of stdout.  A failed write is an error whatever its cause,
 * a closed pipe too, as in cat(1): output was lost, and lost output is
 * never exit 0.
 */

/*
 * Flushes stdout.  Returns true, or false when a write on stdout failed,
 * now or before; the cause of the first failure is kept for
 * stdout_status() (stdio forgets it once it has dropped a buffer), taken
 * from errno, so clear errno before the output it checks.
 */
bool	stdout_flush(void);

/*
 * Flushes stdout and checks it.  Returns rc when all is well.  A closed
 * pipe (EPIPE) ends the program by SIGPIPE, even one it ignored; when
 * SIGPIPE is blocked, and for any other failure, prints "write error: "
 * and the cause, leaves stdout clear (so that a second check finds
 * nothing) and returns EXIT_SHM_FAIL.
 */
int	stdout_status(int rc);

#endif
