# Helpers of the hardening tests (80-hostile, 85-races, 88-faults), loaded
# after helpers/common.

# Skips the test when a program it needs is missing.
need_prog() {
	local p

	for p in "$@"; do
		command -v "$p" >/dev/null || skip "needs $p"
	done
}

# The mode bits of segment id $1, as /proc/sysvipc/shm shows them (octal).
seg_mode() {
	awk -v id="$1" '$2 == id { print $3 }' /proc/sysvipc/shm
}

# The attach count of segment id $1.
seg_nattch() {
	awk -v id="$1" '$2 == id { print $7 }' /proc/sysvipc/shm
}

# Waits (at most $2 tenths of a second, default 100) until the command $1
# succeeds; fails when it never does.  No test asserts on the time taken.
wait_until() {
	local i

	for ((i = 0; i < ${2:-100}; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}

# LeakSanitizer cannot work under ptrace (it stops the other threads with
# ptrace itself): a test that runs a sanitized shm under strace turns leak
# checking off for the rest of that test.  Nothing changes for a plain build.
no_lsan_under_strace() {
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
}
