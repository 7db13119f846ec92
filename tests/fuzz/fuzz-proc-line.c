/*
 * parse_proc_line() (seglist.c) on any bytes: it reads nothing outside
 * the line, always says row, none or refused, ends its reason; and a row
 * it accepts, written back as the kernel writes one, parses to the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msg.h"
#include "names.h"
#include "seglist.h"

/*
 * seglist.c is compiled here with the harness; what it calls of the rest
 * of shm(1), only when it lists, is stubbed.
 */
int
msg_error(int code, const char *fmt, ...)
{
	(void)fmt;
	return code;
}

void
msg_note(const char *fmt, ...)
{
	(void)fmt;
}

int
sysv_list_walk(struct obj_info **rows, size_t *nrows, bool *complete)
{
	*rows = NULL;
	*nrows = 0;
	*complete = true;
	return -1;
}

/* Writes r as a row of /proc/sysvipc/shm. */
static int
format_row(const struct obj_info *r, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%10d %10d %4o %21" PRIu64 " %5d %5d %6" PRIu64
	    " %5u %5u %5u %5u %10jd %10jd %10jd", (int)r->key, r->id, r->mode,
	    r->size, (int)r->cpid, (int)r->lpid, r->nattch,
	    (unsigned int)r->uid, (unsigned int)r->gid,
	    (unsigned int)r->cuid, (unsigned int)r->cgid, (intmax_t)r->atime,
	    (intmax_t)r->dtime, (intmax_t)r->ctime);
	if (r->mem_known)
		n += snprintf(buf + n, len - (size_t)n, " %21" PRIu64 " %21"
		    PRIu64, r->rss, r->swap);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obj_info r, again;
	char why[160], *line, text[512];
	int rc, n;

	/* exactly size bytes: a read past the end is caught */
	if ((line = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	memset(why, 'x', sizeof(why));
	rc = parse_proc_line(line, line + size, &r, why, sizeof(why));
	FUZZ_CHECK(rc == -1 || rc == 0 || rc == 1);
	if (rc == -1)
		FUZZ_CHECK(memchr(why, '\0', sizeof(why)) != NULL &&
		    why[0] != '\0');
	if (rc == 0) {
		FUZZ_CHECK(r.mode <= 07777);
		FUZZ_CHECK(r.id >= 0 && r.cpid >= 0 && r.lpid >= 0);
		FUZZ_CHECK(r.uid != (uid_t)-1 && r.gid != (gid_t)-1);
		FUZZ_CHECK(r.mem_known || (r.rss == 0 && r.swap == 0));
		n = format_row(&r, text, sizeof(text));
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof(text));
		FUZZ_CHECK(parse_proc_line(text, text + n, &again, why,
		    sizeof(why)) == 0);
		FUZZ_CHECK(memcmp(&r.key, &again.key, sizeof(r.key)) == 0);
		FUZZ_CHECK(again.id == r.id && again.mode == r.mode);
		FUZZ_CHECK(again.size == r.size && again.nattch == r.nattch);
		FUZZ_CHECK(again.cpid == r.cpid && again.lpid == r.lpid);
		FUZZ_CHECK(again.uid == r.uid && again.gid == r.gid);
		FUZZ_CHECK(again.cuid == r.cuid && again.cgid == r.cgid);
		FUZZ_CHECK(again.atime == r.atime && again.dtime == r.dtime &&
		    again.ctime == r.ctime);
		FUZZ_CHECK(again.mem_known == r.mem_known);
		FUZZ_CHECK(again.rss == r.rss && again.swap == r.swap);
	}
	free(line);
	return 0;
}
