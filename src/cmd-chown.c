/*
 * shm chown: change the owner and group of segments (shmctl IPC_SET).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "msg.h"
#include "object.h"

static struct poptOption options[] = {
	OPT_INCLUDE_SELECTOR,
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/*
 * Reads USER, USER:GROUP, :GROUP or USER: (the user and his login group),
 * as chown(1) does.  (uid_t)-1 or (gid_t)-1 leaves one unchanged.
 */
static int
parse_owner(const char *spec, uid_t *uid, gid_t *gid)
{
	const char *colon = strchr(spec, ':');
	struct passwd *pw;
	char *user;
	int rc = 0;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (*spec == '\0' || strcmp(spec, ":") == 0)
		return msg_usage("no user or group given (want USER[:GROUP],"
		    " :GROUP or USER:)");
	if (colon != NULL && colon[1] != '\0' &&
	    (rc = opt_group("GROUP", colon + 1, gid)) != 0)
		return rc;
	if (colon == spec)
		return 0;
	if ((user = strndup(spec, colon != NULL ? (size_t)(colon - spec) :
	    strlen(spec))) == NULL)
		return msg_error(EXIT_SHM_FAIL, "out of memory");
	if ((rc = opt_user("USER", user, uid)) == 0 && colon != NULL &&
	    colon[1] == '\0') {
		if ((pw = getpwuid(*uid)) != NULL)
			*gid = pw->pw_gid;
		else
			rc = msg_usage("'%s': user %s has no login group;"
			    " name the group (USER:GROUP)", spec, user);
	}
	free(user);
	return rc;
}

int
cmd_chown(int argc, const char **argv)
{
	struct opt_selectors sels = { 0 };
	struct obj_info info;
	const char *arg;
	poptContext ctx;
	uid_t uid;
	gid_t gid;
	int i, rc, ret;

	ctx = opt_context(argc, argv, options, "USER[:GROUP] SELECTOR...");
	if (!opt_parse(ctx, &sels, NULL, NULL, 0, &ret))
		goto out;
	ret = opt_one_operand(ctx, "a USER[:GROUP] is needed", &arg);
	if (ret != EXIT_SHM_OK)
		goto out;
	if ((ret = parse_owner(arg, &uid, &gid)) != EXIT_SHM_OK)
		goto out;
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK)
		goto out;
	/* Each in turn; the first failure gives the exit status. */
	for (i = 0; i < sels.n; i++) {
		rc = obj_lookup(&sels.sel[i], &info, 0);
		if (rc == EXIT_SHM_OK)
			rc = obj_set_owner(&info, uid, gid);
		if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
