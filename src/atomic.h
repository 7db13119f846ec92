/*
 * Atomic access to the numbers in a segment, and futex waits and wakes on
 * them.  Every function works on memory that other processes map too: a
 * value is loaded, stored, added to or compared-and-swapped with one
 * atomic instruction (sequentially consistent), in the byte order asked
 * for, and the futexes are shared ones, keyed by the page, not by the
 * process.  No I/O and no messages; the commands judge alignment first.
 */
#ifndef SHM_ATOMIC_H
#define SHM_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "parse.h"

/*
 * Whether a value of a number type at offset (from a page-aligned start)
 * can be accessed atomically: offset is a multiple of the type's size.
 */
bool	atomic_aligned(enum value_type, uint64_t offset);

/* Loads the value at p (aligned) and puts it in host order in *out. */
void	atomic_load_value(const void *p, enum value_type, enum byte_order,
	    union value *out);

/* Stores *v (host order) at p (aligned) in order. */
void	atomic_store_value(void *p, enum value_type, enum byte_order,
	    const union value *v);

/*
 * Adds *delta (host order, an integer type; wraps as unsigned arithmetic
 * does) to the integer at p (aligned) and puts the new value in *out.  For
 * a byte order that is not the host's, a compare-and-swap loop on the
 * byte-swapped value.  Does not wake waiters: see atomic_wake().
 */
void	atomic_add_value(void *p, enum value_type, enum byte_order,
	    const union value *delta, union value *out);

/*
 * If the value at p (aligned) is *expected, stores *desired; values in
 * host order, compared bit for bit.  Puts the value found in *found and
 * returns true when it stored.
 */
bool	atomic_cas_value(void *p, enum value_type, enum byte_order,
	    const union value *expected, const union value *desired,
	    union value *found);

/* The aligned 32-bit word that holds the byte at p: what waiters sleep on. */
uint32_t *atomic_word(const void *p);

/* Loads that word. */
uint32_t atomic_word_load(const void *p);

/*
 * Sleeps while the word that holds the byte at p still holds seen, for at
 * most timeout_ns: until a wake, a change of the word, a signal or the
 * timeout.  Without futexes it sleeps the timeout.  Returns 0 (woken, or
 * the word had changed already), or ETIMEDOUT, or EINTR.
 */
int	atomic_wait(const void *p, uint32_t seen, uint64_t timeout_ns);

/* Wakes every waiter on the word that holds the byte at p. */
void	atomic_wake(const void *p);

/*
 * Wakes the waiters on the words that hold the bytes [p, p + len), for
 * writers of a range; at most ATOMIC_WAKE_MAX words (waiters on the others
 * see the change by their timeout).
 */
#define ATOMIC_WAKE_MAX	64
void	atomic_wake_range(const void *p, size_t len);

/*
 * futex(2) on the word at uaddr (aligned), shared between processes:
 * FUTEX_WAIT or FUTEX_WAKE, ts NULL for no timeout; futex_time64 where
 * time_t is 64 bits on a 32-bit ABI.  Returns what the call returns: -1
 * with errno set on failure, ENOSYS where there are no futexes.
 */
long	atomic_futex(uint32_t *uaddr, int op, uint32_t val,
	    const struct timespec *ts);

/*
 * Tells the CPU that the caller spins on a word (a pause instruction where
 * one is known); a compiler barrier elsewhere, so that a spin loop always
 * loads the word again.
 */
static inline void
atomic_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && __ARM_ARCH >= 7)
	__asm__ __volatile__("yield" ::: "memory");
#elif defined(__powerpc__) || defined(__powerpc64__)
	__asm__ __volatile__("or 27,27,27" ::: "memory");
#elif defined(__riscv)
	__asm__ __volatile__(".insn i 0x0F, 0, x0, x0, 0x010" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#endif
