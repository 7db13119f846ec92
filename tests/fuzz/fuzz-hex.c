/*
 * parse_hex() as write --type hex streams standard input through it: the
 * input is cut at split points chosen by the first bytes, each piece is
 * decoded into a buffer of exactly the documented bound, and the result
 * must equal a one-piece reference decode, odd digit carried included.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"

#define MAX_CUTS	8

static int
ref_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Returns the byte count, or -1; *half as parse_hex() leaves it. */
static long
ref_hex(const uint8_t *in, size_t len, unsigned char *out, int *half)
{
	size_t i;
	long n = 0;
	int d;

	*half = -1;
	for (i = 0; i < len; i++) {
		if (memchr(" \t\n\v\f\r", in[i], 6) != NULL)
			continue;
		if ((d = ref_hex_digit(in[i])) < 0)
			return -1;
		if (*half < 0) {
			*half = d;
		} else {
			out[n++] = (unsigned char)(*half << 4 | d);
			*half = -1;
		}
	}
	return n;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cuts[MAX_CUTS + 2], ncuts, i, len, total = 0;
	unsigned char *want, *got, *piece;
	const uint8_t *text;
	long nwant;
	ssize_t n;
	int half = -1, want_half, failed = 0;

	if (size < 1)
		return 0;
	ncuts = data[0] % (MAX_CUTS + 1);
	if (size < 1 + ncuts)
		return 0;
	text = data + 1 + ncuts;
	len = size - 1 - ncuts;
	cuts[0] = 0;
	for (i = 0; i < ncuts; i++)
		cuts[i + 1] = len == 0 ? 0 : data[1 + i] % (len + 1);
	cuts[ncuts + 1] = len;
	qsort(cuts + 1, ncuts, sizeof(cuts[0]), cmp_size);

	if ((want = malloc(len / 2 + 1)) == NULL ||
	    (got = malloc(len / 2 + 1)) == NULL)
		abort();
	nwant = ref_hex(text, len, want, &want_half);
	for (i = 0; i <= ncuts && !failed; i++) {
		size_t plen = cuts[i + 1] - cuts[i];

		/* The bound parse.h gives, (len + 1) / 2 bytes, and no more. */
		piece = malloc((plen + 1) / 2);
		if (piece == NULL && plen > 1)
			abort();
		n = parse_hex((const char *)text + cuts[i], plen, piece, &half);
		if (n < 0) {
			FUZZ_CHECK(n == -1);
			failed = 1;
		} else {
			FUZZ_CHECK((size_t)n <= (plen + 1) / 2);
			FUZZ_CHECK(half >= -1 && half < 16);
			memcpy(got + total, piece, (size_t)n);
			total += (size_t)n;
		}
		free(piece);
	}
	if (failed) {
		FUZZ_CHECK(nwant == -1);
	} else {
		FUZZ_CHECK(nwant >= 0 && (size_t)nwant == total);
		FUZZ_CHECK(memcmp(got, want, total) == 0);
		FUZZ_CHECK(half == want_half);
	}
	free(want);
	free(got);
	return 0;
}
