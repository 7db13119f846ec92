#!/usr/bin/env bats
# shm fork-demo: a parent and its child talk through a segment.  No test
# here asserts a time: the figures are checked for being there and
# positive, never for their size.

load helpers/common

# Checks that every line of $output is "parent PID: ..." or "child PID: ..."
# with the same two pids throughout, and sets PARENT and CHILD.
check_story() {
	local line
	PARENT=$(sed -nE 's/^parent ([0-9]+): .*/\1/p' <<<"$output" | sort -u)
	CHILD=$(sed -nE 's/^child ([0-9]+): .*/\1/p' <<<"$output" | sort -u)
	[[ $PARENT =~ ^[0-9]+$ ]] || { echo "parent pids: '$PARENT'"; return 1; }
	[[ $CHILD =~ ^[0-9]+$ ]] || { echo "child pids: '$CHILD'"; return 1; }
	[ "$PARENT" != "$CHILD" ]
	while IFS= read -r line; do
		[[ $line =~ ^(parent\ $PARENT|child\ $CHILD):\ . ]] ||
		    { echo "stray line: '$line'"; return 1; }
	done <<<"$output"
}

# The line number of the first line of $output that contains $1.
line_of() {
	grep -nF -- "$1" <<<"$output" | head -n 1 | cut -d: -f1
}

# The processes with these pids are gone: not running, and not left as
# zombies (a zombie keeps its /proc entry until it is reaped).
gone() {
	local p
	for p in "$@"; do
		[ ! -e "/proc/$p" ] || {
			echo "process $p is still there:" \
			    "$(awk '/^State:/ { print $2 }' "/proc/$p/status")"
			return 1
		}
	done
}

