/*
 * parse_size() against a reference parser, and format_human() of every
 * size it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "parse.h"

static const struct {
	const char	*name;
	uint64_t	 mult;
} suffixes[] = {
	{ "", 1 }, { "K", 1024 }, { "KiB", 1024 }, { "M", 1 << 20 },
	{ "MiB", 1 << 20 }, { "G", 1 << 30 }, { "GiB", 1 << 30 },
	{ "KB", 1000 }, { "MB", 1000000 }, { "GB", 1000000000 },
};

static int
ref_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	size_t i;

	if (ref_number(s, &v, &end) == -1)
		return -1;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strcmp(end, suffixes[i].name) == 0)
			return __builtin_mul_overflow(v, suffixes[i].mult,
			    out) ? -1 : 0;
	return -1;
}

/* "512B", or 1 to 4 digits, maybe ".D", and one of K M G T P E. */
static void
check_human(uint64_t v)
{
	char buf[16];
	size_t len, i = 0;

	memset(buf, 'X', sizeof(buf));
	FUZZ_CHECK(format_human(v, buf) == buf);
	FUZZ_CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
	len = strlen(buf);
	FUZZ_CHECK(len >= 2);
	while (i < len && buf[i] >= '0' && buf[i] <= '9')
		i++;
	FUZZ_CHECK(i >= 1 && i <= 4);
	if (v < 1024) {
		FUZZ_CHECK(strtoull(buf, NULL, 10) == v);
		FUZZ_CHECK(i == len - 1 && buf[i] == 'B');
		return;
	}
	if (buf[i] == '.') {
		FUZZ_CHECK(buf[i + 1] >= '1' && buf[i + 1] <= '9');
		i += 2;
	}
	FUZZ_CHECK(i == len - 1 && strchr("KMGTPE", buf[i]) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t got = 0x5a5a5a5a, want = 0;
	int r;

	r = parse_size(s, &got);
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(r == ref_size(s, &want));
	if (r == 0) {
		FUZZ_CHECK(got == want);
		check_human(got);
	} else {
		FUZZ_CHECK(got == 0x5a5a5a5a);
	}
	/* Whatever the text, the human form of its bytes is well formed. */
	if (size >= 8) {
		memcpy(&want, data, 8);
		check_human(want);
	}
	free(s);
	return 0;
}
