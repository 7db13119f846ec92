/*
 * The floor for a short write: what `shm write -k KEY -t i32 3` must do at
 * the least, and nothing more.  No error messages: the bench checks the
 * exit status once before it times anything.
 * usage: floor KEY
 */
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>

int
main(int argc, char **argv)
{
	void *p;
	int id;

	if (argc != 2)
		return 2;
	if ((id = shmget((key_t)strtoul(argv[1], NULL, 0), 0, 0)) < 0)
		return 1;
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		return 1;
	*(volatile int *)p = 3;
	return shmdt(p) == 0 ? 0 : 1;
}
