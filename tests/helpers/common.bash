# Shared setup for the bats suite: loaded by every .bats file.
# The suite runs in a private IPC namespace (tests/run-bats), as root.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

# A copy of the binary, and a scratch folder, that the unprivileged user
# (nobody) can reach: the build tree may sit under a private home.
common_setup() {
	SHM_TMP=$(mktemp -d /tmp/shm-test.XXXXXX)
	chmod 755 "$SHM_TMP"
	SHM_BIN=$SHM_TMP/shm
	cp "$SHM" "$SHM_BIN"
	chmod 755 "$SHM_BIN"
	cd "$SHM_TMP" || return 1
}

common_teardown() {
	cd / || true
	# Each test leaves its namespace as it found it: no segments.
	ipcrm --all=shm >/dev/null 2>&1 || true
	rm -rf "$SHM_TMP"
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# For the files whose tests start helpers in the background (records,
# wait, races): their pids go in bg, and each test's helpers are killed
# and reaped after it, even when it failed half way.
bg_setup() {
	common_setup
	bg=()
}

bg_teardown() {
	[ ${#bg[@]} -eq 0 ] || kill "${bg[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	common_teardown
}

# spawn NAME COMMAND [ARG...]: runs the command in the background, with
# stdout, stderr and the status in NAME.out, NAME.err and NAME.rc; sets
# PID, and adds it to bg.
spawn() {
	local name=$1
	shift
	{
		rc=0
		"$@" >"$name.out" 2>"$name.err" || rc=$?
		echo "$rc" >"$name.rc"
	} </dev/null 3>&- &
	PID=$!
	bg+=($!)
}

shm() {
	"$SHM_BIN" "$@"
}

# Runs a command as nobody, with no supplementary groups.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# The number of segments in this namespace.
nsegs() {
	awk 'NR > 1' /proc/sysvipc/shm | wc -l
}

# Runs a command in a nested IPC namespace of its own (for limits).
in_new_ns() {
	unshare --ipc -- "$@"
}

# Fields $2... (numbered as awk numbers them) of the line of segment id $1
# in /proc/sysvipc/shm, separated by blanks.
seg_field() {
	local id=$1

	shift
	awk -v id="$id" -v f="$*" '$2 == id {
		n = split(f, a, " ")
		for (i = 1; i <= n; i++)
			printf "%s%s", $(a[i]), i < n ? " " : "\n"
	}' /proc/sysvipc/shm
}

# The key of segment id $1, in decimal, as /proc/sysvipc/shm shows it.
seg_key() {
	seg_field "$1" 1
}

# Waits until segment $1 has $2 attachments.
wait_nattch() {
	local i
	for i in $(seq 200); do
		[ "$(seg_nattch "$1")" = "$2" ] &&
		    return 0
		sleep 0.05
	done
	return 1
}

# Holds segment $1 attached: a reader blocked on a fifo that nobody drains
# yet, so the segment must be larger than a pipe holds (1 MiB is).  Sets
# HOLDER, and keeps file descriptor 5 open until release.
hold() {
	mkfifo "$SHM_TMP/fifo"
	"$SHM_BIN" read -i "$1" --raw >"$SHM_TMP/fifo" &
	HOLDER=$!
	exec 5<"$SHM_TMP/fifo"
	wait_nattch "$1" 1
}

# Lets the reader of hold finish, and waits for it.
release() {
	cat <&5 >/dev/null
	exec 5<&-
	wait "$HOLDER"
}

# The name of uid 65534's primary group as this system calls it (Debian:
# nogroup, Fedora: nobody): tests compare messages against it, never a
# literal.
NOBODY_GROUP=$(getent group "$(id -g 65534 2>/dev/null || echo 65534)" | cut -d: -f1)
: "${NOBODY_GROUP:=65534}"

# Skips the test when a program it needs is missing.
need_prog() {
	local p

	for p in "$@"; do
		command -v "$p" >/dev/null || skip "needs $p"
	done
}

# The mode bits of segment id $1, as /proc/sysvipc/shm shows them (octal).
seg_mode() {
	seg_field "$1" 3
}

# The attach count of segment id $1.
seg_nattch() {
	seg_field "$1" 7
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
