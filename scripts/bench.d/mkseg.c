/*
 * Makes the segments the bench works on, quickly and without a shell loop.
 * usage: mkseg -n N          N private segments of one page each
 *        mkseg KEY SIZE      one segment of SIZE bytes (a number, or with a
 *                            G, M or K suffix), filled with a pattern
 * They are never removed here: the bench runs in its own IPC namespace,
 * which takes them along when it ends.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

static size_t
size_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G':
		v <<= 10;
		/* FALLTHROUGH */
	case 'M':
		v <<= 10;
		/* FALLTHROUGH */
	case 'K':
		v <<= 10;
		end++;
		break;
	}
	if (*end != '\0' || v == 0)
		errx(2, "bad size '%s'", s);
	return (size_t)v;
}

int
main(int argc, char **argv)
{
	size_t size, i;
	long n, k;
	char *p;
	int id;

	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		n = strtol(argv[2], NULL, 10);
		for (k = 0; k < n; k++)
			if (shmget(IPC_PRIVATE, (size_t)getpagesize(),
			    IPC_CREAT | 0600) < 0)
				err(1, "segment %ld of %ld", k + 1, n);
		return 0;
	}
	if (argc != 3)
		errx(2, "usage: mkseg -n N | mkseg KEY SIZE");
	size = size_arg(argv[2]);
	id = shmget((key_t)strtoul(argv[1], NULL, 0), size, IPC_CREAT | 0600);
	if (id < 0)
		err(1, "shmget");
	if ((p = shmat(id, NULL, 0)) == (void *)-1)
		err(1, "shmat");
	/* Real pages with real contents, as a segment in use would have. */
	(void)madvise(p, size, MADV_POPULATE_WRITE);
	for (i = 0; i < size; i += 64)
		memcpy(p + i, "0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcde\n", size - i < 64 ?
		    size - i : 64);
	return shmdt(p) == 0 ? 0 : 1;
}
