/*
 * The columns of shm ls: their names, and the text of each for a segment.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "columns.h"
#include "format.h"
#include "names.h"
#include "object.h"

/* The columns of a segment. */
#define SV	SEGCOL_OF(OBJ_SYSV)
#define PX	SEGCOL_OF(OBJ_POSIX)

const struct seg_column seg_columns[SEGCOL_COUNT] = {
	[SEGCOL_KEY] = { "KEY", JSON_STRING, 0,
	    "the key, 0x%08x (0x00000000: private, or marked for removal)",
	    SV },
	[SEGCOL_ID] = { "ID", JSON_NUMBER, COLUMN_RIGHT,
	    "the segment id", SV },
	[SEGCOL_OWNER] = { "OWNER", JSON_STRING, 0,
	    "the owner's user name (or uid)", SV | PX },
	[SEGCOL_PERMS] = { "PERMS", JSON_STRING, 0,
	    "permission bits, rw-r-----", SV | PX },
	[SEGCOL_SIZE] = { "SIZE", JSON_NUMBER, COLUMN_RIGHT,
	    "size (in bytes with --bytes, and in JSON)", SV | PX },
	[SEGCOL_NATTCH] = { "NATTCH", JSON_NUMBER, COLUMN_RIGHT,
	    "number of attachments", SV },
	[SEGCOL_STATUS] = { "STATUS", JSON_STRING, 0,
	    "dest (marked for removal), locked (SHM_LOCK), or -", SV },
	[SEGCOL_MODE] = { "MODE", JSON_STRING, COLUMN_RIGHT,
	    "permission bits in octal, 0640", SV | PX },
	[SEGCOL_GROUP] = { "GROUP", JSON_STRING, 0,
	    "the owner's group name (or gid)", SV | PX },
	[SEGCOL_UID] = { "UID", JSON_NUMBER, COLUMN_RIGHT,
	    "the owner's uid", SV | PX },
	[SEGCOL_GID] = { "GID", JSON_NUMBER, COLUMN_RIGHT,
	    "the owner's gid", SV | PX },
	[SEGCOL_CUID] = { "CUID", JSON_NUMBER, COLUMN_RIGHT,
	    "the creator's uid", SV },
	[SEGCOL_CGID] = { "CGID", JSON_NUMBER, COLUMN_RIGHT,
	    "the creator's gid", SV },
	[SEGCOL_CPID] = { "CPID", JSON_NUMBER, COLUMN_RIGHT,
	    "the pid of the creator", SV },
	[SEGCOL_LPID] = { "LPID", JSON_NUMBER, COLUMN_RIGHT,
	    "the pid of the last attach or detach", SV },
	[SEGCOL_ATIME] = { "ATIME", JSON_NUMBER, 0,
	    "last attach, or last read of a POSIX object (local time;"
	    " epoch seconds in JSON)", SV | PX },
	[SEGCOL_DTIME] = { "DTIME", JSON_NUMBER, 0,
	    "last detach", SV },
	[SEGCOL_CTIME] = { "CTIME", JSON_NUMBER, 0,
	    "creation or last change (chmod, chown, size)", SV | PX },
	[SEGCOL_RSS] = { "RSS", JSON_NUMBER, COLUMN_RIGHT,
	    "bytes resident in memory (from /proc only; of a POSIX"
	    " object, in memory or swap)", SV | PX },
	[SEGCOL_SWAP] = { "SWAP", JSON_NUMBER, COLUMN_RIGHT,
	    "bytes swapped out (from /proc only)", SV },
	[SEGCOL_COMMAND] = { "COMMAND", JSON_STRING, COLUMN_TRUNC,
	    "the creator's command line while it runs", SV },
	[SEGCOL_PAGESIZE] = { "PAGESIZE", JSON_NUMBER, COLUMN_RIGHT,
	    "size of the pages backing it, 4K or huge (from a process that"
	    " has it attached; - when unknown)", SV },
	[SEGCOL_NAME] = { "NAME", JSON_STRING, 0,
	    "the name of a POSIX object, /NAME", PX },
	[SEGCOL_NPROCS] = { "NPROCS", JSON_NUMBER, COLUMN_RIGHT,
	    "processes that map a POSIX object or hold it open", PX },
	[SEGCOL_MTIME] = { "MTIME", JSON_NUMBER, 0,
	    "last write to a POSIX object", PX },
};

