/*
 * popt tables and helpers shared by the commands.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "ns.h"
#include "msg.h"
#include "parse.h"

struct poptOption opt_selector_table[] = {
	{ "key", 'k', POPT_ARG_STRING, NULL, OPT_KEY,
	  "the segment's IPC key (0x hex or decimal)", "KEY" },
	{ "file", 'f', POPT_ARG_STRING, NULL, OPT_FILE,
	  "derive the key with ftok(PATH, PROJ)", "PATH" },
	{ "proj", 'p', POPT_ARG_STRING, NULL, OPT_PROJ,
	  "ftok's project id, 1-255 or one character (default 1)", "PROJ" },
	{ "id", 'i', POPT_ARG_STRING, NULL, OPT_ID,
	  "an existing segment's id", "SHMID" },
	{ "posix", 'P', POPT_ARG_STRING, NULL, OPT_POSIX,
	  "a POSIX shared memory object (shm_open), with or without its"
	  " leading /", "NAME" },
	POPT_TABLEEND
};

struct poptOption opt_selector_private_table[] = {
	{ "key", 'k', POPT_ARG_STRING, NULL, OPT_KEY,
	  "the segment's IPC key (0x hex or decimal)", "KEY" },
	{ "file", 'f', POPT_ARG_STRING, NULL, OPT_FILE,
	  "derive the key with ftok(PATH, PROJ)", "PATH" },
	{ "proj", 'p', POPT_ARG_STRING, NULL, OPT_PROJ,
	  "ftok's project id, 1-255 or one character (default 1)", "PROJ" },
	{ "id", 'i', POPT_ARG_STRING, NULL, OPT_ID,
	  "an existing segment's id", "SHMID" },
	{ "posix", 'P', POPT_ARG_STRING, NULL, OPT_POSIX,
	  "a POSIX shared memory object (shm_open), with or without its"
	  " leading /", "NAME" },
	{ "private", '\0', POPT_ARG_NONE, NULL, OPT_PRIVATE,
	  "a new private segment (IPC_PRIVATE)", NULL },
	POPT_TABLEEND
};

struct poptOption opt_selector_sysv_table[] = {
	{ "key", 'k', POPT_ARG_STRING, NULL, OPT_KEY,
	  "the segment's IPC key (0x hex or decimal)", "KEY" },
	{ "file", 'f', POPT_ARG_STRING, NULL, OPT_FILE,
	  "derive the key with ftok(PATH, PROJ)", "PATH" },
	{ "proj", 'p', POPT_ARG_STRING, NULL, OPT_PROJ,
	  "ftok's project id, 1-255 or one character (default 1)", "PROJ" },
	{ "id", 'i', POPT_ARG_STRING, NULL, OPT_ID,
	  "an existing segment's id", "SHMID" },
	POPT_TABLEEND
};

struct poptOption opt_help_table[] = {
	{ "help", 'h', POPT_ARG_NONE, NULL, OPT_HELP,
	  "show this help and exit", NULL },
	POPT_TABLEEND
};

/*
 * "shm NAME" and the argv that popt reads: popt keeps pointers to both for
 * the life of the context, and prints argv[0] in its help.
 */
static char usage_name[64];
static const char **usage_argv;

/* The command's options, for the names that opt_error() suggests. */
static const struct poptOption *usage_table;

/*
 * poptGetContext() stops reading options at the first operand when
 * POSIXLY_CORRECT or POSIX_ME_HARDER is set, so "shm key FILE -h" would read
 * -h as a project id for some users only.  A script must mean the same for
 * everyone: hide both from popt, which reads them only here, and put them
 * back for the programs the command may run.
 */
static poptContext
get_context(const char *name, int argc, const char **av,
    const struct poptOption *table)
{
	static const char *const vars[2] = { "POSIXLY_CORRECT",
	    "POSIX_ME_HARDER" };
	char *saved[2] = { NULL, NULL };
	const char *v;
	poptContext ctx;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((v = getenv(vars[i])) == NULL)
			continue;
		if ((saved[i] = strdup(v)) == NULL) {
			msg_error(EXIT_SHM_FAIL, "out of memory");
			exit(EXIT_SHM_FAIL);
		}
		unsetenv(vars[i]);
	}
	ctx = poptGetContext(name, argc, av, table, 0);
	for (i = 0; i < 2; i++) {
		if (saved[i] == NULL)
			continue;
		setenv(vars[i], saved[i], 1);
		free(saved[i]);
	}
	return ctx;
}

