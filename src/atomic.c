/*
 * Atomic access and futexes on shared memory.
 *
 * The values are naturally aligned, so the compiler's __atomic builtins
 * give one locked instruction (or an ll/sc loop) on the segment's own
 * memory.  A value in a byte order that is not the host's cannot be added
 * to by the hardware: it is loaded, swapped, added, swapped back and
 * stored with a compare-and-swap, which retries while another process
 * changed it between.
 *
 * Waiters sleep with FUTEX_WAIT on the aligned 32-bit word that holds the
 * value's first byte: futexes without FUTEX_PRIVATE_FLAG are keyed by the
 * page and offset, so a waker in another process that maps the segment at
 * another address finds them.
 */
#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"

#define SEQ	__ATOMIC_SEQ_CST

bool
atomic_aligned(enum value_type type, uint64_t offset)
{
	return offset % value_type_size(type) == 0;
}

/* Loads the raw bits, in the segment's order, into the first bytes of v. */
static void
load_raw(const void *p, size_t size, union value *v)
{
	switch (size) {
	case 1:
		v->u8 = __atomic_load_n((const uint8_t *)p, SEQ);
		break;
	case 2:
		v->u16 = __atomic_load_n((const uint16_t *)p, SEQ);
		break;
	case 4:
		v->u32 = __atomic_load_n((const uint32_t *)p, SEQ);
		break;
	default:
		v->u64 = __atomic_load_n((const uint64_t *)p, SEQ);
		break;
	}
}

static void
store_raw(void *p, size_t size, const union value *v)
{
	switch (size) {
	case 1:
		__atomic_store_n((uint8_t *)p, v->u8, SEQ);
		break;
	case 2:
		__atomic_store_n((uint16_t *)p, v->u16, SEQ);
		break;
	case 4:
		__atomic_store_n((uint32_t *)p, v->u32, SEQ);
		break;
	default:
		__atomic_store_n((uint64_t *)p, v->u64, SEQ);
		break;
	}
}

/* Compare-and-swap of raw bits; *expected gets the value found. */
static bool
cas_raw(void *p, size_t size, union value *expected, const union value *want)
{
	switch (size) {
	case 1:
		return __atomic_compare_exchange_n((uint8_t *)p, &expected->u8,
		    want->u8, false, SEQ, SEQ);
	case 2:
		return __atomic_compare_exchange_n((uint16_t *)p,
		    &expected->u16, want->u16, false, SEQ, SEQ);
	case 4:
		return __atomic_compare_exchange_n((uint32_t *)p,
		    &expected->u32, want->u32, false, SEQ, SEQ);
	default:
		return __atomic_compare_exchange_n((uint64_t *)p,
		    &expected->u64, want->u64, false, SEQ, SEQ);
	}
}

/* Fetch-and-add of raw bits in host order; returns the new value. */
static void
add_raw(void *p, size_t size, const union value *d, union value *out)
{
	switch (size) {
	case 1:
		out->u8 = __atomic_add_fetch((uint8_t *)p, d->u8, SEQ);
		break;
	case 2:
		out->u16 = __atomic_add_fetch((uint16_t *)p, d->u16, SEQ);
		break;
	case 4:
		out->u32 = __atomic_add_fetch((uint32_t *)p, d->u32, SEQ);
		break;
	default:
		out->u64 = __atomic_add_fetch((uint64_t *)p, d->u64, SEQ);
		break;
	}
}

/* a + b in the unsigned type of size bytes: wraps. */
static void
sum(size_t size, const union value *a, const union value *b,
    union value *out)
{
	switch (size) {
	case 1:
		out->u8 = (uint8_t)(a->u8 + b->u8);
		break;
	case 2:
		out->u16 = (uint16_t)(a->u16 + b->u16);
		break;
	case 4:
		out->u32 = a->u32 + b->u32;
		break;
	default:
		out->u64 = a->u64 + b->u64;
		break;
	}
}

void
atomic_load_value(const void *p, enum value_type type, enum byte_order order,
    union value *out)
{
	size_t size = value_type_size(type);

	load_raw(p, size, out);
	value_order(out, size, order);
}

void
atomic_store_value(void *p, enum value_type type, enum byte_order order,
    const union value *v)
{
	size_t size = value_type_size(type);
	union value raw = *v;

	value_order(&raw, size, order);
	store_raw(p, size, &raw);
}

void
atomic_add_value(void *p, enum value_type type, enum byte_order order,
    const union value *delta, union value *out)
{
	size_t size = value_type_size(type);
	union value seen, want;

	/*
	 * Signed types add as unsigned: two's complement makes the bits the
	 * same, and the wrap is defined.
	 */
	if (!byte_order_swaps(order) || size == 1) {
		add_raw(p, size, delta, out);
		return;
	}
	load_raw(p, size, &seen);
	do {
		*out = seen;
		value_order(out, size, order);
		sum(size, out, delta, out);
		want = *out;
		value_order(&want, size, order);
	} while (!cas_raw(p, size, &seen, &want));
}

bool
atomic_cas_value(void *p, enum value_type type, enum byte_order order,
    const union value *expected, const union value *desired,
    union value *found)
{
	size_t size = value_type_size(type);
	union value want = *desired;
	bool stored;

	*found = *expected;
	value_order(found, size, order);
	value_order(&want, size, order);
	stored = cas_raw(p, size, found, &want);
	value_order(found, size, order);
	return stored;
}

uint32_t *
atomic_word(const void *p)
{
	return (uint32_t *)((uintptr_t)p & ~(uintptr_t)3);
}

uint32_t
atomic_word_load(const void *p)
{
	return __atomic_load_n(atomic_word(p), SEQ);
}

/*
 * futex(2) as the C library does not wrap it.  A 32-bit ABI built with a
 * 64-bit time_t must use futex_time64, and some (riscv32) have no other.
 */
long
atomic_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
#if defined(SYS_futex_time64)
	if (sizeof(ts->tv_sec) == 8)
		return syscall(SYS_futex_time64, uaddr, op, val, ts, NULL, 0);
#endif
#if defined(SYS_futex)
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
#else
	(void)uaddr;
	(void)op;
	(void)val;
	(void)ts;
	errno = ENOSYS;
	return -1;
#endif
}

int
atomic_wait(const void *p, uint32_t seen, uint64_t timeout_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(timeout_ns / 1000000000),
		.tv_nsec = (long)(timeout_ns % 1000000000),
	};

	if (atomic_futex(atomic_word(p), FUTEX_WAIT, seen, &ts) == 0)
		return 0;
	switch (errno) {
	case EAGAIN:
		return 0;
	case ETIMEDOUT:
	case EINTR:
		return errno;
	default:
		/* No futexes (ENOSYS), or one the kernel refuses: poll. */
		if (nanosleep(&ts, NULL) != 0)
			return EINTR;
		return ETIMEDOUT;
	}
}

void
atomic_wake(const void *p)
{
	(void)atomic_futex(atomic_word(p), FUTEX_WAKE, INT32_MAX, NULL);
}

void
atomic_wake_range(const void *p, size_t len)
{
	uintptr_t w = (uintptr_t)atomic_word(p), end = (uintptr_t)p + len;
	unsigned int n;

	for (n = 0; w < end && n < ATOMIC_WAKE_MAX; n++, w += 4)
		atomic_wake((const void *)w);
}
