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

/* Whether c is white space to parse_hex(): space, \t, \n, \v, \f, \r. */
int	parse_is_blank(char c);

/* Whether c is an ASCII hex digit (no locale widens it). */
int	parse_is_hex_digit(char c);

/*
 * The C locale, made once: strtod() reads, and printf() writes, the decimal
 * point of LC_NUMERIC, and numbers must mean the same in every locale.
 * Returns (locale_t)0 if it cannot be made; then the current one serves.
 */
locale_t parse_c_locale(void);

/*
 * A DURATION (--timeout): a non-negative decimal number, with an optional
 * fraction ("0.5"), and an optional unit ms, s, m, h or d (a bare number is
 * seconds); in nanoseconds, a fraction of a nanosecond dropped.
 */
int	parse_duration(const char *, uint64_t *ns);

/* The byte order of the numbers in a segment (-e, --endian). */
enum byte_order {
	BO_NATIVE,
	BO_LITTLE,
	BO_BIG,
};

/* An --endian value: little, big or native. */
int	parse_endian(const char *, enum byte_order *);

/* The name of a byte order, as parse_endian() reads it. */
const char *byte_order_name(enum byte_order);

/* Whether numbers in order must have their bytes swapped on this host. */
int	byte_order_swaps(enum byte_order);

/*
 * Converts a value of size bytes (1, 2, 4 or 8) at p between host order
 * and order, in place; the same call converts either way.
 */
void	value_order(void *p, size_t size, enum byte_order);

/* The comparisons of a wait --value EXPR. */
enum value_op {
	VOP_EQ,		/* N or ==N */
	VOP_NE,		/* !=N */
	VOP_LT,		/* <N */
	VOP_LE,		/* <=N */
	VOP_GT,		/* >N */
	VOP_GE,		/* >=N */
};

struct value_expr {
	enum value_op	 op;
	union value	 v;		/* in host order */
};

/*
 * A wait EXPR for a value of a number type: N, ==N, !=N, <N, <=N, >N or
 * >=N, with N as parse_value() reads it.
 */
int	parse_value_expr(enum value_type, const char *, struct value_expr *);

/* The operator as written ("==", "!=", "<", ...). */
const char *value_op_str(enum value_op);

/*
 * Whether v (host order) satisfies the expression.  Floats compare as C
 * does: a NaN is only != to anything.
 */
int	value_expr_holds(enum value_type, const struct value_expr *,
	    const union value *v);

/* One field of a record type; padding has type VT_RAW. */
struct record_field {
	enum value_type	 type;
	size_t		 offset;	/* from the start of the record */
	size_t		 size;
};

/* A record type: "i32,x4,f64", fields back to back. */
struct record_type {
	struct record_field *field;	/* malloc'd */
	size_t		 n;		/* fields, padding included */
	size_t		 nvalues;	/* fields that hold a value */
	size_t		 size;		/* bytes per record */
};

/*
 * A record type: a comma list of number types (i8 ... f64) and xN, N bytes
 * of padding (N from 1 to 65536), with at least one number type.  A single
 * number type is a record of one field.  Fills rec, whose field array is
 * malloc'd (free it with record_free()); -1 also when out of memory.
 */
int	parse_record(const char *, struct record_type *);

/* Frees what parse_record() allocated. */
void	record_free(struct record_type *);

#endif
