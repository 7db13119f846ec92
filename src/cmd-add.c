/*
 * shm add: atomically add to an integer in a segment, print the new value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "commands.h"
#include "coord.h"
#include "format.h"
#include "options.h"
#include "msg.h"
#include "parse.h"
#include "object.h"

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	COORD_INCLUDE_PLACE("Options:"),
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/*
 * DELTA for an integer type: in the type's range, and for an unsigned type
 * also -N (N up to its maximum), which subtracts.  In host order.
 */
static int
parse_delta(enum value_type type, const char *text, union value *v)
{
	size_t sz = value_type_size(type);

	memset(v, 0, sizeof(*v));
	if (parse_value(type, text, v) == 0)
		return 0;
	if (text[0] != '-' || type < VT_U8 || type > VT_U64)
		return -1;
	if (parse_value(type, text + 1, v) != 0)
		return -1;
	/* 2^n - N in n bits: the same bits as the signed -N. */
	switch (sz) {
	case 1:
		v->u8 = (uint8_t)-v->u8;
		break;
	case 2:
		v->u16 = (uint16_t)-v->u16;
		break;
	case 4:
		v->u32 = -v->u32;
		break;
	default:
		v->u64 = -v->u64;
		break;
	}
	return 0;
}

int
cmd_add(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct coord_place o = {
		.type = VT_U32, .order = BO_NATIVE, .ints_only = true,
	};
	struct obj seg = { 0 };
	union value delta, now;
	const char **args;
	unsigned char *p;
	poptContext ctx;
	int rc, ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-o OFFSET] -t TYPE [-e ENDIAN] [--] DELTA\n\n"
	    "Atomically adds DELTA (negative to subtract) to the integer at"
	    " OFFSET, wrapping\nas unsigned arithmetic does, and prints the"
	    " new value.  Wakes 'shm wait'.");
	if (!opt_parse(ctx, &sels, coord_take_place, &o, 0, &ret))
		goto out;
	if (!o.typed) {
		ret = msg_usage("--type is needed: the integer's type (i8, i16,"
		    " i32, i64, u8, u16, u32 or u64)");
		goto out;
	}
	args = poptGetArgs(ctx);
	if (args == NULL || args[0] == NULL) {
		ret = msg_usage("no DELTA given: the number to add");
		goto out;
	}
	if (args[1] != NULL) {
		ret = msg_usage("unexpected argument '%s': add takes one DELTA",
		    args[1]);
		goto out;
	}
	if (parse_delta(o.type, args[0], &delta) != 0) {
		ret = msg_usage("invalid DELTA '%s' for %s (want a decimal or"
		    " 0x hex integer that fits the type; a negative one after"
		    " --)", args[0], value_type_name(o.type));
		goto out;
	}
	if ((ret = coord_check_place("add to", NULL, o.type, o.offset)) != 0)
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	if ((ret = obj_open(&sels.sel[0], false, &seg)) != EXIT_SHM_OK)
		goto out;
	if ((ret = coord_check_place("add to", &seg, o.type, o.offset)) != 0)
		goto out;
	if ((ret = obj_reserve(&seg, o.offset, value_type_size(o.type))) !=
	    EXIT_SHM_OK)
		goto out;
	p = seg.addr + o.offset;
	atomic_add_value(p, o.type, o.order, &delta, &now);
	atomic_wake(p);
	format_values(stdout, o.type, (const unsigned char *)&now, 1);
out:
	if ((rc = obj_detach(&seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
