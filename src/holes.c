/*
 * Which pages of a segment are holes: see holes.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "holes.h"

/*
 * The bytes of segment id that are in swap, from /proc/sysvipc/shm itself
 * (never a file named by the environment: it decides what is read as
 * zeros).  Returns 0, or -1 when it cannot tell.
 */
static int
swap_of(int id, uint64_t *swap)
{
	unsigned long long f[16];
	char *line = NULL;
	size_t cap = 0;
	FILE *fp;
	int n, ret = -1;

	if ((fp = fopen("/proc/sysvipc/shm", "re")) == NULL)
		return -1;
	while (getline(&line, &cap, fp) > 0) {
		/* key shmid perms size cpid lpid nattch uid gid cuid cgid
		   atime dtime ctime rss swap */
		n = sscanf(line, "%llu %llu %llo %llu %llu %llu %llu %llu %llu"
		    " %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2],
		    &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10],
		    &f[11], &f[12], &f[13], &f[14], &f[15]);
		if (n < 2 || f[1] != (unsigned long long)id)
			continue;
		if (n == 16) {
			*swap = f[15];
			ret = 0;
		}
		break;
	}
	free(line);
	fclose(fp);
	return ret;
}

/*
 * Whether the attachment at base is of ordinary pages: for huge pages,
 * mincore(2) tells only what this process has mapped, not what the segment
 * holds.  From the mapping's KernelPageSize in /proc/self/smaps.
 */
static bool
small_pages(const void *base, size_t page)
{
	char *line = NULL, want[32];
	size_t cap = 0, kb;
	bool in = false, ret = false;
	FILE *fp;

	if ((fp = fopen("/proc/self/smaps", "re")) == NULL)
		return false;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)(uintptr_t)base);
	while (getline(&line, &cap, fp) > 0) {
		if (!in) {
			in = strncmp(line, want, strlen(want)) == 0;
			continue;
		}
		if (sscanf(line, "KernelPageSize: %zu kB", &kb) == 1) {
			ret = kb * 1024 == page;
			break;
		}
	}
	free(line);
	fclose(fp);
	return ret;
}

void
holes_init(struct holes *h, const struct obj *seg)
{
	h->seg = seg;
	h->base = seg->addr;
	h->size = seg->size;
	h->page = (size_t)sysconf(_SC_PAGESIZE);
	h->id = seg->info.id;
	h->usable = -1;
	h->start = h->end = 0;
}

/* Whether every page of the window is in memory, by mincore(2). */
static bool
window_in_memory(struct holes *h, size_t n)
{
	size_t i;

	if (mincore((void *)(h->base + h->start), h->end - h->start,
	    h->vec) != 0) {
		memset(h->vec, 1, n);
		return true;
	}
	for (i = 0; i < n; i++)
		if (!(h->vec[i] & 1))
			return false;
	return true;
}

/* Takes mincore(2) of the window that begins with the page of off. */
static void
holes_window(struct holes *h, size_t off)
{
	uint64_t swap;
	size_t n;

	h->start = off - off % h->page;
	n = (h->size - h->start + h->page - 1) / h->page;
	if (n > WINDOW_PAGES)
		n = WINDOW_PAGES;
	h->end = h->start + n * h->page < h->size ? h->start + n * h->page :
	    h->size;
	if (h->usable == 0 || window_in_memory(h, n))
		goto data;
	if (h->usable < 0)
		h->usable = small_pages(h->base, h->page);
	/*
	 * A page is a hole if it is not in memory while no page of the
	 * segment is in swap, before mincore() and after it.
	 */
	if (!h->usable || swap_of(h->id, &swap) != 0 || swap != 0)
		goto never;
	(void)window_in_memory(h, n);
	if (swap_of(h->id, &swap) != 0 || swap != 0)
		goto never;
	return;
never:
	h->usable = 0;
data:
	memset(h->vec, 1, n);
}

size_t
holes_run(struct holes *h, size_t off, size_t len, bool *hole)
{
	size_t i, end;
	unsigned char first;
	uint64_t run;

	/* the kind tells without touching a page (SEEK_DATA of a file) */
	if (obj_data_run(h->seg, off, len, hole, &run) == 0)
		return (size_t)run;
	if (off < h->start || off >= h->end)
		holes_window(h, off);
	i = (off - h->start) / h->page;
	first = h->vec[i] & 1;
	end = h->start + (i + 1) * h->page;
	while (end < h->end && (h->vec[end / h->page - h->start / h->page] &
	    1) == first)
		end += h->page;
	if (end > h->end)
		end = h->end;
	*hole = !first;
	return end - off < len ? end - off : len;
}

void
holes_copy(struct holes *h, unsigned char *buf, size_t off, size_t len)
{
	size_t n;
	bool hole;

	for (; len > 0; buf += n, off += n, len -= n) {
		n = holes_run(h, off, len, &hole);
		if (hole)
			memset(buf, 0, n);
		else
			memcpy(buf, h->base + off, n);
	}
}
