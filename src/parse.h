/*
 * Strict parsers for the numbers of the command line.  They do no I/O: each
 * returns 0, or -1 when the whole text is not a valid value in range (the
 * caller quotes the text in its message).
 */
#ifndef SHM_PARSE_H
#define SHM_PARSE_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * SIZE, OFFSET or COUNT: decimal or 0x hex, then an optional suffix K, KiB,
 * M, MiB, G, GiB (1024) or KB, MB, GB (1000).  No sign, no blanks.
 */
int	parse_size(const char *, uint64_t *);

/* An IPC key: 0x hex or decimal, 1 to 0xffffffff (0 is IPC_PRIVATE). */
int	parse_key(const char *, key_t *);

/* A segment id: decimal, 0 to INT_MAX. */
int	parse_id(const char *, int *);

/* A mode: octal, 0 to 0777, with or without a leading 0. */
int	parse_mode(const char *, unsigned int *);

/* ftok's project id: 1 to 255 in decimal or 0x hex, or one character. */
int	parse_proj(const char *, int *);

/* An age for rm --older-than: a number and s, m, h or d; in seconds. */
int	parse_age(const char *, uint64_t *);

enum value_type {
	VT_RAW, VT_HEX,
	VT_I8, VT_I16, VT_I32, VT_I64,
	VT_U8, VT_U16, VT_U32, VT_U64,
	VT_F32, VT_F64,
};

/* One value of any number type, as it sits in a segment. */
union value {
	int8_t		 i8;
	int16_t		 i16;
	int32_t		 i32;
	int64_t		 i64;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;
	float		 f32;
	double		 f64;
};

/* A --type name: raw, hex, i8 ... u64, f32, f64. */
int	parse_type(const char *, enum value_type *);

/* The name of a type, as parse_type() reads it. */
const char *value_type_name(enum value_type);

/* Bytes per value of a number type; 1 for raw and hex. */
size_t	value_type_size(enum value_type);

/*
 * One value of a number type, range checked, stored in host byte order in
 * out (value_type_size() bytes).  Integers are decimal or 0x hex, with a
 * sign for the signed types; floats as strtod() reads them, finite or not.
 */
int	parse_value(enum value_type, const char *, void *out);

/*
 * Decodes hex digits from in[0..len) into out, skipping white space.  *half
 * carries an odd digit between calls: start it at -1, and the input is
 * complete only when it is -1 again.  Returns the number of bytes stored
 * (at most (len + 1) / 2), or -1 at a character that is neither a hex digit
 * nor white space.
 */
ssize_t	parse_hex(const char *in, size_t len, unsigned char *out, int *half);

/*
 * The C locale, made once: strtod() reads, and printf() writes, the decimal
 * point of LC_NUMERIC, and numbers must mean the same in every locale.
 * Returns (locale_t)0 if it cannot be made; then the current one serves.
 */
locale_t parse_c_locale(void);

#endif
