/*
 * A program of its own that uses a POSIX shared memory object as programs
 * do, with shm_open(3) and mmap(2), for tests/78-posix.bats:
 *
 *   posix-obj create NAME SIZE MODE [TEXT]  make it (O_EXCL), TEXT at 0
 *   posix-obj sparse NAME SIZE              make it with ftruncate only
 *   posix-obj read NAME N                   print its first N bytes
 *   posix-obj hold NAME FIFO                map it, say "mapped", and keep
 *                                           it until a line comes on FIFO
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned char *
map(const char *name, int flags, size_t *size)
{
	struct stat st;
	void *p;
	int fd;

	if ((fd = shm_open(name, flags, 0)) < 0)
		die("shm_open");
	if (fstat(fd, &st) != 0)
		die("fstat");
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ | (flags == O_RDWR ? PROT_WRITE : 0),
	    MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	close(fd);
	return p;
}

int
main(int argc, char **argv)
{
	unsigned char *p;
	size_t size, n;
	char line[16];
	FILE *f;
	int fd;

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "create") == 0 || strcmp(argv[1], "sparse") == 0) {
		fd = shm_open(argv[2], O_RDWR | O_CREAT | O_EXCL, argc > 4 ?
		    (mode_t)strtol(argv[4], NULL, 8) : 0600);
		if (fd < 0)
			die("shm_open");
		if (ftruncate(fd, strtoll(argv[3], NULL, 0)) != 0)
			die("ftruncate");
		close(fd);
		if (argc > 5) {
			p = map(argv[2], O_RDWR, &size);
			memcpy(p, argv[5], strlen(argv[5]));
		}
		return 0;
	}
	if (strcmp(argv[1], "read") == 0 && argc == 4) {
		p = map(argv[2], O_RDONLY, &size);
		n = strtoul(argv[3], NULL, 0);
		fwrite(p, 1, n < size ? n : size, stdout);
		return 0;
	}
	if (strcmp(argv[1], "hold") == 0 && argc == 4) {
		p = map(argv[2], O_RDONLY, &size);
		printf("mapped\n");
		fflush(stdout);
		if ((f = fopen(argv[3], "r")) == NULL)
			die("fopen");
		(void)fgets(line, sizeof(line), f);
		return p[0] == 255;
	}
	return 2;
}
