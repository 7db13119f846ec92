#!/usr/bin/env bats
# shm ls --orphaned, --owner, --older-than (the filters of rm), and the
# COMMAND column.

load helpers/common
load helpers/ns

teardown() {
	ns_stop
	common_teardown
}

sorted() {
	printf '%s\n' "$@" | sort -n
}

@test "ls --orphaned lists what rm --orphaned --dry-run would remove" {
	a=$(shm create -k 0x5201 -s 1)
	b=$(shm create --private -s 1)
	c=$(as_nobody "$SHM_BIN" create -k 0x5202 -s 1)
	# a real client holds one attached
	py_start 0x5203 4096
	run --separate-stderr shm ls --orphaned --raw -n -o id
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$a" "$b" "$c")"
	listed=$output
	run --separate-stderr shm rm --orphaned --dry-run
	assert_success
	assert_equal "$(sort -n <<<"$output")" "$(sort -n <<<"$listed")"
	[[ $listed != *"$PY_ID"* ]]
}

@test "ls --owner and --older-than filter as rm does" {
	a=$(shm create -k 0x5204 -s 1)
	b=$(as_nobody "$SHM_BIN" create -k 0x5205 -s 1)
	run --separate-stderr shm ls --owner nobody --raw -n -o id
	assert_success
	assert_output "$b"
	run --separate-stderr shm rm --all --owner nobody --dry-run
	assert_output "$b"
	# nothing here is a day old
	run --separate-stderr shm ls --older-than 1d --raw -n -o id
	assert_success
	assert_output ""
	run --separate-stderr shm ls --older-than 0 --orphaned --raw -n -o id
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$a" "$b")"
}

@test "ls --owner with a user that does not exist: exit 2" {
	run --separate-stderr shm ls --owner no-such-user-5206
	assert_failure 2
	assert_equal "$output" ""
	[[ $stderr == *"no-such-user-5206"* ]]
	run --separate-stderr shm ls --older-than 3x
	assert_failure 2
	[[ $stderr == *"--older-than: invalid age '3x'"* ]]
}

@test "ls -o +COMMAND shows a running Python creator's command line" {
	py_start 0x5207 4096
	old=$(shm create -k 0x5208 -s 1)
	run --separate-stderr shm ls --json -o id,command
	assert_success
	want="/usr/bin/python3 -c $PY_HOLDER 0x5207 4096 $SHM_TMP/py-id"
	jq -e --argjson id "$PY_ID" --arg want "$want" \
	    '.segments[] | select(.id == $id) | .command == $want' <<<"$output"
	# the creator of the other one has ended
	jq -e --argjson id "$old" \
	    '.segments[] | select(.id == $id) | .command == null' <<<"$output"
	run --separate-stderr shm ls -o id,command --raw -n
	assert_line "$old "
}

@test "COMMAND: a pid reused by a process younger than the segment is not its creator" {
	# A pid namespace of its own, where ns_last_pid gives the creator's
	# pid to a new process, started after the segment's ctime.
	run --separate-stderr unshare --pid --fork --mount-proc --ipc bash -c '
		id=$("$1" create -k 0x5209 -s 1) || exit 1
		cpid=$("$1" ls --raw -n -o cpid)
		ctime=$("$1" ls --json -o ctime | jq .segments[0].ctime)
		# Past ctime + 2 s: a start time is known only as well as the
		# boot time of /proc/stat, which is whole seconds, and the
		# creator may have started up to a second after ctime.
		for i in $(seq 100); do
			[ "$(date +%s)" -gt "$((ctime + 2))" ] && break
			sleep 0.1
		done
		echo $((cpid - 1)) >/proc/sys/kernel/ns_last_pid
		sleep infinity & s=$!
		[ "$s" = "$cpid" ] || { echo "pid $s, not $cpid"; exit 1; }
		"$1" ls --raw -n -o cpid,command
		kill $s' bash "$SHM_BIN"
	assert_success
	assert_output --regexp '^[0-9]+ $'
}
