/*
 * shm chown: change the owner and group of segments (shmctl IPC_SET).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "output.h"
#include "segment.h"

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
	struct seg_info info;
	const char **args;
	poptContext ctx;
	uid_t uid;
	gid_t gid;
	int i, n, rc, ret = EXIT_SHM_OK;

	ctx = opt_context(argc, argv, options, "USER[:GROUP] SELECTOR...");
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if ((ret = opt_take_selector(ctx, rc, &sels)) == 1) {
			ret = EXIT_SHM_OK;
			continue;
		}
		if (ret != EXIT_SHM_OK)
			goto out;
		if (rc == OPT_HELP) {
			ret = opt_help(ctx);
			goto out;
		}
	}
	if (rc < -1) {
		ret = opt_error(ctx, rc);
		goto out;
	}
	args = poptGetArgs(ctx);
	for (n = 0; args != NULL && args[n] != NULL; n++)
		;
	if (n == 0) {
		ret = msg_usage("a USER[:GROUP] is needed");
		goto out;
	}
	if (n > 1) {
		ret = msg_usage("unexpected argument '%s': name segments with"
		    " --key, --file or --id", args[1]);
		goto out;
	}
	if ((ret = parse_owner(args[0], &uid, &gid)) != EXIT_SHM_OK)
		goto out;
	if ((ret = opt_check_selectors(&sels, SELS_MANY)) != EXIT_SHM_OK)
		goto out;
	/* Each in turn; the first failure gives the exit status. */
	for (i = 0; i < sels.n; i++) {
		rc = seg_lookup(&sels.sel[i], &info, 0);
		if (rc == EXIT_SHM_OK)
			rc = seg_set_owner(&info, uid, gid);
		if (rc != EXIT_SHM_OK && ret == EXIT_SHM_OK)
			ret = rc;
	}
out:
	opt_free_selectors(&sels);
	poptFreeContext(ctx);
	return ret;
}
