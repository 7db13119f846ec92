/*
 * parse_age() against a reference parser: decimal, then nothing or one
 * of s, m, h, d; in seconds, without overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static int
ref_age(const char *s, uint64_t *age)
{
	const char *end;
	uint64_t v, mult;

	if (ref_digits(s, 10, &v, &end) == -1)
		return -1;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		mult = 1;
	else if (strcmp(end, "m") == 0)
		mult = 60;
	else if (strcmp(end, "h") == 0)
		mult = 3600;
	else if (strcmp(end, "d") == 0)
		mult = 86400;
	else
		return -1;
	return __builtin_mul_overflow(v, mult, age) ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t got = 12345, want = 0;
	int r;

	r = parse_age(s, &got);
	FUZZ_CHECK(r == ref_age(s, &want));
	if (r == 0)
		FUZZ_CHECK(got == want);
	else
		FUZZ_CHECK(got == 12345);
	free(s);
	return 0;
}