int
seg_column_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < SEGCOL_COUNT; i++)
		if (strlen(seg_columns[i].name) == len &&
		    strncasecmp(seg_columns[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/*
 * Puts v in decimal (with a '-' when neg) into buf, which has room for 22
 * bytes.  A listing formats tens of thousands of numbers, and snprintf()
 * spends most of its time parsing its format.
 */
static const char *
put_num(char *buf, uint64_t v, bool neg)
{
	char tmp[21], *p = tmp + sizeof(tmp);
	size_t n;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static const char *
put_int(char *buf, long long v)
{
	return put_num(buf, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

static const char *
size_text(uint64_t v, int how, char *buf)
{
	if (how & (SEGCOL_AS_JSON | SEGCOL_AS_BYTES))
		return put_num(buf, v, false);
	return format_human(v, buf);
}

/*
 * A time for a table: ISO 8601 in local time, with a T so that a raw
 * table keeps one word per cell, and no locale in it.
 */
static const char *
time_text(time_t t, int how, char *buf, size_t len)
{
	struct tm tm;

	if (how & SEGCOL_AS_JSON) {
		if (t == 0)
			return NULL;
		put_int(buf, (long long)t);
	} else if (t == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "-");
	return buf;
}

const char *
seg_column_text(const struct obj_info *r, enum seg_col col, int how,
    char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	static char *command;
	const char *name;
	uint32_t key;
	int i;

	/* Every value but a name fits in 32 bytes; see put_num(). */
	if (len < 32)
		return NULL;
	switch (col) {
	case SEGCOL_KEY:
		key = (uint32_t)r->key;
		memcpy(buf, "0x", 2);
		for (i = 0; i < 8; i++)
			buf[2 + i] = hex[key >> (28 - 4 * i) & 0xf];
		buf[10] = '\0';
		return buf;
	case SEGCOL_ID:
		return put_int(buf, r->id);
	case SEGCOL_OWNER:
		if ((name = uid_name(r->uid)) != NULL)
			return name;
		return put_num(buf, (unsigned int)r->uid, false);
	case SEGCOL_PERMS:
		return format_perms(r->mode, buf);
	case SEGCOL_SIZE:
		return size_text(r->size, how, buf);
	case SEGCOL_NATTCH:
		return put_num(buf, r->nattch, false);
	case SEGCOL_STATUS:
		if ((r->mode & (OBJ_MODE_DEST | OBJ_MODE_LOCKED)) == 0)
			return (how & SEGCOL_AS_JSON) ? NULL : "-";
		if ((r->mode & OBJ_MODE_LOCKED) == 0)
			return "dest";
		if ((r->mode & OBJ_MODE_DEST) == 0)
			return "locked";
		return "dest,locked";
	case SEGCOL_MODE:
		snprintf(buf, len, "%04o", r->mode & 0777);
		return buf;
	case SEGCOL_GROUP:
		if ((name = gid_name(r->gid)) != NULL)
			return name;
		return put_num(buf, (unsigned int)r->gid, false);
	case SEGCOL_UID:
		return put_num(buf, (unsigned int)r->uid, false);
	case SEGCOL_GID:
		return put_num(buf, (unsigned int)r->gid, false);
	case SEGCOL_CUID:
		return put_num(buf, (unsigned int)r->cuid, false);
	case SEGCOL_CGID:
		return put_num(buf, (unsigned int)r->cgid, false);
	case SEGCOL_CPID:
		return put_int(buf, r->cpid);
	case SEGCOL_LPID:
		return put_int(buf, r->lpid);
	case SEGCOL_ATIME:
		return time_text(r->atime, how, buf, len);
	case SEGCOL_DTIME:
		return time_text(r->dtime, how, buf, len);
	case SEGCOL_CTIME:
		return time_text(r->ctime, how, buf, len);
	case SEGCOL_NAME:
		snprintf(buf, len, "/%s", r->name);
		return buf;
	case SEGCOL_NPROCS:
		return put_num(buf, r->nattch, false);
	case SEGCOL_MTIME:
		return time_text(r->mtime, how, buf, len);
	case SEGCOL_RSS:
	case SEGCOL_SWAP:
		if (!r->mem_known)
			return (how & SEGCOL_AS_JSON) ? NULL : "-";
		return size_text(col == SEGCOL_RSS ? r->rss : r->swap, how,
		    buf);
	case SEGCOL_COMMAND:
		/* Kept until the next call, as a name is. */
		free(command);
		return command = obj_creator_command(r);
	case SEGCOL_PAGESIZE:
		if (r->page_size == 0)
			return (how & SEGCOL_AS_JSON) ? NULL : "-";
		return size_text(r->page_size, how, buf);
	default:
		return NULL;
	}
}