poptContext
opt_context(int argc, const char **argv, const struct poptOption *table,
    const char *synopsis)
{
	poptContext ctx;
	const char **av;
	int i;

	snprintf(usage_name, sizeof(usage_name), "shm %s", argv[0]);
	av = calloc((size_t)argc + 1, sizeof(*av));
	if (av == NULL) {
		msg_error(EXIT_SHM_FAIL, "out of memory");
		exit(EXIT_SHM_FAIL);
	}
	free(usage_argv);
	usage_argv = av;
	av[0] = usage_name;
	for (i = 1; i < argc; i++)
		av[i] = argv[i];
	ctx = get_context(usage_name, argc, av, table);
	if (ctx == NULL) {
		msg_error(EXIT_SHM_FAIL, "out of memory");
		exit(EXIT_SHM_FAIL);
	}
	poptSetOtherOptionHelp(ctx, synopsis);
	usage_table = table;
	return ctx;
}

int
opt_help(poptContext ctx)
{
	poptPrintHelp(ctx, stdout, 0);
	return stdout_status(EXIT_SHM_OK);
}

/*
 * Puts the long names of the options in table and the tables it includes
 * into names (when not NULL), from *n on; hidden ones are left out.
 */
static void
long_names(const struct poptOption *table, const char **names, size_t *n)
{
	const struct poptOption *o;

	for (o = table; o->longName != NULL || o->shortName != '\0' ||
	    o->arg != NULL; o++) {
		if ((o->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE)
			long_names(o->arg, names, n);
		else if (o->longName != NULL &&
		    !(o->argInfo & POPT_ARGFLAG_DOC_HIDDEN)) {
			if (names != NULL)
				names[*n] = o->longName;
			(*n)++;
		}
	}
}

/* For an unknown long option: "hint: did you mean '--json'?" */
static void
suggest_option(const char *bad)
{
	const char **names;
	char *typed;
	size_t n = 0;

	if (usage_table == NULL || strncmp(bad, "--", 2) != 0)
		return;
	long_names(usage_table, NULL, &n);
	names = calloc(n + 1, sizeof(*names));
	typed = strndup(bad + 2, strcspn(bad + 2, "="));
	if (names == NULL || typed == NULL) {
		msg_error(EXIT_SHM_FAIL, "out of memory");
		exit(EXIT_SHM_FAIL);
	}
	n = 0;
	long_names(usage_table, names, &n);
	msg_did_you_mean(typed, names, n, "--");
	free(typed);
	free(names);
}

int
opt_error(poptContext ctx, int rc)
{
	const char *bad = poptBadOption(ctx, POPT_BADOPTION_NOALIAS);

	if (rc != POPT_ERROR_BADOPT)
		return msg_usage("%s: %s", bad, poptStrerror(rc));
	msg_error(EXIT_SHM_USAGE, "%s: %s", bad, poptStrerror(rc));
	suggest_option(bad);
	return msg_usage_hint();
}

static int	take_plain(const char *, int, struct obj_sel *);

/*
 * Parses the NAME of --posix into sel: with or without its leading '/', no
 * other '/', not empty, not "." or "..", at most OBJ_NAME_MAX bytes (row 29
 * of the diagnoses).  sel->name is malloc'd.
 */
static int
take_posix(const char *arg, struct obj_sel *sel)
{
	const char *name = arg != NULL && *arg == '/' ? arg + 1 : arg;
	const char *why = NULL;
	int rc;

	if ((rc = ns_refuse_posix()) != EXIT_SHM_OK)
		return rc;

	if (name == NULL || *name == '\0')
		why = "the name is empty";
	else if (strchr(name, '/') != NULL)
		why = "a name has no '/' but the leading one";
	else if (strlen(name) > OBJ_NAME_MAX)
		why = "a name has at most 255 bytes";
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		why = "'.' and '..' name no object";
	if (why != NULL)
		return msg_usage("--posix: invalid object name '%.300s%s': %s"
		    " (want /NAME or NAME, 1 to 255 bytes, no other '/')",
		    arg != NULL ? arg : "", arg != NULL && strlen(arg) > 300 ?
		    "..." : "", why);
	sel->kind = SEL_POSIX;
	sel->name = xstrf("%s", name);
	return 0;
}

static const char *
sel_opt_name(int rc)
{
	switch (rc) {
	case OPT_KEY:
		return "--key";
	case OPT_FILE:
		return "--file";
	case OPT_ID:
		return "--id";
	case OPT_PRIVATE:
		return "--private";
	case OPT_POSIX:
		return "--posix";
	default:
		return "--proj";
	}
}

static int
push_selector(struct opt_selectors *s, const struct obj_sel *sel, int rc)
{
	if (s->n == s->nalloc) {
		int nalloc = s->nalloc ? s->nalloc * 2 : 4;

		s->sel = xrealloc(s->sel, (size_t)nalloc * sizeof(*s->sel));
		s->nalloc = nalloc;
	}
	if (s->n == 0)
		s->first_opt = sel_opt_name(rc);
	else if (s->n == 1)
		s->second_opt = sel_opt_name(rc);
	s->sel[s->n++] = *sel;
	return EXIT_SHM_OK;
}

/* Keeps a --proj, with the --file that stands before it. */
static int
push_proj(struct opt_selectors *s, int proj)
{
	struct opt_proj *p;
	int i;

	p = xrealloc(s->projs, ((size_t)s->nprojs + 1) * sizeof(*p));
	s->projs = p;
	p += s->nprojs++;
	p->proj = proj;
	p->file = -1;
	for (i = s->n - 1; i >= 0 && p->file < 0; i--)
		if (s->sel[i].kind == SEL_FILE)
			p->file = i;
	return EXIT_SHM_OK;
}

int
opt_take_selector(poptContext ctx, int rc, struct opt_selectors *s,
    bool *taken)
{
	struct obj_sel sel = { .kind = SEL_NONE, .proj = 1 };
	char *arg;
	int ret;

	*taken = rc == OPT_KEY || rc == OPT_FILE || rc == OPT_PROJ ||
	    rc == OPT_ID || rc == OPT_PRIVATE || rc == OPT_POSIX;
	if (!*taken)
		return EXIT_SHM_OK;
	arg = poptGetOptArg(ctx);
	if (rc == OPT_FILE) {
		if (arg == NULL || *arg == '\0') {
			free(arg);
			return msg_usage("--file: empty path");
		}
		sel.kind = SEL_FILE;
		sel.path = arg;		/* freed by opt_free_selectors() */
		return push_selector(s, &sel, rc);
	}
	if (rc == OPT_PROJ) {
		if (parse_proj(arg, &sel.proj) != 0) {
			ret = msg_usage("--proj: invalid project id '%s' (want"
			    " 1 to 255, or one character)", arg);
			free(arg);
			return ret;
		}
		free(arg);
		return push_proj(s, sel.proj);
	}
	ret = take_plain(arg, rc, &sel);
	free(arg);
	if (ret != 0)
		return ret;
	return push_selector(s, &sel, rc);
}

/* Parses the argument of --key, --id or --private into sel. */
static int
take_plain(const char *arg, int rc, struct obj_sel *sel)
{
	switch (rc) {
	case OPT_KEY:
		if (parse_key(arg, &sel->key) != 0) {
			unsigned long long v;
			char *end;

			errno = 0;
			v = strtoull(arg, &end, 0);
			if (*arg != '\0' && *end == '\0' && errno == 0 &&
			    v == 0)
				return msg_usage("--key: key 0 is IPC_PRIVATE;"
				    " use --private for a new private segment");
			return msg_usage("--key: invalid key '%s' (want 0x"
			    " hex or decimal, 1 to 0xffffffff)", arg);
		}
		sel->kind = SEL_KEY;
		sel->resolved = true;
		break;
	case OPT_ID:
		if (parse_id(arg, &sel->id) != 0)
			return msg_usage("--id: invalid segment id '%s' (want"
			    " a decimal number from 0 to 2147483647)", arg);
		sel->kind = SEL_ID;
		break;
	case OPT_POSIX:
		return take_posix(arg, sel);
	default:
		sel->kind = SEL_PRIVATE;
		break;
	}
	return 0;
}

/* Gives each --file its --proj; see opt_check_selectors(). */
static int
pair_projs(struct opt_selectors *s)
{
	int i, k, files = 0, file = -1;

	for (i = 0; i < s->n; i++)
		if (s->sel[i].kind == SEL_FILE) {
			s->sel[i].proj = 1;
			file = i;
			files++;
		}
	for (k = 0; k < s->nprojs; k++) {
		if (files > 1 && (file = s->projs[k].file) < 0)
			return msg_usage("--proj before the first --file:"
			    " with several, each --proj goes after its --file"
			    " (-f A -p 1 -f B -p 2)");
		for (i = 0; i < k; i++)
			if (files == 1 || s->projs[i].file == file)
				return msg_usage("--proj given twice for"
				    " --file '%s'", s->sel[file].path);
		s->sel[file].proj = s->projs[k].proj;
	}
	return 0;
}

int
opt_check_selectors(struct opt_selectors *s, int flags)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->sel[i].kind == SEL_PRIVATE && !(flags & SELS_PRIVATE))
			return msg_usage("--private: only 'create' and"
			    " 'fork-demo' make private segments");
	for (i = 0; i < s->n && s->sel[i].kind != SEL_FILE; i++)
		continue;
	if (s->nprojs > 0 && i == s->n)
		return msg_usage("--proj goes with --file");
	if (s->n == 0 && !(flags & SELS_OPTIONAL))
		return msg_usage("no segment given: name one with --key,"
		    " --file, --id%s or --posix", flags & SELS_PRIVATE ?
		    ", --private" : "");
	if (s->n > 1 && !(flags & SELS_MANY)) {
		if (strcmp(s->first_opt, s->second_opt) == 0)
			return msg_usage("%s given twice: name exactly one"
			    " segment", s->first_opt);
		return msg_usage("%s and %s clash: name exactly one segment",
		    s->first_opt, s->second_opt);
	}
	return pair_projs(s);
}

