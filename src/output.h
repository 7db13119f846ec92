/*
 * Messages, raw I/O and the check of stdout at exit.  Diagnostics go to
 * stderr as "shm COMMAND: what failed: why", then "hint: ..." lines.
 */
#ifndef SHM_OUTPUT_H
#define SHM_OUTPUT_H

#include <stddef.h>
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

/* Prints "hint: <message>" on stderr. */
void	msg_hint(const char *, ...) PRINTF_LIKE(1, 2);

/* Prints "shm CMD: <message>" on stderr, for notes that are not failures. */
void	msg_note(const char *, ...) PRINTF_LIKE(1, 2);

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
 * EXIT_SHM_FAIL.  A closed pipe (EPIPE) is quiet, as in cat(1).
 */
int	close_stdout(int rc);

#endif
