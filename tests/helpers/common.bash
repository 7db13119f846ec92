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

# Waits until segment $1 has $2 attachments.
wait_nattch() {
	local i
	for i in $(seq 200); do
		[ "$(awk -v id="$1" '$2 == id { print $7 }' /proc/sysvipc/shm)" = "$2" ] &&
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
