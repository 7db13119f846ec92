/*
 * Readers of the huge page pools, vm.hugetlb_shm_group and the page size
 * of a mapping.
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hugepages.h"

#define SYS_HUGEPAGES	"/sys/kernel/mm/hugepages"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
huge_sizes(uint64_t sizes[HUGE_MAX_SIZES])
{
	unsigned long long kb;
	struct dirent *de;
	size_t n = 0;
	char tail[4];
	DIR *d;

	if ((d = opendir(SYS_HUGEPAGES)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < HUGE_MAX_SIZES)
		if (sscanf(de->d_name, "hugepages-%llukB%3s", &kb, tail) == 1 &&
		    kb > 0 && kb <= UINT64_MAX / 1024)
			sizes[n++] = (uint64_t)kb * 1024;
	closedir(d);
	qsort(sizes, n, sizeof(sizes[0]), cmp_u64);
	return n;
}

char *
huge_size_str(uint64_t bytes, bool brief, char buf[32])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB",
	    "TiB" };
	unsigned int u = 0;

	while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	if (brief)
		snprintf(buf, 32, "%" PRIu64 "%.1s", bytes, u > 0 ?
		    units[u] : "");
	else
		snprintf(buf, 32, "%" PRIu64 " %s", bytes, units[u]);
	return buf;
}

/* Reads one number of a one-line file; -1 when it cannot. */
static int
read_u64(const char *path, uint64_t *v)
{
	unsigned long long x;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	if (fscanf(fp, "%llu", &x) == 1) {
		*v = x;
		rc = 0;
	}
	fclose(fp);
	return rc;
}

/* The HugePages_* lines and Hugepagesize of /proc/meminfo. */
static int
meminfo_pool(struct huge_pool *p)
{
	unsigned long long v;
	unsigned int found = 0;
	char line[256];
	FILE *fp;

	memset(p, 0, sizeof(*p));
	if ((fp = fopen("/proc/meminfo", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "HugePages_Total: %llu", &v) == 1) {
			p->total = v;
			found |= 1;
		} else if (sscanf(line, "HugePages_Free: %llu", &v) == 1) {
			p->free = v;
			found |= 2;
		} else if (sscanf(line, "HugePages_Rsvd: %llu", &v) == 1) {
			p->resv = v;
			found |= 4;
		} else if (sscanf(line, "Hugepagesize: %llu kB", &v) == 1 &&
		    v <= UINT64_MAX / 1024) {
			p->size = (uint64_t)v * 1024;
			found |= 8;
		}
	}
	fclose(fp);
	p->from_meminfo = true;
	return found == 15 ? 0 : -1;
}

uint64_t
huge_default_size(void)
{
	struct huge_pool p;

	(void)meminfo_pool(&p);
	return p.size;
}

int
huge_pool(uint64_t size, struct huge_pool *p)
{
	static const char *const files[] = {
		"nr_hugepages", "free_hugepages", "resv_hugepages",
	};
	uint64_t *fields[3];
	char path[128];
	size_t i;

	if (meminfo_pool(p) == 0 && p->size == size)
		return 0;
	memset(p, 0, sizeof(*p));
	p->size = size;
	fields[0] = &p->total;
	fields[1] = &p->free;
	fields[2] = &p->resv;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), SYS_HUGEPAGES "/hugepages-%"
		    PRIu64 "kB/%s", size / 1024, files[i]);
		if (read_u64(path, fields[i]) != 0)
			return -1;
	}
	return 0;
}

long
huge_shm_group(void)
{
	uint64_t v;

	if (read_u64("/proc/sys/vm/hugetlb_shm_group", &v) != 0 ||
	    v > (uint64_t)LONG_MAX)
		return -1;
	return (long)v;
}

/*
 * Whether line (a header line of smaps: "start-end perms offset dev inode
 * name") is a mapping of SysV segment id.
 */
static int
is_segment_line(const char *line, int id)
{
	unsigned long long ino;
	char name[16];

	if (sscanf(line, "%*x-%*x %*s %*x %*s %llu %15s", &ino, name) != 2)
		return 0;
	return ino == (unsigned long long)id && strncmp(name, "/SYSV", 5) == 0
	    && strlen(name) == 13;
}

int
huge_smaps_page_size(pid_t pid, int id, uint64_t *bytes)
{
	unsigned long long kb;
	char path[64], line[512];
	int in = 0, rc = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/smaps", (long)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((line[0] >= '0' && line[0] <= '9') ||
		    (line[0] >= 'a' && line[0] <= 'f')) {
			in = is_segment_line(line, id);
			continue;
		}
		if (in && sscanf(line, "KernelPageSize: %llu kB", &kb) == 1 &&
		    kb > 0 && kb <= UINT64_MAX / 1024) {
			*bytes = (uint64_t)kb * 1024;
			rc = 0;
			break;
		}
	}
	fclose(fp);
	return rc;
}
