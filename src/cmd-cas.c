/*
 * shm cas: atomically compare-and-swap a number in a segment.
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

static int
operand(enum value_type type, const char *name, const char *text,
    union value *v)
{
	memset(v, 0, sizeof(*v));
	if (parse_value(type, text, v) != 0)
		return msg_usage("invalid %s '%s' for %s (want a number that"
		    " fits the type; a negative one after --)", name, text,
		    value_type_name(type));
	return 0;
}

int
cmd_cas(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct coord_place o = { .order = BO_NATIVE };
	struct obj seg = { 0 };
	union value expected, desired, found;
	const char **args;
	unsigned char *p;
	poptContext ctx;
	int rc, ret;

	ctx = opt_context(argc, argv, options,
	    "SELECTOR [-o OFFSET] -t TYPE [-e ENDIAN] [--] EXPECTED NEW\n\n"
	    "Atomically: if the number at OFFSET is EXPECTED, stores NEW."
	    "  Prints the value\nthat was there; exits 0 when it stored NEW,"
	    " 7 when it found another value.");
	if (!opt_parse(ctx, &sels, coord_take_place, &o, 0, &ret))
		goto out;
	if (!o.typed) {
		ret = msg_usage("--type is needed: the number's type (i8 ..."
		    " u64, f32, f64)");
		goto out;
	}
	args = poptGetArgs(ctx);
	if (args == NULL || args[0] == NULL || args[1] == NULL) {
		ret = msg_usage("cas needs two numbers: EXPECTED and NEW");
		goto out;
	}
	if (args[2] != NULL) {
		ret = msg_usage("unexpected argument '%s': cas takes EXPECTED"
		    " and NEW", args[2]);
		goto out;
	}
	if ((ret = operand(o.type, "EXPECTED", args[0], &expected)) != 0 ||
	    (ret = operand(o.type, "NEW", args[1], &desired)) != 0)
		goto out;
	if ((ret = coord_check_place("compare-and-swap", NULL, o.type,
	    o.offset)) != 0)
		goto out;
	if ((ret = opt_check_selectors(&sels, 0)) != EXIT_SHM_OK)
		goto out;
	if ((ret = obj_open(&sels.sel[0], false, &seg)) != EXIT_SHM_OK)
		goto out;
	if ((ret = coord_check_place("compare-and-swap", &seg, o.type,
	    o.offset)) != 0)
		goto out;
	if ((ret = obj_reserve(&seg, o.offset, value_type_size(o.type))) !=
	    EXIT_SHM_OK)
		goto out;
	p = seg.addr + o.offset;
	if (atomic_cas_value(p, o.type, o.order, &expected, &desired,
	    &found)) {
		atomic_wake(p);
		ret = EXIT_SHM_OK;
	} else {
		ret = EXIT_SHM_UNMET;
	}
	format_values(stdout, o.type, (const unsigned char *)&found, 1);
out:
	if ((rc = obj_detach(&seg)) != EXIT_SHM_OK && ret == EXIT_SHM_OK)
		ret = rc;
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
