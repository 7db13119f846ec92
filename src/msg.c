/*
 * Messages, memory, raw I/O loops and the check of stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

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

size_t
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

static int stdout_errno;	/* the cause of the first failed write */

bool
stdout_flush(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout) && stdout_errno == 0)
		return true;
	if (stdout_errno == 0)
		stdout_errno = errno != 0 ? errno : EIO;
	return false;
}

int
stdout_status(int rc)
{
	int e;

	errno = 0;
	if (stdout_flush())
		return rc;
	e = stdout_errno;
	stdout_errno = 0;
	__fpurge(stdout);
	clearerr(stdout);
	/*
	 * A closed pipe ends us quietly by SIGPIPE, as it ends cat(1), also
	 * when a command ignored it to clean up first.  Blocked, it leaves us
	 * alive: output was lost, say so, as cat does.
	 */
	if (e == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	return msg_error(EXIT_SHM_FAIL, "write error: %s", strerror(e));
}

void
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

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n != 0 ? n : 1)) == NULL)
		out_of_memory();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n != 0 ? n : 1, size != 0 ? size : 1)) == NULL)
		out_of_memory();
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p;

	if ((p = realloc(old, n != 0 ? n : 1)) == NULL)
		out_of_memory();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		out_of_memory();
	return p;
}
