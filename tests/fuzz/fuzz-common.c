/*
 * Helpers shared by the harnesses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

static unsigned int
ref_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned int)(c - 'A' + 10);
	return 99;
}

int
ref_digits(const char *s, unsigned int base, uint64_t *v, const char **end)
{
	const char *p;
	uint64_t n = 0;
	int overflow = 0;

	for (p = s; ref_digit(*p) < base; p++) {
		if (__builtin_mul_overflow(n, base, &n) ||
		    __builtin_add_overflow(n, ref_digit(*p), &n))
			overflow = 1;
	}
	if (p == s || overflow)
		return -1;
	*v = n;
	*end = p;
	return 0;
}

int
ref_number(const char *s, uint64_t *v, const char **end)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return ref_digits(s + 2, 16, v, end);
	return ref_digits(s, 10, v, end);
}
