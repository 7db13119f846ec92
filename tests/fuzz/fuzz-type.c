/*
 * parse_type(): it reads exactly the twelve names, and value_type_name()
 * gives them back; value_type_name() and value_type_size() take any value.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

static const char *const names[] = {
	"raw", "hex", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64",
	"f32", "f64",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	enum value_type t = (enum value_type)99;
	size_t i, known = 0;
	int r, v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			known = 1;
	r = parse_type(s, &t);
	FUZZ_CHECK(r == (known ? 0 : -1));
	if (r == 0) {
		FUZZ_CHECK((int)t >= VT_RAW && (int)t <= VT_F64);
		FUZZ_CHECK(strcmp(value_type_name(t), s) == 0);
		FUZZ_CHECK(value_type_size(t) >= 1 &&
		    value_type_size(t) <= 8);
	} else {
		FUZZ_CHECK((int)t == 99);
	}
	/* Out-of-range enum values must not index past the tables. */
	if (size >= sizeof(v)) {
		memcpy(&v, data, sizeof(v));
		FUZZ_CHECK(value_type_name((enum value_type)v) != NULL);
		FUZZ_CHECK(value_type_size((enum value_type)v) >= 1);
	}
	free(s);
	return 0;
}
