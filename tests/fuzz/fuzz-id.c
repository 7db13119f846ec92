/*
 * parse_id() against a reference parser: decimal only, 0 to INT_MAX.
 */
#include <limits.h>
#include <stdlib.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	const char *end;
	uint64_t v;
	int id = 54321, r, want;

	r = parse_id(s, &id);
	want = ref_digits(s, 10, &v, &end) == 0 && *end == '\0' &&
	    v <= INT_MAX ? 0 : -1;
	FUZZ_CHECK(r == want);
	if (r == 0)
		FUZZ_CHECK((uint64_t)id == v);
	else
		FUZZ_CHECK(id == 54321);
	free(s);
	return 0;
}
