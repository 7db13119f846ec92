/*
 * Helpers shared by the libFuzzer harnesses of parse.c and format.c: a
 * NUL-terminated copy of the input, a check that aborts (libFuzzer keeps
 * the input as a crash), and plain reference parsers to compare against.
 */
#ifndef SHM_FUZZ_H
#define SHM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * A malloc'd copy of data with a NUL after it, in a block of exactly that
 * size, so that AddressSanitizer catches a read past the end.
 */
char	*fuzz_string(const uint8_t *data, size_t size);

/* Aborts, printing the broken invariant, unless cond holds. */
#define FUZZ_CHECK(cond) \
	((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

void	fuzz_fail(const char *what, const char *file, int line)
	    __attribute__((noreturn));

/*
 * Reference parsers, written as the spec reads and one digit at a time,
 * with no strtoull(): digits of base (at least one) into *v, with *end
 * after them; and a decimal number or 0x/0X hex.  Return 0, or -1 when
 * there is no digit or the value needs more than 64 bits.
 */
int	ref_digits(const char *, unsigned int base, uint64_t *v,
	    const char **end);
int	ref_number(const char *, uint64_t *v, const char **end);

#endif
