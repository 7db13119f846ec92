/*
 * Messages, raw I/O loops and the check of stdout at exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

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

static void
vmsg(const char *fmt, va_list ap)
{
	if (command != NULL)
		fprintf(stderr, "shm %s: ", command);
	else
		fputs("shm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
msg_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (command != NULL)
		fprintf(stderr, "hint: see 'shm %s --help'\n", command);
	else
		fputs("hint: see 'shm --help'\n", stderr);
	return EXIT_SHM_USAGE;
}

void
msg_hint(const char *fmt, ...)
{
	va_list ap;

	fputs("hint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
	if (flush_errno == EPIPE)
		return rc;
	msg_error(EXIT_SHM_FAIL, "write error: %s", strerror(flush_errno));
	return EXIT_SHM_FAIL;
}
