/*
 * The column model of shm ls, whose names are also the keys of
 * shm stat --json.
 */
#ifndef SHM_COLUMNS_H
#define SHM_COLUMNS_H

#include <stddef.h>

#include "object.h"
#include "table.h"

/* The columns of shm ls, which are also the keys of shm stat --json. */
enum seg_col {
	SEGCOL_KEY,
	SEGCOL_ID,
	SEGCOL_OWNER,
	SEGCOL_PERMS,
	SEGCOL_SIZE,
	SEGCOL_NATTCH,
	SEGCOL_STATUS,
	SEGCOL_MODE,
	SEGCOL_GROUP,
	SEGCOL_UID,
	SEGCOL_GID,
	SEGCOL_CUID,
	SEGCOL_CGID,
	SEGCOL_CPID,
	SEGCOL_LPID,
	SEGCOL_ATIME,
	SEGCOL_DTIME,
	SEGCOL_CTIME,
	SEGCOL_RSS,
	SEGCOL_SWAP,
	SEGCOL_COMMAND,
	SEGCOL_PAGESIZE,
	SEGCOL_NAME,
	SEGCOL_NPROCS,
	SEGCOL_MTIME,
	SEGCOL_COUNT,
};

struct seg_column {
	const char	*name;		/* "KEY"; lower case in JSON */
	int		 json_type;	/* JSON_* */
	int		 flags;		/* COLUMN_* */
	const char	*help;
	unsigned int	 kinds;		/* SEGCOL_OF(kind) of each kind of
					   object that has it */
};

/* The bit of a kind of object (enum obj_kind) in seg_column.kinds. */
#define SEGCOL_OF(kind)	(1U << (kind))

/* Whether the object info describes has column col. */
#define SEGCOL_HAS(info, col) \
	((seg_columns[col].kinds & SEGCOL_OF((info)->kind)) != 0)

extern const struct seg_column seg_columns[SEGCOL_COUNT];

/* The column named name (len bytes, any case), or -1. */
int	seg_column_find(const char *name, size_t len);

/* How seg_column_text() writes a value. */
#define SEGCOL_AS_JSON	0x1	/* bytes, epoch seconds, NULL for null */
#define SEGCOL_AS_BYTES	0x2	/* sizes in bytes, not 1.5K */

/*
 * The value of column col for a segment, as text for a table ("-" for a
 * time never set) or, with SEGCOL_AS_JSON, as the text of a JSON value of
 * the column's type: in buf (at least 32 bytes), or in static or cached
 * storage.  NULL for a JSON null.  NAME needs OBJ_NAME_MAX + 2 bytes.
 */
const char *seg_column_text(const struct obj_info *, enum seg_col col,
	    int how, char *buf, size_t len);

#endif
