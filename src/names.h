/*
 * The names of users and groups.
 */
#ifndef SHM_NAMES_H
#define SHM_NAMES_H

#include <sys/types.h>

/*
 * The names of users and groups, each looked up once (a listing shows the
 * same few owners on thousands of rows).  NULL when the id has no name.
 */
const char *uid_name(uid_t);
const char *gid_name(gid_t);

#endif