void
opt_free_selectors(struct opt_selectors *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->sel[i].kind == SEL_FILE)
			free((char *)s->sel[i].path);
		else if (s->sel[i].kind == SEL_POSIX)
			free((char *)s->sel[i].name);
	free(s->projs);
	s->projs = NULL;
	s->nprojs = 0;
	free(s->sel);
	s->sel = NULL;
	s->n = s->nalloc = 0;
}

bool
opt_parse(poptContext ctx, struct opt_selectors *sels,
    int (*take)(poptContext, int, void *), void *data, int flags,
    int *status)
{
	bool taken;
	int rc;

	*status = EXIT_SHM_OK;
	while ((rc = poptGetNextOpt(ctx)) > 0) {
		if (sels != NULL) {
			if ((*status = opt_take_selector(ctx, rc, sels,
			    &taken)) != EXIT_SHM_OK)
				return false;
			if (taken)
				continue;
		}
		if (rc == OPT_HELP) {
			*status = (flags & OPT_OWN_HELP) ? take(ctx, rc, data) :
			    opt_help(ctx);
			return false;
		}
		if (take != NULL &&
		    (*status = take(ctx, rc, data)) != EXIT_SHM_OK)
			return false;
	}
	if (rc < -1) {
		*status = (flags & OPT_OWN_ERRORS) ? take(ctx, rc, data) :
		    opt_error(ctx, rc);
		return false;
	}
	if ((flags & OPT_NO_OPERANDS) && poptPeekArg(ctx) != NULL) {
		*status = msg_usage("unexpected argument '%s'",
		    poptPeekArg(ctx));
		return false;
	}
	return true;
}

