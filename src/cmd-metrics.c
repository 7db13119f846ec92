/*
 * shm metrics: the segments and the limits in the OpenMetrics text format,
 * for Prometheus (node_exporter's textfile collector).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "msg.h"
#include "names.h"
#include "object.h"
#include "ns.h"

enum {
	OPT_ALL_NS = OPT_FIRST_LOCAL,
};

static struct poptOption metrics_options[] = {
	{ "all-namespaces", 'A', POPT_ARG_NONE, NULL, OPT_ALL_NS,
	  "every IPC namespace, each sample labelled ns", NULL },
	POPT_TABLEEND
};

static struct poptOption options[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, metrics_options, 0,
	  "Options:", NULL },
	OPT_INCLUDE_HELP,
	POPT_TABLEEND
};

/* What was read of one namespace. */
struct ns_read {
	uint64_t	 ino;		/* 0: no ns label */
	struct obj_info	*rows;
	size_t		 n;
	struct obj_limits lim;
	bool		 seen;
};

struct metrics_run {
	const struct ns_ipc *v;		/* ns[i] is of v[i] */
	struct ns_read	*ns;
	size_t		 n;
	bool		 label_ns;
};

/* The metric families: per segment, then per namespace. */
enum metric {
	M_SIZE, M_RSS, M_SWAP, M_NATTCH, M_CTIME,
	M_SEGMENTS, M_BYTES, M_LIMIT_SEGMENTS, M_LIMIT_BYTES,
	M_COUNT,
};

static const struct {
	const char	*name;
	const char	*unit;		/* NULL: none */
	const char	*help;
} metrics[M_COUNT] = {
	[M_SIZE] = { "shm_segment_size_bytes", "bytes",
	    "Size of the System V shared memory segment." },
	[M_RSS] = { "shm_segment_resident_bytes", "bytes",
	    "Bytes of the segment resident in memory." },
	[M_SWAP] = { "shm_segment_swapped_bytes", "bytes",
	    "Bytes of the segment swapped out." },
	[M_NATTCH] = { "shm_segment_attached_processes", NULL,
	    "Attachments of the segment (shm_nattch)." },
	[M_CTIME] = { "shm_segment_last_change_timestamp_seconds",
	    "seconds", "When the segment was created or last changed." },
	[M_SEGMENTS] = { "shm_segments", NULL,
	    "Segments in the IPC namespace." },
	[M_BYTES] = { "shm_bytes", "bytes",
	    "Bytes of all the segments of the IPC namespace." },
	[M_LIMIT_SEGMENTS] = { "shm_limit_segments", NULL,
	    "Most segments the IPC namespace may hold (kernel.shmmni)." },
	[M_LIMIT_BYTES] = { "shm_limit_bytes", "bytes",
	    "Most bytes of segments the IPC namespace may hold"
	    " (kernel.shmall pages)." },
};

static int
read_ns(const struct ns_ipc *ns, void *arg)
{
	struct metrics_run *run = arg;
	struct ns_read *r = &run->ns[ns != NULL ? ns - run->v : 0];
	int rc;

	if ((rc = obj_list(&r->rows, &r->n, OBJ_LIST_MEM)) != EXIT_SHM_OK ||
	    (rc = obj_get_limits(&r->lim)) != EXIT_SHM_OK)
		return rc;
	r->ino = run->label_ns ? ns->ino : 0;
	r->seen = true;
	return EXIT_SHM_OK;
}

/*
 * A label value, escaped as OpenMetrics wants: \\, \" and \n; and UTF-8,
 * as it must be: a byte that is not part of UTF-8 becomes U+FFFD.
 */
static void
label_value(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p != '\0'; p += n) {
		n = 1;
		if (*p == '\\')
			fputs("\\\\", stdout);
		else if (*p == '"')
			fputs("\\\"", stdout);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p < 0x80)
			putchar(*p);
		else if ((n = utf8_len(p)) == 0) {
			fputs("\xef\xbf\xbd", stdout);
			n = 1;
		} else
			fwrite(p, 1, n, stdout);
	}
}

static void
labels_ns(const struct ns_read *ns, bool more)
{
	if (ns->ino != 0)
		printf("ns=\"%" PRIu64 "\"%s", ns->ino, more ? "," : "");
}

