#!/usr/bin/env bats
# shm fork-demo: a parent and its child talk through a segment.  No test
# here asserts a time: the figures are checked for being there and
# positive, never for their size.

load helpers/common

# A test that fails midway may leave its demo running: end the ones it
# started (pids still running our copy of shm), so that nothing hangs.
teardown() {
	local p
	for p in ${child:-} ${pid:-}; do
		[[ $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) == "$SHM_BIN "* ]] &&
		    kill -KILL "$p" 2>/dev/null
	done
	common_teardown
}

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

# The state letter of process $1 (R, S, T, Z...), empty when it is gone.
state_of() {
	awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

# Waits (up to 10 s) until process $1, a child of this shell, has ended,
# and sets STATUS to its exit status; kills it and fails after that.
ended() {
	local i s
	for ((i = 0; i < 500; i++)); do
		s=$(state_of "$1")
		[[ -z $s || $s == Z ]] && break
		sleep 0.02
	done
	if [[ -n $s && $s != Z ]]; then
		echo "process $1 is still there ($s) after 10 s"
		kill -KILL "$1" "${@:2}" 2>/dev/null
		wait "$1" 2>/dev/null
		return 1
	fi
	STATUS=0
	wait "$1" || STATUS=$?
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

# The bytes of segment $1 (an id), as a hex dump.
bytes_of() {
	shm read -i "$1" -n 128 -x
}

@test "fork-demo refuses an existing segment (row 34) instead of overwriting and removing it" {
	id=$(shm create -k 0x42 -s 4096)
	shm write -k 0x42 -z config
	shm write -k 0x42 -o 64 -z word
	before_k=$(bytes_of "$id")
	[[ $before_k == *"63 6f 6e 66"*"77 6f 72 64"* ]]	# config, word
	run --separate-stderr shm fork-demo -k 0x42
	assert_failure 5
	assert_output ""
	[[ $stderr == *"shm fork-demo: key 0x00000042 (id $id) already exists (4096 bytes): fork-demo would overwrite it"* ]]
	[[ $stderr == *"hint: if nothing needs it, remove it first"*": shm rm --key 0x00000042"* ]]
	[[ $stderr == *"hint: or name another key"* ]]
	[[ $stderr == *"hint: or use it as it is, and leave it in place: shm fork-demo --key 0x00000042 --reuse"* ]]
	# not a byte changed, and it is still there, the same segment
	assert_equal "$(bytes_of "$id")" "$before_k"
	assert_equal "$(shm create -k 0x42)" "$id"
	assert_equal "$(nsegs)" 1
	# the same for --file and --id
	touch shmfile
	fid=$(shm create -f shmfile -p 7 -s 4096)
	shm write -i "$fid" -z tutorial
	before=$(bytes_of "$fid")
	run --separate-stderr shm fork-demo -f shmfile -p 7
	assert_failure 5
	assert_output --regexp "^parent [0-9]+: ftok\('shmfile', 7\) gives key $(shm key shmfile 7)$"
	[[ $stderr == *"(id $fid) already exists"*"would overwrite it"* ]]
	assert_equal "$(bytes_of "$fid")" "$before"
	run --separate-stderr shm fork-demo -i "$id"
	assert_failure 5
	assert_output ""
	[[ $stderr == *"(id $id) already exists"*"would overwrite it"* ]]
	[[ $stderr == *"shm fork-demo --id $id --reuse"* ]]
	assert_equal "$(bytes_of "$id")" "$before_k"
	assert_equal "$(nsegs)" 2
}

@test "fork-demo --reuse uses an existing key and leaves it in place" {
	shm fork-demo -q --keep -k 0x4d3 --value 99
	id=$(shm create -k 0x4d3)
	run --separate-stderr shm fork-demo -k 0x4d3 --value 5 --reuse
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line "parent $PARENT: found the existing segment: key 0x000004d3, id $id, 4096 bytes, mode 0600; --reuse: it stays in place at the end"
	assert_line --regexp "^parent $PARENT: attached id $id: offset 0 reads 99: the segment is not new \(made by pid [0-9]+\)$"
	assert_line "child $CHILD: key 0x000004d3 names id $id: attached it itself"
	assert_line "child $CHILD: read 5 at offset 0"
	refute_line --partial "marked id"
	assert_line "parent $PARENT: detached; left id $id in place, as --reuse asks"
	# still there, by its key, holding the value
	assert_equal "$(shm create -k 0x4d3)" "$id"
	run --separate-stderr shm read -k 0x4d3 -t i32
	assert_success
	assert_output 5
	assert_equal "$(nsegs)" 1
}

@test "fork-demo --reuse of a key that does not exist makes it and removes it" {
	run --separate-stderr shm fork-demo -k 0x4d5 --reuse
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line --regexp "^parent $PARENT: created a new segment: key 0x000004d5, id [0-9]+, [0-9]+ bytes, mode 0600$"
	assert_line --regexp "^parent $PARENT: detached; id [0-9]+ is gone$"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --reuse with no selector or --private is a usage error" {
	for sel in "" --private; do
		run --separate-stderr shm fork-demo --reuse $sel
		assert_failure 2
		assert_output ""
		[[ $stderr == *"--reuse goes with --key, --file or --id"* ]]
	done
	assert_equal "$(nsegs)" 0
}

@test "fork-demo --reuse stopped by SIGTERM leaves the segment it found" {
	id=$(shm create -k 0x4d6 -s 4096)
	"$SHM_BIN" fork-demo -k 0x4d6 --reuse --rounds 1000000000 >out 2>err &
	pid=$!
	child=$(child_of "$pid")
	for ((i = 0; i < 250; i++)); do
		grep -q "child $child: read 3 at offset 0" out && break
		sleep 0.02
	done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 143
	run cat err
	assert_output "shm fork-demo: stopped by signal 15 (Terminated); the child is reaped and the segment left in place (--reuse)"
	gone "$pid" "$child"
	assert_equal "$(shm create -k 0x4d6)" "$id"
	assert_equal "$(nsegs)" 1
}

@test "fork-demo -i --reuse uses an existing segment; one too small is exit 6" {
	id=$(shm create --private -s 4096)
	run --separate-stderr shm fork-demo -i "$id" --value 8 --reuse
	assert_success
	assert_equal "$stderr" ""
	check_story
	assert_line "child $CHILD: attached id $id itself"
	assert_line "child $CHILD: read 8 at offset 0"
	assert_line "parent $PARENT: detached; left id $id in place, as --reuse asks"
	assert_equal "$(shm read -i "$id" -t i32)" 8
	assert_equal "$(nsegs)" 1
	# the least it needs is 128 bytes
	id=$(shm create -k 0x4d7 -s 128)
	run --separate-stderr shm fork-demo -k 0x4d7 --reuse -q
	assert_success
	assert_equal "$stderr" ""
	id=$(shm create --private -s 64)
	run --separate-stderr shm fork-demo -i "$id" --reuse
	assert_failure 6
	assert_output ""
	[[ $stderr == *"segment id $id has 64 bytes; fork-demo needs 128"* ]]
	assert_equal "$(nsegs)" 3
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
	assert_failure 5
	assert_output ""
	[[ $stderr == *"key 0x000004d4 (id $id) already exists"* ]]
	run --separate-stderr as_nobody "$SHM_BIN" fork-demo -k 0x4d4 --reuse
	assert_failure 4
	assert_output --regexp "^parent [0-9]+: found the existing segment: key 0x000004d4, id $id, 4096 bytes, mode 0600; --reuse: it stays in place at the end$"
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

# The last $2 syscalls that process $1 entered, from the strace -f log
# "trace", one name a line (futex with its operation).
last_calls() {
	grep -E "^$1 +[a-z_0-9]+\(" trace | tail -n "$2" |
	    sed -E 's/^[0-9]+ +([a-z_0-9]+)\(([^,]*, (FUTEX_[A-Z_]+))?.*/\1 \3/; s/ $//'
}

# Waits (up to 5 s) until process $1 sleeps on a futex, its last syscall
# in "trace" the FUTEX_WAIT.
asleep_on_futex() {
	local i
	for ((i = 0; i < 250; i++)); do
		[[ $(state_of "$1") == S &&
		    $(cat "/proc/$1/wchan" 2>/dev/null) == *futex* &&
		    $(last_calls "$1" 1) == "futex FUTEX_WAIT" ]] && return 0
		sleep 0.02
	done
	echo "process $1: state $(state_of "$1"), last calls:"
	last_calls "$1" 5
	return 1
}

@test "fork-demo --rounds on one CPU yields and sleeps, never spins" {
	# What each side does while it waits for the other, from its syscalls:
	# spinning, the other handshake, pins each side to a CPU of its own
	# and makes no syscall until it sleeps; yielding is sched_yield(2),
	# sleeping futex(2).  A side whose peer is stopped must yield 3 times
	# and then sleep.  (LeakSanitizer cannot work under ptrace.)
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	taskset -c 0 strace -f -qq -o trace \
	    -e trace=sched_yield,sched_setaffinity,futex \
	    "$SHM_BIN" fork-demo --rounds 1000000000 >out 2>err &
	spid=$!
	pid=$(child_of "$spid")
	child=$(child_of "$pid")
	for ((i = 0; i < 250; i++)); do
		grep -q "child $child: read 3 at offset 0" out && break
		sleep 0.02
	done
	run cat out
	check_story
	assert_line --regexp "^parent $pid: handshake: yield the CPU \(up to 3 times\), then futex wait, no spinning: only CPU 0 is available"
	# the child stopped: the parent yields 3 times, then sleeps
	kill -STOP "$child"
	asleep_on_futex "$pid"
	run last_calls "$pid" 4
	assert_output "$(printf 'sched_yield\nsched_yield\nsched_yield\nfutex FUTEX_WAIT')"
	# the parent stopped: the child does the same
	kill -CONT "$child"
	kill -STOP "$pid"
	asleep_on_futex "$child"
	run last_calls "$child" 4
	assert_output "$(printf 'sched_yield\nsched_yield\nsched_yield\nfutex FUTEX_WAIT')"
	kill -TERM "$pid"
	kill -CONT "$pid"
	ended "$spid" "$pid" "$child"
	assert_equal "$STATUS" 143
	# neither pinned itself
	run grep -c sched_setaffinity trace
	assert_output 0
	gone "$pid" "$child"
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

@test "fork-demo into a closed pipe exited 0 though output was lost" {
	run --separate-stderr bash -c "'$SHM_BIN' fork-demo --rounds 100 --compare | head -n 1; echo \"status \${PIPESTATUS[0]}\""
	assert_success
	assert_line --index 0 --regexp "^parent [0-9]+: created a new private segment"
	assert_line --index 1 "status 141"
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
	# SIGPIPE blocked: exit 1 and cat's message
	run --separate-stderr bash -c "env --block-signal=PIPE '$SHM_BIN' fork-demo --rounds 100 --compare | head -n 1; echo \"status \${PIPESTATUS[0]}\""
	assert_success
	assert_line --index 1 "status 1"
	assert_equal "$stderr" "shm fork-demo: write error: Broken pipe"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo hung for ever on SIGTERM when bit 31 of the handshake word was set" {
	"$SHM_BIN" fork-demo -k 0x9a --rounds 1000000000 >out 2>err &
	pid=$!
	child=$(child_of "$pid")
	for ((i = 0; i < 250; i++)); do
		grep -q "child $child: read 3 at offset 0" out && break
		sleep 0.02
	done
	id=$(sed -nE 's/.*created a new segment: key 0x0000009a, id ([0-9]+),.*/\1/p' out)
	[ -n "$id" ]
	# Stop both, set the word to step 0 with bit 31, and let them go on:
	# neither waits for step 0, so both end asleep on the futex, the word
	# 0xc0000000 (bit 31 and the sleeper's bit).  A side that was about to
	# post overwrites it: then try again.
	stuck=
	for ((try = 0; try < 20 && !stuck; try++)); do
		kill -STOP "$pid" "$child"
		for ((i = 0; i < 250; i++)); do
			[[ $(state_of "$pid") == T && $(state_of "$child") == T ]] && break
			sleep 0.02
		done
		shm write -i "$id" -o 64 -t u32 0x80000000
		kill -CONT "$pid" "$child"
		for ((i = 0; i < 250; i++)); do
			word=$(shm read -i "$id" -o 64 -t u32)
			if ((word == 0xc0000000)) &&
			    [[ $(state_of "$pid") == S && $(state_of "$child") == S ]]; then
				stuck=1
				break
			fi
			((word & 0x80000000)) || break
			sleep 0.02
		done
	done
	[ -n "$stuck" ]
	kill -TERM "$pid"
	ended "$pid" "$child"
	assert_equal "$STATUS" 143
	run cat err
	assert_output "shm fork-demo: stopped by signal 15 (Terminated); the child is reaped and the segment removed"
	gone "$pid" "$child"
	assert_equal "$(nsegs)" 0
}

@test "fork-demo killed by SIGKILL just after attaching leaked its private segment" {
	# LeakSanitizer, in a sanitized build, cannot work under ptrace.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	# Where the parent makes its syscalls, from a run to the end.
	strace -qq -o ref "$SHM_BIN" fork-demo >/dev/null
	# Each syscall the parent makes after shmat, as NAME:N (the Nth call
	# of NAME), up to 50 of them.  Not shmctl: a kill between shmget and
	# the IPC_RMID that follows shmat at once cannot be helped.
	points=$(awk -F'(' '
	    /^(---|\+\+\+)/ || $1 == "rt_sigreturn" { next }
	    { n[$1]++ }
	    after && $1 != "shmctl" && $1 != "exit_group" { print $1 ":" n[$1] }
	    $1 == "shmat" { after = 1 }' ref | head -n 50)
	[ "$(wc -w <<<"$points")" -ge 10 ]
	grep -qx "clone:1" <<<"$points" || grep -qx "clone3:1" <<<"$points"
	killed=0
	for p in $points; do
		status=0
		strace -qq -o /dev/null -e "inject=${p%:*}:signal=KILL:when=${p#*:}" \
		    "$SHM_BIN" fork-demo >/dev/null 2>&1 || status=$?
		# killed there (137), or the call came no more (a futex): 0
		[[ $status == 137 || $status == 0 ]] || { echo "$p: $status"; false; }
		((status == 137)) && killed=$((killed + 1))
		# the child, if any, dies with the parent; then nothing is left
		for ((i = 0; i < 250; i++)); do
			[ "$(nsegs)" -eq 0 ] && break
			sleep 0.02
		done
		[ "$(nsegs)" -eq 0 ] || { echo "killed at $p: $(nsegs) segment(s) left"; false; }
	done
	[ "$killed" -ge 10 ]
}
