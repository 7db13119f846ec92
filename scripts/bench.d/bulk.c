/*
 * The floor for moving a whole segment in or out: the fastest way known
 * here, and nothing else (no options, no checks, no messages), so that the
 * bench can tell what shm spends beyond the kernel's own cost.  That cost
 * is mostly the page tables: a SysV attachment has no fault-around, so
 * every 4 KiB page takes a fault of its own.
 * usage: bulk in KEY    stdin into the segment: MADV_POPULATE_WRITE, then
 *                       read(2) straight into it
 *        bulk out KEY   the segment to stdout, copied (a snapshot, as shm
 *                       read must give): process_vm_readv(2) of the
 *                       attachment into a 1 MiB buffer, then write(2);
 *                       into a pipe widened to 1 MiB
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHUNK	(1U << 20)

static int
in(unsigned char *p, size_t len)
{
	size_t done = 0;
	ssize_t n;

	(void)madvise(p, len, MADV_POPULATE_WRITE);
	while (done < len && (n = read(0, p + done, len - done)) > 0)
		done += (size_t)n;
	return 0;
}

static int
out(unsigned char *p, size_t len)
{
	static unsigned char buf[CHUNK];
	struct iovec local, remote;
	struct stat sb;
	size_t done = 0, k;
	ssize_t n, w;

	if (fstat(1, &sb) == 0 && S_ISFIFO(sb.st_mode))
		(void)fcntl(1, F_SETPIPE_SZ, CHUNK);
	while (done < len) {
		k = len - done < CHUNK ? len - done : CHUNK;
		local.iov_base = buf;
		local.iov_len = k;
		remote.iov_base = p + done;
		remote.iov_len = k;
		if ((n = process_vm_readv(getpid(), &local, 1, &remote, 1,
		    0)) <= 0)
			return 1;
		for (k = 0; k < (size_t)n; k += (size_t)w)
			if ((w = write(1, buf + k, (size_t)n - k)) < 0)
				return 1;
		done += (size_t)n;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct shmid_ds ds;
	unsigned char *p;
	bool rd;
	int id, rc;

	if (argc != 3)
		return 2;
	rd = strcmp(argv[1], "out") == 0;
	if ((id = shmget((key_t)strtoul(argv[2], NULL, 0), 0, 0)) < 0 ||
	    shmctl(id, IPC_STAT, &ds) < 0)
		return 1;
	if ((p = shmat(id, NULL, rd ? SHM_RDONLY : 0)) == (void *)-1)
		return 1;
	rc = rd ? out(p, ds.shm_segsz) : in(p, ds.shm_segsz);
	return shmdt(p) == 0 ? rc : 1;
}