int
opt_take_switch(poptContext ctx, int val, void *data)
{
	(void)ctx;
	(void)val;
	*(bool *)data = true;
	return EXIT_SHM_OK;
}

void
opt_given_add(struct opt_given *g, int val)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->val[i] == val)
			return;
	if (g->n < (int)(sizeof(g->val) / sizeof(g->val[0])))
		g->val[g->n++] = val;
}

static bool
given(const struct opt_given *g, int val)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->val[i] == val)
			return true;
	return false;
}

/* The long name of the option of value val in table and its includes. */
static const char *
opt_name(const struct poptOption *table, int val)
{
	const struct poptOption *o;
	const char *name;

	for (o = table; o->longName != NULL || o->shortName != '\0' ||
	    o->arg != NULL; o++) {
		if ((o->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE) {
			if ((name = opt_name(o->arg, val)) != NULL)
				return name;
		} else if (o->val == val && o->longName != NULL)
			return o->longName;
	}
	return NULL;
}

int
opt_check_excl(const struct opt_excl *excl, const struct opt_given *g,
    const struct poptOption *table)
{
	const int *v;
	int first;

	for (; excl->val[0] != 0; excl++) {
		first = 0;
		for (v = excl->val; v < excl->val + OPT_EXCL_MAX && *v != 0;
		    v++) {
			if (!given(g, *v))
				continue;
			if (first == 0) {
				first = *v;
				continue;
			}
			return msg_usage("--%s and --%s clash: %s",
			    opt_name(table, first), opt_name(table, *v),
			    excl->why);
		}
	}
	return EXIT_SHM_OK;
}

int
opt_one_operand(poptContext ctx, const char *missing, const char **operand)
{
	const char **args = poptGetArgs(ctx);

	if (args == NULL || args[0] == NULL)
		return msg_usage("%s", missing);
	if (args[1] != NULL)
		return msg_usage("unexpected argument '%s': name segments with"
		    " --key, --file or --id", args[1]);
	*operand = args[0];
	return EXIT_SHM_OK;
}

int
opt_size(const char *opt, const char *text, uint64_t *out)
{
	if (parse_size(text, out) != 0)
		return msg_usage("%s: invalid number '%s' (want decimal or 0x"
		    " hex, with an optional K, M, G, KiB, MiB, GiB, KB, MB or"
		    " GB)", opt, text);
	return 0;
}

int
opt_type(const char *text, enum value_type *out)
{
	if (parse_type(text, out) != 0)
		return msg_usage("--type: unknown type '%s' (want raw, hex, i8,"
		    " i16, i32, i64, u8, u16, u32, u64, f32 or f64)", text);
	return 0;
}

int
opt_type_record(const char *text, enum value_type *type,
    struct record_type *rec)
{
	size_t i;

	record_free(rec);
	if (parse_type(text, type) == 0 && (*type == VT_RAW ||
	    *type == VT_HEX))
		return 0;
	if (parse_record(text, rec) != 0)
		return msg_usage("--type: unknown type '%s' (want raw, hex, i8,"
		    " i16, i32, i64, u8, u16, u32, u64, f32 or f64, or a"
		    " record of number types and xN padding such as"
		    " i32,x4,f64)", text);
	for (i = 0; i < rec->n; i++)
		if (rec->field[i].type != VT_RAW) {
			*type = rec->field[i].type;
			break;
		}
	return 0;
}

/* A number from 0 to 2^32 - 2 (-1 means "unchanged" to the kernel). */
static int
parse_numeric_id(const char *text, unsigned long *out)
{
	unsigned long long v;
	char *end;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v >= UINT32_MAX)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int
opt_user(const char *opt, const char *text, uid_t *out)
{
	struct passwd *pw = getpwnam(text);
	unsigned long v;

	if (pw != NULL) {
		*out = pw->pw_uid;
		return 0;
	}
	if (parse_numeric_id(text, &v) == 0) {
		*out = (uid_t)v;
		return 0;
	}
	return msg_usage("%s: no user '%s'", opt, text);
}

int
opt_group(const char *opt, const char *text, gid_t *out)
{
	struct group *gr = getgrnam(text);
	unsigned long v;

	if (gr != NULL) {
		*out = gr->gr_gid;
		return 0;
	}
	if (parse_numeric_id(text, &v) == 0) {
		*out = (gid_t)v;
		return 0;
	}
	return msg_usage("%s: no group '%s'", opt, text);
}
