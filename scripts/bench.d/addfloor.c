/*
 * The floor for `shm add -k KEY -t u32 1`: look the segment up, attach it,
 * add atomically, wake the waiters, print the new value, detach.  Nothing
 * more.
 * usage: addfloor KEY
 */
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	uint32_t *p, v;
	int id;

	if (argc != 2)
		return 2;
	if ((id = shmget((key_t)strtoul(argv[1], NULL, 0), 0, 0)) < 0)
		return 1;
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		return 1;
	v = __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, p, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
	printf("%u\n", v);
	return shmdt(p) == 0 && fflush(stdout) == 0 ? 0 : 1;
}