# Waits (up to 5 s) for the child of parent pid $1 and prints its pid.
child_of() {
	local i c
	for ((i = 0; i < 250; i++)); do
		c=$(pgrep -P "$1" | head -n 1)
		[ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.02
	done
	return 1
}

@test "fork-demo tells the story: parent and child lines, the child sees 3" {
	run --separate-stderr shm fork-demo
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: created a new private segment: key 0x00000000 \(IPC_PRIVATE\), id [0-9]+, [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^parent $PARENT: attached id [0-9]+: offset 0 reads 0, as a new segment is all zeros$"
	assert_line --regexp "^child $CHILD: attached id [0-9]+ itself"
	assert_line "child $CHILD: read 3 at offset 0"
	assert_line "parent $PARENT: child $CHILD exited with status 0: it saw 3"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo: the parent's lines carry its real pid" {
	"$SHM_BIN" fork-demo >out 2>err &
	pid=$!
	wait "$pid"
	run --separate-stderr cat out
	assert_equal "$(cat err)" ""
	check_story
	assert_equal "$PARENT" "$pid"
	gone "$PARENT" "$CHILD"
}

@test "fork-demo: the child reads only after the parent wrote" {
	run --separate-stderr shm fork-demo --value 7
	assert_success
	assert_equal "$stderr" ""
	check_story
	wrote=$(line_of "parent $PARENT: wrote 7 at offset 0")
	waiting=$(line_of "child $CHILD: waiting on the futex word")
	read=$(line_of "child $CHILD: read 7 at offset 0")
	[ -n "$wrote" ] && [ -n "$waiting" ] && [ -n "$read" ]
	[ "$waiting" -lt "$wrote" ]
	[ "$wrote" -lt "$read" ]
}

@test "fork-demo --value hands over that value, negative and hex too" {
	run --separate-stderr shm fork-demo --value 42
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line "child $CHILD: read 42 at offset 0"
	assert_line --partial "it saw 42"
	run --separate-stderr shm fork-demo --value=-2147483648
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^child [0-9]+: read -2147483648 at offset 0$"
	run --separate-stderr shm fork-demo --value 0x10
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^child [0-9]+: read 16 at offset 0$"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --quiet prints nothing and exits 0" {
	run --separate-stderr shm fork-demo --quiet --value 5
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr shm fork-demo -q --rounds 100 --compare
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -f shmfile -p 65: both derive the key, nothing is left" {
	touch shmfile
	key=$(shm key shmfile 65)
	run --separate-stderr shm fork-demo -f shmfile -p 65
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line "parent $PARENT: ftok('shmfile', 65) gives key $key"
	assert_line --regexp "^parent $PARENT: created a new segment: key $key, id [0-9]+, [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^child $CHILD: ftok\('shmfile', 65\) gives key $key here too: attached id [0-9]+ itself$"
	assert_line "child $CHILD: read 3 at offset 0"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -k: both open the key, nothing is left" {
	run --separate-stderr shm fork-demo -k 0x4d2
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: created a new segment: key 0x000004d2, id [0-9]+, [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^child $CHILD: key 0x000004d2 names id [0-9]+: attached it itself$"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --keep leaves the segment, holding the value" {
	run --separate-stderr shm fork-demo --keep --value 1234
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: detached; kept id [0-9]+: remove it with: shm rm --id [0-9]+$"
	id=$(sed -nE 's/.*kept id ([0-9]+):.*/\1/p' <<<"$output")
	assert_equal "$(nsegs)" 1
	run --separate-stderr shm read -i "$id" -t i32
	assert_success
	assert_output 1234
	run --separate-stderr shm rm --id "$id"
	assert_success
	assert_equal "$(nsegs)" 0
}

@test "fork-demo on an existing key says what it reads, then removes it" {
	shm fork-demo -q --keep -k 0x4d3 --value 99
	assert_equal "$(nsegs)" 1
	run --separate-stderr shm fork-demo -k 0x4d3 --value 5
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: found the existing segment: key 0x000004d3, id [0-9]+, [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^parent $PARENT: attached id [0-9]+: offset 0 reads 99: the segment is not new \(made by pid [0-9]+\)$"
	assert_line "child $CHILD: read 5 at offset 0"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -i uses an existing segment; one too small is exit 6" {
	id=$(shm create --private -s 4096)
	run --separate-stderr shm fork-demo -i "$id" --value 8
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line "child $CHILD: attached id $id itself"
	assert_line "child $CHILD: read 8 at offset 0"
	assert_equal "$(nsegs)" 0
	id=$(shm create --private -s 64)
	run --separate-stderr shm fork-demo -i "$id"
	assert_failure 6
	assert_output ""
	[[ $stderr == *"segment id $id has 64 bytes; fork-demo needs 128"* ]]
	assert_equal "$(nsegs)" 1
}

@test "fork-demo: a bad --value or --rounds is a usage error" {
	for v in abc 2147483648 -2147483649 "" 3x; do
		run --separate-stderr shm fork-demo "--value=$v"
		assert_failure 2
		assert_output ""
		[[ $stderr == *"--value: invalid number '$v'"* ]]
		[[ $stderr == *"hint: see 'shm fork-demo --help'"* ]]
	done
	run --separate-stderr shm fork-demo --rounds 0
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--rounds: '0' is out of range"* ]]
	run --separate-stderr shm fork-demo --rounds many
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--rounds: invalid number 'many'"* ]]
	run --separate-stderr shm fork-demo --compare
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--compare goes with --rounds"* ]]
	run --separate-stderr shm fork-demo -k 1 -i 1
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--key and --id clash"* ]]
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -f of a missing file exits 3 and creates nothing" {
	run --separate-stderr shm fork-demo -f nosuchfile -p 65
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no file 'nosuchfile': ftok needs an existing file"* ]]
	[[ $stderr == *"hint: "* ]]
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -i of a missing segment exits 3" {
	run --separate-stderr shm fork-demo -i 999999
	assert_failure 3
	assert_output ""
	[[ $stderr == *"no segment has id 999999"* ]]
	assert_equal "$(nsegs)" 0
}

@test "fork-demo -k of root's 0600 segment, run as nobody: exit 4, left alone" {
	id=$(shm create -k 0x4d4 -s 4096)
	run --separate-stderr as_nobody "$SHM_BIN" fork-demo -k 0x4d4
	assert_failure 4
	assert_output --regexp "^parent [0-9]+: found the existing segment: key 0x000004d4, id $id, 4096 bytes, mode 0600$"
	refute_output --partial "child"
	[[ $stderr == *"cannot attach key 0x000004d4 (id $id) for writing: permission denied"* ]]
	[[ $stderr == *"hint: the owner (root) can allow it"* ]]
	assert_equal "$(nsegs)" 1
	gone "$(sed -nE 's/^parent ([0-9]+):.*/\1/p' <<<"$output")"
}

@test "fork-demo --rounds prints positive figures" {
	run --separate-stderr shm fork-demo --rounds 1000
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: handshake: (spin|futex wait)"
	assert_line "child $CHILD: answered 1000 round trips through the segment"
	line=$(grep "^parent $PARENT: segment: " <<<"$output")
	[[ $line =~ segment:\ 1000\ round\ trips\ in\ ([0-9.]+)\ s:\ ([0-9]+)\ per\ second,\ median\ ([0-9]+)\ ns,\ p99\ ([0-9]+)\ ns$ ]]
	[ "${BASH_REMATCH[2]}" -gt 0 ]
	[ "${BASH_REMATCH[3]}" -gt 0 ]
	[ "${BASH_REMATCH[4]}" -ge "${BASH_REMATCH[3]}" ]
	refute_output --partial "pipe:"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --rounds --compare adds the pipe, the socketpair and ratios" {
	run --separate-stderr shm fork-demo --rounds 1000 --compare
	assert_success
	assert_equal "$stderr" ""
	check_story
	for what in segment pipe socketpair; do
		assert_line --regexp "^parent $PARENT: $what: 1000 round trips in [0-9.]+ s: [1-9][0-9]* per second, median [1-9][0-9]* ns, p99 [1-9][0-9]* ns$"
	done
	assert_line --regexp "^parent $PARENT: segment vs pipe: [0-9.]+x the round trips per second; segment vs socketpair: [0-9.]+x$"
	ratios=$(sed -nE 's/.*segment vs pipe: ([0-9.]+)x.*socketpair: ([0-9.]+)x$/\1 \2/p' <<<"$output")
	awk -v r="$ratios" 'BEGIN { split(r, a, " "); exit !(a[1] > 0 && a[2] > 0) }'
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --rounds on one CPU yields and sleeps, never spins" {
	run --separate-stderr taskset -c 0 "$SHM_BIN" fork-demo --rounds 200
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: handshake: yield the CPU \(up to [0-9]+ times\), then futex wait, no spinning: only CPU 0 is available"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --rounds on two CPUs pins the two apart and spins" {
	[ "$(taskset -c 0,1 nproc)" -ge 2 ] || skip "needs two CPUs"
	run --separate-stderr taskset -c 0,1 "$SHM_BIN" fork-demo --rounds 200
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp "^parent [0-9]+: handshake: spin \(up to [0-9]+ pauses\), then futex wait: 2 CPUs are available, so the parent runs on CPU 0 and the child on CPU 1"
}

@test "fork-demo interrupted (SIGINT to the group): reaped, removed, 130" {
	run --separate-stderr timeout --preserve-status -s INT 0.5 \
	    "$SHM_BIN" fork-demo --rounds 1000000000
	assert_failure 130
	assert_line --regexp "^parent [0-9]+: stopped child [0-9]+"
	[[ $stderr == *"stopped by signal 2 (Interrupt); the child is reaped and the segment removed"* ]]
	check_story
	assert_equal "$(nsegs)" 0
	gone "$PARENT" "$CHILD"
}

@test "fork-demo: SIGTERM to the parent alone still reaps and removes" {
	"$SHM_BIN" fork-demo --rounds 1000000000 --compare >out 2>err &
	pid=$!
	child=$(child_of "$pid")
	sleep 0.2
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 143
	run --separate-stderr cat out
	assert_line "parent $pid: stopped child $child (signal 9, Killed)"
	run cat err
	assert_output "shm fork-demo: stopped by signal 15 (Terminated); the child is reaped and the segment removed"
	assert_equal "$(nsegs)" 0
	gone "$pid" "$child"
}

@test "fork-demo: a child killed mid-run is reported, and cleaned up" {
	"$SHM_BIN" fork-demo --rounds 1000000000 >out 2>err &
	pid=$!
	child=$(child_of "$pid")
	sleep 0.2
	kill -KILL "$child"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 1
	run --separate-stderr cat out
	check_story
	assert_equal "$CHILD" "$child"
	refute_line --partial "exited with status 0"
	assert_line --regexp "^parent $pid: detached; id [0-9]+ is gone$"
	run cat err
	assert_output "shm fork-demo: child $child was killed by signal 9 (Killed)"
	assert_equal "$(nsegs)" 0
	gone "$pid" "$child"
}

@test "fork-demo: even a parent killed by SIGKILL leaks no segment" {
	"$SHM_BIN" fork-demo --rounds 1000000000 >out 2>err &
	pid=$!
	child=$(child_of "$pid")
	# the segment is marked for removal once both are attached
	for ((i = 0; i < 250; i++)); do
		grep -q "marked id" out && break
		sleep 0.02
	done
	kill -KILL "$pid"
	wait "$pid" || true
	# the child dies with its parent (it may linger as a zombie of init)
	for ((i = 0; i < 250; i++)); do
		state=$(awk '/^State:/ { print $2 }' "/proc/$child/status" 2>/dev/null)
		[[ -z $state || $state == Z ]] && break
		sleep 0.02
	done
	[[ -z $state || $state == Z ]]
	assert_equal "$(nsegs)" 0
}

@test "fork-demo to a full stdout fails with a write error, cleans up" {
	run --separate-stderr bash -c "'$SHM_BIN' fork-demo > /dev/full"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "shm fork-demo: write error: No space left on device"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo into a closed pipe ends quietly and cleans up" {
	run --separate-stderr bash -c "'$SHM_BIN' fork-demo --rounds 100 --compare | head -n 1; echo \"status \${PIPESTATUS[0]}\""
	assert_success
	assert_line --index 0 --regexp "^parent [0-9]+: created a new private segment"
	assert_line --index 1 "status 0"
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}
