#!/usr/bin/env bats
# Other IPC namespaces: shm --ns, ls -A, ls --namespaces (diagnosis row 28).

load helpers/common
load helpers/ns

teardown() {
	ns_stop
	common_teardown
}

@test "--ns PID and --ns /proc/PID/ns/ipc read the other namespace" {
	ns_start 0x5701:4096
	for t in "$NS_PID" "/proc/$NS_PID/ns/ipc"; do
		run --separate-stderr shm --ns "$t" ls --raw -n -o key,size -b
		assert_success
		assert_output "0x00005701 4096"
		assert_equal "$stderr" ""
		run --separate-stderr shm --ns="$t" stat -k 0x5701 --json
		assert_success
		jq -e '.size == 4096 and .attached == []' <<<"$output"
	done
}

@test "--ns: the caller's own namespace does not see the segment" {
	ns_start 0x5702:4096
	run --separate-stderr shm ls --raw -n -o key
	assert_success
	[[ $output != *0x00005702* ]]
	run --separate-stderr shm stat -k 0x5702
	assert_failure 3
}

@test "--ns: every command works there (create, write, read, rm)" {
	ns_start 0x5703:4096
	run --separate-stderr shm --ns "$NS_PID" create -k 0x5704 -s 100
	assert_success
	echo hello | shm --ns "$NS_PID" write -k 0x5704
	run --separate-stderr shm --ns "$NS_PID" read -k 0x5704 -n 5 --raw
	assert_success
	assert_output hello
	run shm stat -k 0x5704
	assert_failure 3
	run --separate-stderr shm --ns "$NS_PID" rm -k 0x5704
	assert_success
	run --separate-stderr shm --ns "$NS_PID" ls --raw -n -o key
	assert_output 0x00005703
}

@test "--ns: stat counts only the attached processes of that namespace" {
	# The same shmid in two namespaces: the first segment of a new
	# namespace gets id 0 in each.  Python holds the other one's.
	py_start 0x5705 4096 unshare
	assert_equal "$PY_ID" 0
	mkfifo "$SHM_TMP/fifo"
	run --separate-stderr in_new_ns bash -c '
		id=$("$1" create -k 0x5706 -s 1M) || exit 1
		[ "$id" = 0 ] || { echo "id $id, not 0"; exit 1; }
		"$1" read -i 0 --raw >"$3" & r=$!
		exec 5<"$3"
		for i in $(seq 100); do
			[ "$(awk "\$2 == 0 { print \$7 }" /proc/sysvipc/shm)" = 1 ] &&
			    break
			sleep 0.1
		done
		"$1" stat -i 0 --json | jq -c "[.attached[].pid]"
		"$1" --ns "$2" stat -i 0 --json | jq -c "[.attached[].pid]"
		echo "reader $r"
		cat <&5 >/dev/null; wait $r' bash "$SHM_BIN" "$PY_PID" \
	    "$SHM_TMP/fifo"
	assert_success
	reader=$(sed -n 's/^reader //p' <<<"$output")
	assert_equal "${lines[0]}" "[$reader]"
	assert_equal "${lines[1]}" "[$PY_PID]"
}

@test "--ns: limits and metrics give that namespace's limits" {
	unshare --ipc -- sh -c 'sysctl -qw kernel.shmmni=77 &&
	    exec sleep infinity' 3>&- &
	NS_PID=$!
	wait_until '[ "$(ns_ino $NS_PID)" != "$(ns_ino $$)" ] &&
	    [ "$(nsenter --ipc=/proc/$NS_PID/ns/ipc sysctl -n kernel.shmmni)" = 77 ]'
	run --separate-stderr shm --ns "$NS_PID" limits --json
	assert_success
	jq -e '.shmmni == 77' <<<"$output"
	run --separate-stderr shm --ns "$NS_PID" metrics
	assert_line "shm_limit_segments 77"
	run --separate-stderr shm limits --json
	jq -e '.shmmni != 77' <<<"$output"
}

@test "ls -A shows the segments of both namespaces, each with its ns" {
	ns_start 0x5707:4096
	shm create -k 0x5708 -s 8192 >/dev/null
	run --separate-stderr shm ls -A --json
	assert_success
	stderr_but_sight
	jq -e --argjson ns "$(ns_ino "$NS_PID")" \
	    '[.segments[] | select(.key == "0x00005707")] |
	    length == 1 and .[0].ns == $ns and .[0].size == 4096' <<<"$output"
	jq -e --argjson ns "$(ns_ino $$)" \
	    '[.segments[] | select(.key == "0x00005708")] |
	    length == 1 and .[0].ns == $ns and .[0].size == 8192' <<<"$output"
	jq -e '.segments[0] | keys_unsorted[0] == "ns"' <<<"$output"
	run --separate-stderr shm ls -A
	assert_success
	assert_line --index 0 --regexp '^ +NS KEY +ID'
	assert_line --regexp "^$(ns_ino "$NS_PID") 0x00005707 "
}

@test "ls --namespaces counts each namespace's segments and bytes" {
	ns_start 0x5709:4096 0x570a:10000
	run --separate-stderr shm ls --namespaces --json
	assert_success
	stderr_but_sight
	jq -e --argjson ns "$(ns_ino "$NS_PID")" --argjson pid "$NS_PID" \
	    '[.namespaces[] | select(.ns == $ns)] | length == 1 and
	    .[0].segments == 2 and .[0].bytes == 14096 and
	    .[0].nprocs == 1 and .[0].pid == $pid and
	    (.[0].command | startswith("sleep"))' <<<"$output"
	run --separate-stderr shm ls --namespaces --raw -b
	assert_success
	assert_line --index 0 "NS NPROCS PID COMMAND SEGMENTS BYTES RSS"
	# a raw table shows a blank inside a cell as \x20, as lsns does
	assert_line --regexp "^$(ns_ino "$NS_PID") 1 $NS_PID sleep\\\\x20infinity 2 14096 [0-9]+$"
}

