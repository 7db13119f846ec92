/*
 * parse_mode() against a reference parser: octal digits only, 0 to 0777,
 * and format_perms() of every mode it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "parse.h"

static void
check_perms(unsigned int mode)
{
	static const char rwx[] = "rwxrwxrwx";
	char buf[10];
	int i;

	memset(buf, 'X', sizeof(buf));
	FUZZ_CHECK(format_perms(mode, buf) == buf);
	FUZZ_CHECK(buf[9] == '\0');
	for (i = 0; i < 9; i++)
		FUZZ_CHECK(buf[i] == ((mode >> (8 - i)) & 1 ? rwx[i] : '-'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	const char *end;
	uint64_t v;
	unsigned int mode = 12345;
	int r, want;

	r = parse_mode(s, &mode);
	want = ref_digits(s, 8, &v, &end) == 0 && *end == '\0' &&
	    v <= 0777 ? 0 : -1;
	FUZZ_CHECK(r == want);
	if (r == 0) {
		FUZZ_CHECK(mode == v);
		check_perms(mode);
	} else {
		FUZZ_CHECK(mode == 12345);
	}
	/* Bits above the nine must not show. */
	if (size >= 4) {
		memcpy(&mode, data, sizeof(mode));
		check_perms(mode);
	}
	free(s);
	return 0;
}
