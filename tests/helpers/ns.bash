# Helpers for the tests of other IPC namespaces: a process that lives in a
# namespace of its own and holds segments there.

# The inode of process $1's IPC namespace.
ns_ino() {
	stat -L -c %i "/proc/$1/ns/ipc"
}

# Starts, in an IPC namespace of its own, a shell that creates a segment of
# each KEY:SIZE given and then sleeps; sets NS_PID (the sleeping process)
# once every segment is there.  ns_stop ends it.
ns_start() {
	local spec keys=()

	unshare --ipc -- sh -c '
		shm=$1; shift
		for s; do "$shm" create -k "${s%%:*}" -s "${s#*:}" >/dev/null ||
		    exit 1; done
		exec sleep infinity' sh "$SHM_BIN" "$@" 3>&- &
	NS_PID=$!
	for spec; do keys+=("$(printf '0x%08x' "${spec%%:*}")"); done
	wait_until "ns_has $NS_PID ${keys[*]}" ||
	    fail "the namespace of pid $NS_PID never got its segments"
}

# Starts /usr/bin/python3 (python3-sysv-ipc) creating segment key $1 of $2
# bytes and holding it attached, in the caller's namespace, or in one of
# its own when $3 is "unshare"; sets PY_PID and PY_ID (the shmid).
py_start() {
	local key=$1 size=$2 pre=()

	/usr/bin/python3 -c 'import sysv_ipc' 2>/dev/null ||
	    skip "python3-sysv-ipc is not installed"
	[ "${3:-}" = unshare ] && pre=(unshare --ipc --)
	rm -f "$SHM_TMP/py-id"
	"${pre[@]}" /usr/bin/python3 -c "$PY_HOLDER" "$key" "$size" \
	    "$SHM_TMP/py-id" 3>&- &
	PY_PID=$!
	wait_until "[ -s '$SHM_TMP/py-id' ]" ||
	    fail "python3 never created its segment"
	PY_ID=$(cat "$SHM_TMP/py-id")
}

# A client that creates a segment, stays attached, writes its id to a
# file, and waits for a signal.  One line, so that its command line reads
# back as written.
PY_HOLDER='import sys, signal, sysv_ipc; m = sysv_ipc.SharedMemory(int(sys.argv[1], 0), sysv_ipc.IPC_CREX, size=int(sys.argv[2])); open(sys.argv[3] + ".tmp", "w").write(str(m.id)); __import__("os").rename(sys.argv[3] + ".tmp", sys.argv[3]); signal.pause()'

# Whether the namespace of pid $1 (not the caller's) has every key $2...
ns_has() {
	local pid=$1 k list

	shift
	[ "$(ns_ino "$pid")" != "$(ns_ino $$)" ] || return 1
	list=$("$SHM_BIN" --ns "$pid" ls --raw -n -o key) || return 1
	for k; do grep -qx "$k" <<<"$list" || return 1; done
}

# Ends what ns_start and py_start started.
ns_stop() {
	local p

	for p in ${NS_PID:-} ${PY_PID:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	NS_PID= PY_PID=
}

# Fails unless $stderr is empty but for the note that some namespaces are
# out of sight (a container's root may not read the ns link of its pid 1).
stderr_but_sight() {
	assert_equal "$(grep -v 'out of your sight' <<<"$stderr")" ""
}