@test "ls --namespaces with a segment filter: exit 2" {
	run --separate-stderr shm ls --namespaces --orphaned
	assert_failure 2
	assert_equal "$output" ""
	[[ $stderr == *"--namespaces and --orphaned clash"* ]]
}

@test "row 28: --ns as nobody: exit 4, saying CAP_SYS_ADMIN is needed" {
	ns_start 0x570b:4096
	for t in "$NS_PID" /proc/self/ns/ipc; do
		run --separate-stderr as_nobody "$SHM_BIN" --ns "$t" ls
		assert_failure 4
		assert_equal "$output" ""
		[[ $stderr == "shm ls: --ns $t: cannot enter the IPC namespace"*"needs CAP_SYS_ADMIN"* ]]
		[[ $stderr == *"hint: run it as root: sudo shm --ns=$t ..."* ]]
	done
}

@test "row 28: ls -A, ls --namespaces and metrics -A as nobody: exit 4" {
	for c in "ls -A" "ls --namespaces" "metrics -A"; do
		run --separate-stderr as_nobody "$SHM_BIN" $c
		assert_failure 4
		assert_equal "$output" ""
		[[ $stderr == *"needs CAP_SYS_ADMIN"* ]]
	done
}

@test "row 28: --ns with a target that is no IPC namespace: exit 2" {
	run --separate-stderr shm --ns /etc/passwd ls
	assert_failure 2
	assert_equal "$output" ""
	[[ $stderr == "shm ls: --ns /etc/passwd: /etc/passwd is no IPC namespace: it is not a namespace file"* ]]
	run --separate-stderr shm --ns /proc/self/ns/net ls
	assert_failure 2
	[[ $stderr == *"/proc/self/ns/net is no IPC namespace: it is a network namespace"* ]]
	run --separate-stderr shm --ns 2147483647 ls
	assert_failure 2
	[[ $stderr == "shm ls: --ns 2147483647: no process has pid 2147483647"* ]]
	run --separate-stderr shm --ns= ls
	assert_failure 2
	run --separate-stderr shm --ns
	assert_failure 2
	[[ $stderr == *"--ns needs a TARGET"* ]]
	run --separate-stderr shm --ns 1
	assert_failure 2
	[[ $stderr == *"no command given after --ns"* ]]
}

@test "ls -A, ls --namespaces and metrics -A say so when a namespace is out of sight" {
	# a process of another user in a namespace of its own, and a caller
	# with CAP_SYS_ADMIN but without CAP_SYS_PTRACE: its ns link is out
	# of reach
	unshare --ipc -- setpriv --reuid=65534 --regid=65534 --clear-groups \
	    sleep infinity 3>&- &
	NS_PID=$!
	wait_until "[ \"\$(stat -c %u /proc/$NS_PID)\" = 65534 ] &&
	    [ \"\$(ns_ino $NS_PID)\" != \"\$(ns_ino \$\$)\" ]" ||
	    fail "the process of nobody never got its namespace"
	ino=$(ns_ino "$NS_PID")
	for c in "ls -A" "ls --namespaces" "metrics -A"; do
		run --separate-stderr setpriv --inh-caps=-sys_ptrace \
		    --bounding-set=-sys_ptrace "$SHM_BIN" $c
		assert_success
		[[ $stderr == *"out of your sight"*"not in this list"* ]]
	done
	run --separate-stderr setpriv --inh-caps=-sys_ptrace \
	    --bounding-set=-sys_ptrace "$SHM_BIN" ls --namespaces --raw -n
	refute_line --regexp "^$ino "
	# with CAP_SYS_PTRACE, the same list sees it
	run --separate-stderr shm ls --namespaces --raw -n
	assert_success
	assert_line --regexp "^$ino "
}

@test "--ns: help COMMAND, --help and --version after it work; --ns twice is a usage error" {
	run --separate-stderr shm --ns=$$ help ls
	assert_success
	assert_line --partial "Usage: shm ls"
	run --separate-stderr shm --ns=$$ --help
	assert_success
	assert_line --partial "usage: shm"
	run --separate-stderr shm --ns $$ --version
	assert_success
	assert_output --regexp '^shm [0-9]'
	run --separate-stderr shm --ns=$$ --ns=1 ls
	assert_failure 2
	assert_output ""
	[[ $stderr == "shm: --ns given twice: one namespace at a time"* ]]
}

@test "--ns with --posix or -P is a usage error, never the caller's own /dev/shm" {
	ns_start 0x5709:4096
	n=shmtest.ns.${SHM_TMP##*.}
	"$SHM_BIN" create -P "$n" -s 1 >/dev/null
	for c in "ls --posix" "read -P $n" "stat -P $n"; do
		run --separate-stderr shm --ns "$NS_PID" $c
		assert_failure 2
		assert_output ""
		[[ $stderr == *"--posix with --ns: POSIX objects live in a mount namespace's /dev/shm, which --ns does not enter"* ]]
	done
	rm -f "/dev/shm/$n"
}
