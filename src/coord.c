/*
 * Options and checks shared by wait, add, cas and lock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "atomic.h"
#include "coord.h"
#include "msg.h"
#include "options.h"

struct poptOption coord_place_table[] = {
	{ "offset", 'o', POPT_ARG_STRING, NULL, COORD_OPT_OFFSET,
	  "where the number, or the range of wait --changed, starts (default"
	  " 0)", "OFFSET" },
	{ "type", 't', POPT_ARG_STRING, NULL, COORD_OPT_TYPE,
	  "the number's type: i8 i16 i32 i64 u8 u16 u32 u64, and for wait"
	  " and cas f32 f64", "TYPE" },
	{ "endian", 'e', POPT_ARG_STRING, NULL, COORD_OPT_ENDIAN,
	  "its byte order: little, big or native (default)", "ENDIAN" },
	POPT_TABLEEND
};

bool
coord_place_option(int val)
{
	return val == COORD_OPT_OFFSET || val == COORD_OPT_TYPE ||
	    val == COORD_OPT_ENDIAN;
}

int
coord_take_place(poptContext ctx, int val, void *data)
{
	struct coord_place *p = data;
	char *arg = poptGetOptArg(ctx);
	int ret = EXIT_SHM_OK;

	switch (val) {
	case COORD_OPT_OFFSET:
		ret = opt_size("--offset", arg, &p->offset);
		p->offset_given = true;
		break;
	case COORD_OPT_TYPE:
		ret = coord_type(arg, p->ints_only, &p->type);
		p->typed = true;
		break;
	case COORD_OPT_ENDIAN:
		ret = coord_endian(arg, &p->order);
		p->ordered = true;
		break;
	}
	free(arg);
	return ret;
}

int
coord_duration(const char *opt, const char *text, uint64_t *ns)
{
	if (parse_duration(text, ns) != 0)
		return msg_usage("%s: invalid duration '%s' (want a number of"
		    " seconds, or one with ms, s, m, h or d; a fraction is"
		    " allowed: 0.5, 1.5s, 100ms)", opt, text);
	return 0;
}

int
coord_endian(const char *text, enum byte_order *order)
{
	if (parse_endian(text, order) != 0)
		return msg_usage("--endian: unknown byte order '%s' (want"
		    " little, big or native)", text);
	return 0;
}

int
coord_type(const char *text, bool ints_only, enum value_type *type)
{
	if (parse_type(text, type) != 0 || *type == VT_RAW ||
	    *type == VT_HEX)
		return msg_usage("--type: '%s' is not a number type (want"
		    " i8, i16, i32, i64, u8, u16, u32, u64%s)", text,
		    ints_only ? "" : ", f32 or f64");
	if (ints_only && (*type == VT_F32 || *type == VT_F64))
		return msg_usage("--type: %s is a float: only integers can be"
		    " added atomically (want i8, i16, i32, i64, u8, u16, u32"
		    " or u64)", text);
	return 0;
}

int
coord_check_place(const char *verb, const struct obj *seg,
    enum value_type type, uint64_t offset)
{
	size_t sz = value_type_size(type);
	uint64_t below = offset - offset % sz;
	char what[128];

	if (!atomic_aligned(type, offset)) {
		msg_usage("cannot %s %s at offset %" PRIu64 ": not a multiple"
		    " of %zu, the size of %s, so it cannot be accessed"
		    " atomically; the nearest aligned offsets are %" PRIu64
		    " and %" PRIu64, verb, value_type_name(type), offset, sz,
		    value_type_name(type), below, below + sz);
		return EXIT_SHM_USAGE;
	}
	if (seg == NULL)
		return EXIT_SHM_OK;
	if (offset > seg->size || seg->size - offset < sz) {
		msg_error(EXIT_SHM_SIZE, "cannot %s %s at offset %" PRIu64
		    " of %s: past its end (it has %zu bytes)", verb,
		    value_type_name(type), offset,
		    obj_info_str(&seg->info, what, sizeof(what)), seg->size);
		if (seg->size >= sz)
			msg_hint("the last %s in it is at offset %zu",
			    value_type_name(type), (seg->size - sz) / sz * sz);
		return EXIT_SHM_SIZE;
	}
	return EXIT_SHM_OK;
}

uint64_t
coord_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

char *
coord_duration_str(uint64_t ns, char *buf, size_t len)
{
	if (ns % 1000000000 == 0)
		snprintf(buf, len, "%" PRIu64 "s", ns / 1000000000);
	else if (ns < 1000000000)
		snprintf(buf, len, "%" PRIu64 "ms", (ns + 500000) / 1000000);
	else
		snprintf(buf, len, "%.3gs", (double)ns / 1e9);
	return buf;
}
