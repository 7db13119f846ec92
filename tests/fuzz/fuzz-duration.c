/*
 * parse_duration() against a reference parser: decimal, an optional
 * fraction of at least one digit, then nothing or one of ms, s, m, h, d;
 * in nanoseconds, each digit of the fraction worth a tenth of the one
 * before (what is under a nanosecond dropped), without overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static int
ref_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "", 1000000000ULL }, { "ms", 1000000ULL },
		{ "s", 1000000000ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL }, { "d", 86400000000000ULL },
	};
	const char *end, *frac = NULL;
	uint64_t whole, unit = 0, part = 0, step, total;
	size_t i, k = 0;

	if (ref_digits(s, 10, &whole, &end) == -1)
		return -1;
	if (*end == '.') {
		frac = end + 1;
		while (frac[k] >= '0' && frac[k] <= '9')
			k++;
		if (k == 0)
			return -1;
		end = frac + k;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].name) == 0)
			unit = units[i].ns;
	if (unit == 0)
		return -1;
	step = unit;
	for (i = 0; i < k && step >= 10; i++) {
		step /= 10;
		part += (uint64_t)(frac[i] - '0') * step;
	}
	if (__builtin_mul_overflow(whole, unit, &total) ||
	    __builtin_add_overflow(total, part, &total))
		return -1;
	*ns = total;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t got = 12345, want = 0;
	int r;

	r = parse_duration(s, &got);
	FUZZ_CHECK(r == ref_duration(s, &want));
	if (r == 0)
		FUZZ_CHECK(got == want);
	else
		FUZZ_CHECK(got == 12345);
	free(s);
	return 0;
}
