/*
 * shm(1): System V shared memory from the command line.  main() reads the
 * global options, finds the command in commands[] and runs it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "commands.h"
#include "msg.h"
#include "ns.h"

static const struct shm_command commands[] = {
	{ "create",	cmd_create,
	  "make a segment, or open an existing one, and print its id" },
	{ "write",	cmd_write,	"copy data into a segment" },
	{ "read",	cmd_read,	"copy data out of a segment" },
	{ "rm",		cmd_rm,		"remove segments" },
	{ "ls",		cmd_ls,		"list segments" },
	{ "stat",	cmd_stat,
	  "one segment in detail, and what you may do with it" },
	{ "key",	cmd_key,
	  "print the key that ftok(3) derives from a file" },
	{ "chmod",	cmd_chmod,	"change a segment's mode bits" },
	{ "chown",	cmd_chown,	"change a segment's owner and group" },
	{ "limits",	cmd_limits,
	  "the kernel's shared-memory limits and current use" },
	{ "fork-demo",	cmd_fork_demo,
	  "a parent and its child talk through a segment" },
	{ "wait",	cmd_wait,
	  "block until a segment appears, goes, gets attached, or a value"
	  " in it changes" },
	{ "add",	cmd_add,
	  "atomically add to a number in a segment, print the new value" },
	{ "cas",	cmd_cas,
	  "atomically compare-and-swap a number in a segment" },
	{ "lock",	cmd_lock,
	  "run a command while holding the segment's lock" },
	{ "pin",	cmd_pin,
	  "lock a segment's pages in memory (SHM_LOCK)" },
	{ "unpin",	cmd_unpin,
	  "let a segment's pages be swapped again (SHM_UNLOCK)" },
	{ "metrics",	cmd_metrics,
	  "segments and limits in the OpenMetrics text format" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char usage[] =
    "usage: shm [-h|--help] [-V|--version] [--ns=TARGET] COMMAND [OPTION...]"
    " [ARG...]\n"
    "       shm help COMMAND\n";

static void
list_commands(FILE *fp)
{
	size_t i;

	fputs("\ncommands:\n", fp);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s  %s\n", commands[i].name,
		    commands[i].summary);
	fputs("\n'shm COMMAND --help' (or 'shm help COMMAND') tells more;"
	    " see also shm(1).\n", fp);
}

static const struct shm_command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Names the commands closest to name, as git does; then lists them all. */
static int
unknown_command(const char *name)
{
	const char *names[NCOMMANDS];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	msg_error(EXIT_SHM_USAGE, "'%s' is not a command", name);
	msg_did_you_mean(name, names, NCOMMANDS, "");
	fputs(usage, stderr);
	list_commands(stderr);
	return EXIT_SHM_USAGE;
}

static int
unknown_option(const char *opt)
{
	static const char *const names[] = { "help", "version", "ns" };
	char *typed;

	msg_error(EXIT_SHM_USAGE, "unknown option '%s'", opt);
	if (strncmp(opt, "--", 2) == 0 &&
	    (typed = strndup(opt + 2, strcspn(opt + 2, "="))) != NULL) {
		msg_did_you_mean(typed, names, 3, "--");
		free(typed);
	}
	fputs(usage, stderr);
	return EXIT_SHM_USAGE;
}

static int
run(const struct shm_command *cmd, int argc, const char **argv)
{
	msg_set_command(cmd->name);
	return stdout_status(cmd->fn(argc, argv));
}

/*
 * --ns=TARGET or --ns TARGET at av[0]: *target, and how many words it
 * took; 0 when av[0] is no --ns.
 */
static int
ns_option(int argc, const char **av, const char **target)
{
	if (strncmp(av[0], "--ns=", 5) == 0) {
		*target = av[0] + 5;
		return 1;
	}
	if (strcmp(av[0], "--ns") != 0)
		return 0;
	*target = argc > 1 ? av[1] : NULL;
	return 2;
}

/*
 * Runs what av[0...] asks (global options, then a command), in the IPC
 * namespace of target when an --ns gave one: --help, --version and help
 * COMMAND are answered wherever --ns stands.
 */
static int
dispatch(int argc, const char **av, const char *target)
{
	const struct shm_command *cmd;
	const char *help_argv[3], *t = NULL;
	int n, rc;

	if (argc < 1) {
		msg_error(EXIT_SHM_USAGE, target != NULL ?
		    "no command given after --ns" : "no command given");
		fputs(usage, stderr);
		list_commands(stderr);
		return EXIT_SHM_USAGE;
	}
	if (strcmp(av[0], "-h") == 0 || strcmp(av[0], "--help") == 0) {
		fputs(usage, stdout);
		list_commands(stdout);
		return stdout_status(EXIT_SHM_OK);
	}
	if (strcmp(av[0], "-V") == 0 || strcmp(av[0], "--version") == 0) {
		puts("shm " SHM_VERSION);
		return stdout_status(EXIT_SHM_OK);
	}
	if (strcmp(av[0], "help") == 0) {
		if (argc == 1) {
			fputs(usage, stdout);
			list_commands(stdout);
			return stdout_status(EXIT_SHM_OK);
		}
		if ((cmd = find_command(av[1])) == NULL)
			return unknown_command(av[1]);
		help_argv[0] = cmd->name;
		help_argv[1] = "--help";
		help_argv[2] = NULL;
		return run(cmd, 2, help_argv);
	}
	if ((n = ns_option(argc, av, &t)) > 0) {
		if (target != NULL)
			return msg_usage("--ns given twice: one namespace at a"
			    " time");
		if (t == NULL || *t == '\0')
			return msg_usage("--ns needs a TARGET (a pid, or an IPC"
			    " namespace file)");
		return dispatch(argc - n, av + n, t);
	}
	if (av[0][0] == '-')
		return unknown_option(av[0]);
	if ((cmd = find_command(av[0])) == NULL)
		return unknown_command(av[0]);
	if (target != NULL) {
		msg_set_command(cmd->name);
		if ((rc = ns_enter_target(target)) != EXIT_SHM_OK)
			return rc;
	}
	return run(cmd, argc, av);
}

int
main(int argc, char **argv)
{
	/*
	 * A closed pipe ends shm quietly, as it ends cat: a caller that
	 * ignores SIGPIPE (and so would make every write fail with EPIPE)
	 * does not change that.
	 */
	signal(SIGPIPE, SIG_DFL);

	return dispatch(argc - 1, (const char **)argv + 1, NULL);
}
