/*
 * parse_proj() against a reference parser: one character that is not a
 * decimal digit stands for its own byte value; otherwise 0x hex or
 * decimal, 1 to 255.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "parse.h"

static int
ref_proj(const char *s, int *proj)
{
	const char *end;
	uint64_t v;

	if (s[0] != '\0' && s[1] == '\0' && (s[0] < '0' || s[0] > '9')) {
		*proj = (unsigned char)s[0];
		return 0;
	}
	if (ref_number(s, &v, &end) == -1 || *end != '\0' || v < 1 ||
	    v > 255)
		return -1;
	*proj = (int)v;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	int got = 12345, want = 0, r;

	r = parse_proj(s, &got);
	FUZZ_CHECK(r == ref_proj(s, &want));
	if (r == 0)
		FUZZ_CHECK(got == want && got >= 1 && got <= 255);
	else
		FUZZ_CHECK(got == 12345);
	free(s);
	return 0;
}
