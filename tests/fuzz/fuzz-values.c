/*
 * format_values(): any bytes, read as any number type, print one value a
 * line, as many lines as values, and each line reads back with
 * parse_value() to the same bytes (NaN to a NaN: "nan" has no payload).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "parse.h"

static const enum value_type types[] = {
	VT_I8, VT_I16, VT_I32, VT_I64, VT_U8, VT_U16, VT_U32, VT_U64,
	VT_F32, VT_F64,
};

static int
is_nan(enum value_type t, const unsigned char *p)
{
	double d;
	float f;

	if (t == VT_F32) {
		memcpy(&f, p, sizeof(f));
		return isnan(f);
	}
	if (t == VT_F64) {
		memcpy(&d, p, sizeof(d));
		return isnan(d);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum value_type t;
	unsigned char *p, back[8];
	size_t sz, count, i, len = 0;
	char *text = NULL, *line, *nl;
	FILE *fp;

	if (size < 1)
		return 0;
	t = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	sz = value_type_size(t);
	count = (size - 1) / sz;
	/* A block of exactly the values, unaligned as a segment may be. */
	if ((p = malloc(count * sz + 1)) == NULL)
		abort();
	memcpy(p + 1, data + 1, count * sz);

	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	format_values(fp, t, p + 1, count);
	FUZZ_CHECK(fclose(fp) == 0);

	line = text;
	for (i = 0; i < count; i++) {
		FUZZ_CHECK((nl = memchr(line, '\n', len - (size_t)(line -
		    text))) != NULL);
		*nl = '\0';
		FUZZ_CHECK(nl - line >= 1 && nl - line < 64);
		memset(back, 0, sizeof(back));
		FUZZ_CHECK(parse_value(t, line, back) == 0);
		if (is_nan(t, p + 1 + i * sz))
			FUZZ_CHECK(strcmp(line, "nan") == 0 && is_nan(t, back));
		else
			FUZZ_CHECK(memcmp(back, p + 1 + i * sz, sz) == 0);
		line = nl + 1;
	}
	FUZZ_CHECK(line == text + len);
	free(text);
	text = NULL;

	/* raw and hex are not values: nothing is printed. */
	if ((fp = open_memstream(&text, &len)) == NULL)
		abort();
	format_values(fp, data[0] & 1 ? VT_RAW : VT_HEX, data, size);
	FUZZ_CHECK(fclose(fp) == 0);
	FUZZ_CHECK(len == 0);
	free(text);
	free(p);
	return 0;
}
