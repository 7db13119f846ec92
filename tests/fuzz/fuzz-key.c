/*
 * parse_key() against a reference parser: 0x hex or decimal, 1 to
 * 0xffffffff (0 is IPC_PRIVATE), nothing before or after.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	const char *end;
	uint64_t v;
	key_t key = 12345;
	int r, want;

	r = parse_key(s, &key);
	want = ref_number(s, &v, &end) == 0 && *end == '\0' && v >= 1 &&
	    v <= UINT32_MAX ? 0 : -1;
	FUZZ_CHECK(r == want);
	if (r == 0)
		FUZZ_CHECK((uint32_t)key == (uint32_t)v);
	else
		FUZZ_CHECK(key == 12345);
	free(s);
	return 0;
}
