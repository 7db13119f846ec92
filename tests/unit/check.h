/*
 * What the unit tests share: checks that count, and report a failure with
 * the test's file and line; main() ends with check_report().
 */
#ifndef SHM_CHECK_H
#define SHM_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks;
static int failures;

#define CHECK(cond)		check((cond), #cond, __LINE__)
#define CHECK_STR(got, want)	check_str((got), (want), #got, __LINE__)

static inline void
check(int ok, const char *what, int line)
{
	checks++;
	if (ok)
		return;
	failures++;
	fprintf(stderr, "%s:%d: check failed: %s\n", __BASE_FILE__, line,
	    what);
}

/* Shows both strings, which may span lines; NULL is a value too. */
static inline void
check_str(const char *got, const char *want, const char *what, int line)
{
	checks++;
	if (got == NULL && want == NULL)
		return;
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return;
	failures++;
	fprintf(stderr, "%s:%d: %s\n--- want\n%s\n--- got\n%s\n---\n",
	    __BASE_FILE__, line, what, want != NULL ? want : "(null)",
	    got != NULL ? got : "(null)");
}

/* Prints the count; returns the exit status of the test. */
static inline int
check_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, checks, failures);
	return failures != 0;
}

#endif
