/*
 * shm fork-demo: not built yet.
 */
#include "commands.h"
#include "output.h"

int
cmd_fork_demo(int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	return msg_error(EXIT_SHM_FAIL, "not built yet");
}