static void
segment_sample(enum metric m, const struct ns_read *ns,
    const struct obj_info *r)
{
	char key[11], num[24];
	const char *owner = uid_name(r->uid);
	uint64_t v;

	switch (m) {
	case M_SIZE:
		v = r->size;
		break;
	case M_RSS:
	case M_SWAP:
		if (!r->mem_known)
			return;
		v = m == M_RSS ? r->rss : r->swap;
		break;
	case M_NATTCH:
		v = r->nattch;
		break;
	default:
		v = (uint64_t)r->ctime;
		break;
	}
	if (owner == NULL) {
		snprintf(num, sizeof(num), "%u", (unsigned int)r->uid);
		owner = num;
	}
	printf("%s{", metrics[m].name);
	labels_ns(ns, true);
	printf("key=\"%s\",id=\"%d\",owner=\"", obj_key_str(r->key, key),
	    r->id);
	label_value(owner);
	printf("\"} %" PRIu64 "\n", v);
}

static void
ns_sample(enum metric m, const struct ns_read *ns)
{
	char buf[48];
	uint64_t bytes = 0;
	size_t i;

	printf("%s", metrics[m].name);
	if (ns->ino != 0) {
		putchar('{');
		labels_ns(ns, false);
		putchar('}');
	}
	switch (m) {
	case M_SEGMENTS:
		printf(" %zu\n", ns->n);
		break;
	case M_BYTES:
		for (i = 0; i < ns->n; i++)
			bytes += ns->rows[i].size;
		printf(" %" PRIu64 "\n", bytes);
		break;
	case M_LIMIT_SEGMENTS:
		printf(" %" PRIu64 "\n", ns->lim.shmmni);
		break;
	default:
		printf(" %s\n", format_product(ns->lim.shmall,
		    ns->lim.page_size, buf));
		break;
	}
}

static void
print_metrics(const struct metrics_run *run)
{
	enum metric m;
	size_t i, j;

	for (m = 0; m < M_COUNT; m++) {
		printf("# TYPE %s gauge\n", metrics[m].name);
		if (metrics[m].unit != NULL)
			printf("# UNIT %s %s\n", metrics[m].name,
			    metrics[m].unit);
		printf("# HELP %s %s\n", metrics[m].name, metrics[m].help);
		for (i = 0; i < run->n; i++) {
			if (!run->ns[i].seen)
				continue;
			if (m >= M_SEGMENTS) {
				ns_sample(m, &run->ns[i]);
				continue;
			}
			for (j = 0; j < run->ns[i].n; j++)
				segment_sample(m, &run->ns[i],
				    &run->ns[i].rows[j]);
		}
	}
	puts("# EOF");
}

static int
metrics_run(bool all_ns)
{
	struct metrics_run run = { .label_ns = all_ns, .n = 1 };
	struct ns_ipc *v = NULL, self = { .self = true };
	size_t i;
	int rc;

	if (all_ns) {
		if ((rc = ns_need_admin("-A")) != EXIT_SHM_OK)
			return rc;
		if ((rc = ns_list_whole(&v, &run.n, "-A")) != EXIT_SHM_OK)
			return rc;
	}
	run.v = all_ns ? v : &self;
	run.ns = xcalloc(run.n, sizeof(*run.ns));
	rc = ns_each(run.v, run.n, read_ns, &run);
	if (rc == EXIT_SHM_OK)
		print_metrics(&run);
	for (i = 0; i < run.n; i++)
		free(run.ns[i].rows);
	free(run.ns);
	free(v);
	return rc;
}

static int
take_options(poptContext ctx, int val, void *data)
{
	(void)ctx;
	if (val == OPT_ALL_NS)
		*(bool *)data = true;
	return EXIT_SHM_OK;
}

int
cmd_metrics(int argc, const char **argv)
{
	poptContext ctx;
	bool all_ns = false;
	int ret;

	ctx = opt_context(argc, argv, options, "[-A|--all-namespaces]");
	if (opt_parse(ctx, NULL, take_options, &all_ns, OPT_NO_OPERANDS,
	    &ret))
		ret = metrics_run(all_ns);
	poptFreeContext(ctx);
	return ret;
}
