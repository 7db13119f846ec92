/*
 * Runs a command with its standard input or output on a file, as a shell's
 * < and > would, but without starting a shell inside the timed run.
 * usage: redir [-i FILE] [-o FILE] COMMAND [ARG...]
 */
#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static void
onto(const char *path, int flags, int fd)
{
	int f;

	if ((f = open(path, flags, 0644)) < 0)
		err(127, "%s", path);
	if (f != fd) {
		if (dup2(f, fd) < 0)
			err(127, "dup2");
		close(f);
	}
}

int
main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+i:o:")) != -1) {
		switch (c) {
		case 'i':
			onto(optarg, O_RDONLY, 0);
			break;
		case 'o':
			onto(optarg, O_WRONLY | O_CREAT | O_TRUNC, 1);
			break;
		default:
			return 127;
		}
	}
	if (optind == argc)
		errx(127, "usage: redir [-i FILE] [-o FILE] COMMAND [ARG...]");
	execvp(argv[optind], argv + optind);
	err(127, "%s", argv[optind]);
}
