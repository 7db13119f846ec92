#!/usr/bin/env bats
# shm rm by filter: --all, --orphaned, --owner, --older-than, --dry-run.

load helpers/common

# The ids of the segments that exist, sorted.
ids() {
	awk 'NR > 1 { print $2 }' /proc/sysvipc/shm | sort -n
}

sorted() {
	printf '%s\n' "$@" | sort -n
}

@test "rm --orphaned --dry-run lists exactly the unattached segments" {
	a=$(shm create -k 0x51 -s 1)
	held=$(shm create -k 0x52 -s 1M)
	b=$(shm create --private -s 1)
	c=$(as_nobody "$SHM_BIN" create -k 0x53 -s 1)
	hold "$held"
	run --separate-stderr shm rm --orphaned --dry-run
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$a" "$b" "$c")"
	# nothing removed
	assert_equal "$(ids)" "$(sorted "$a" "$held" "$b" "$c")"
	release
}

@test "rm --orphaned removes the unattached ones and leaves the attached" {
	a=$(shm create -k 0x51 -s 1)
	held=$(shm create -k 0x52 -s 1M)
	hold "$held"
	run --separate-stderr shm rm --orphaned
	assert_success
	assert_output "$a"
	assert_equal "$stderr" ""
	assert_equal "$(ids)" "$held"
	release
}

@test "rm --all --dry-run lists every segment and removes none" {
	a=$(shm create -k 0x51 -s 1)
	b=$(as_nobody "$SHM_BIN" create -k 0x52 -s 1)
	run --separate-stderr shm rm --all --dry-run
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$a" "$b")"
	assert_equal "$(nsegs)" 2
}

@test "rm --all skips segments already marked for removal" {
	held=$(shm create -k 0x52 -s 1M)
	hold "$held"
	shm rm -i "$held" 2>/dev/null
	a=$(shm create -k 0x51 -s 1)
	run --separate-stderr shm rm --all
	assert_success
	assert_output "$a"
	assert_equal "$stderr" ""
	release
}

@test "rm --all --owner with a name: only that user's segments" {
	shm create -k 0x51 -s 1 >/dev/null
	n1=$(as_nobody "$SHM_BIN" create -k 0x52 -s 1)
	n2=$(as_nobody "$SHM_BIN" create -k 0x53 -s 1)
	run --separate-stderr shm rm --all --owner nobody --dry-run
	assert_success
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$n1" "$n2")"
	run --separate-stderr shm rm --all --owner nobody
	assert_success
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$n1" "$n2")"
	assert_equal "$stderr" ""
	assert_equal "$(awk 'NR > 1 { print $1 }' /proc/sysvipc/shm)" 81
}

@test "rm --all --owner with a uid" {
	r=$(shm create -k 0x51 -s 1)
	n=$(as_nobody "$SHM_BIN" create -k 0x52 -s 1)
	run --separate-stderr shm rm --all --owner=65534
	assert_success
	assert_output "$n"
	run --separate-stderr shm rm --all --owner 0 --dry-run
	assert_success
	assert_output "$r"
}

@test "rm --owner means the owner, not the creator" {
	id=$(as_nobody "$SHM_BIN" create -k 0x51 -s 1)
	shm chown root -i "$id"
	run --separate-stderr shm rm --all --owner nobody --dry-run
	assert_success
	assert_output ""
	run --separate-stderr shm rm --all --owner root --dry-run
	assert_output "$id"
}

@test "rm --owner with a user that does not exist: exit 2" {
	shm create -k 0x51 -s 1 >/dev/null
	run --separate-stderr shm rm --all --owner no-such-user
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--owner: no user 'no-such-user'"* ]]
	assert_equal "$(nsegs)" 1
}

@test "rm --owner or --older-than alone is a usage error" {
	shm create -k 0x51 -s 1 >/dev/null
	run --separate-stderr shm rm --owner root
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--owner narrows --all or --orphaned: give one of them"* ]]
	run --separate-stderr shm rm --older-than 0s
	assert_failure 2
	[[ $stderr == *"--older-than narrows --all or --orphaned"* ]]
	assert_equal "$(nsegs)" 1
}

@test "rm --older-than 0s selects every segment" {
	a=$(shm create -k 0x51 -s 1)
	b=$(shm create -k 0x52 -s 1)
	run --separate-stderr shm rm --all --older-than 0s --dry-run
	assert_success
	assert_equal "$(sort -n <<<"$output")" "$(sorted "$a" "$b")"
}

@test "rm --older-than 1s selects a segment a second old" {
	a=$(shm create -k 0x51 -s 1)
	sleep 1.1
	run --separate-stderr shm rm --orphaned --older-than 1s
	assert_success
	assert_output "$a"
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "rm --older-than a long age selects none" {
	shm create -k 0x51 -s 1 >/dev/null
	for age in 90s 10m 2h 7d; do
		run --separate-stderr shm rm --all --older-than "$age"
		assert_success
		assert_output ""
		assert_equal "$stderr" ""
	done
	assert_equal "$(nsegs)" 1
}

@test "rm --older-than takes a DURATION, with a fraction and ms, as --timeout does" {
	a=$(shm create -k 0x51 -s 1)
	for age in 0.5s 500ms 0.01d 1.5h; do
		run --separate-stderr shm rm --all --older-than "$age" --dry-run
		assert_success
		assert_equal "$stderr" ""
	done
	# a hundredth of a day is 864 s: not yet
	run --separate-stderr shm rm --all --older-than 0.01d --dry-run
	assert_output ""
	run --separate-stderr shm rm --all --older-than 0ms --dry-run
	assert_output "$a"
}

@test "rm --older-than never selects a segment attached now, however long ago it was attached" {
	a=$(shm create -k 0x51 -s 1M)
	b=$(shm create -k 0x52 -s 1)
	hold "$a"
	# both last changed or attached more than 1 s ago
	for i in $(seq 300); do
		now=$(date +%s)
		[ $((now - $(seg_field "$a" 12))) -ge 2 ] &&
		    [ $((now - $(seg_field "$b" 14))) -ge 2 ] && break
		sleep 0.1
	done
	run --separate-stderr shm rm --all --older-than 1s --dry-run
	assert_success
	assert_output "$b"
	run --separate-stderr shm ls --older-than 1s --raw -n -o id
	assert_output "$b"
	run --separate-stderr shm rm --all --older-than 1s
	assert_success
	assert_output "$b"
	assert_equal "$(ids)" "$a"
	release
}

# The detach time of segment $1, in the kernel's seconds.
dtime() {
	seg_field "$1" 13
}

@test "rm --older-than counts from the last attach or detach" {
	a=$(shm create -k 0x51 -s 1)
	b=$(shm create -k 0x52 -s 1)
	# Until both are 2 s old by their creation.
	for i in $(seq 100); do
		[ "$(shm rm --all --older-than 2s --dry-run | sort -n)" != \
		    "$(sorted "$a" "$b")" ] || break
		sleep 0.1
	done
	# a is used again: only b is 2 s old now.  Ages are whole seconds:
	# the rm must fall in the second of a's detach, which a second read
	# after it confirms; otherwise try again.
	for i in $(seq 50); do
		shm read -i "$a" --raw >/dev/null
		before=$(dtime "$a")
		run --separate-stderr shm rm --all --older-than 2s --dry-run
		shm read -i "$a" --raw >/dev/null
		[ "$(dtime "$a")" != "$before" ] || break
	done
	[ "$(dtime "$a")" = "$before" ] ||
	    fail "no rm fell in the second of a detach in 50 tries"
	assert_success
	assert_output "$b"
	assert_equal "$stderr" ""
}

@test "rm --older-than with a bad age: exit 2" {
	for age in 1y -1s "" s 1s2 1.5.h 1e3s; do
		run --separate-stderr shm rm --all --older-than "$age"
		assert_failure 2
		[[ $stderr == *"--older-than: invalid age '$age'"* ]]
	done
}

@test "rm filters combine: --orphaned --owner" {
	r=$(shm create -k 0x51 -s 1)
	n=$(as_nobody "$SHM_BIN" create -k 0x52 -s 1M -m 644)
	m=$(as_nobody "$SHM_BIN" create -k 0x53 -s 1)
	hold "$n"
	run --separate-stderr shm rm --orphaned --owner nobody
	assert_success
	assert_output "$m"
	assert_equal "$(ids)" "$(sorted "$r" "$n")"
	release
}

@test "rm --all as a user: removes its own, skips others' with a note" {
	r1=$(shm create -k 0x51 -s 1 -m 666)
	r2=$(shm create -k 0x52 -s 1)
	n=$(as_nobody "$SHM_BIN" create -k 0x53 -s 1)
	run --separate-stderr as_nobody "$SHM_BIN" rm --all --dry-run
	assert_success
	assert_output "$n"
	[[ $stderr == "shm rm: skipped 2 segments of other users that you may not remove (ids $r1, $r2)" ]]
	assert_equal "$(nsegs)" 3
	run --separate-stderr as_nobody "$SHM_BIN" rm --orphaned
	assert_success
	assert_output "$n"
	assert_equal "$(ids)" "$(sorted "$r1" "$r2")"
}

@test "rm --all as a user: a segment it created but gave away is its to remove" {
	id=$(as_nobody "$SHM_BIN" create -k 0x51 -s 1)
	shm chown daemon -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" rm --all
	assert_success
	assert_output "$id"
	assert_equal "$stderr" ""
	assert_equal "$(nsegs)" 0
}

@test "rm --all with no segments prints nothing" {
	run --separate-stderr shm rm --all
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "rm --force with a filter is a usage error" {
	run --separate-stderr shm rm --all --force
	assert_failure 2
	[[ $stderr == *"--force goes with selectors, not with filters"* ]]
}

@test "rm --orphaned with a selector is a usage error" {
	shm create -k 0x51 -s 1 >/dev/null
	run --separate-stderr shm rm --orphaned -k 0x51
	assert_failure 2
	[[ $stderr == *"name segments, or filter them, not both"* ]]
	assert_equal "$(nsegs)" 1
}

@test "rm --dry-run with selectors prints the ids and removes nothing" {
	a=$(shm create -k 0x51 -s 1)
	run --separate-stderr shm rm --dry-run -k 0x51
	assert_success
	assert_output "$a"
	assert_equal "$(nsegs)" 1
}

@test "rm filters work through the shmctl fallback" {
	r=$(shm create -k 0x51 -s 1)
	n=$(as_nobody "$SHM_BIN" create -k 0x52 -s 1)
	run --separate-stderr env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" rm --all --owner nobody
	assert_success
	assert_output "$n"
	assert_equal "$(ids)" "$r"
}

# Copies /proc/sysvipc/shm to the file forged, with the row of id $1 given
# field $2 = $3 (7: nattch, 8: uid, 12-14: atime, dtime, ctime).
forge() {
	awk -v id="$1" -v f="$2" -v v="$3" \
	    'NR > 1 && $2 == id { $f = v } { print }' /proc/sysvipc/shm >forged
}

@test "rm --orphaned keeps an attached segment that SHM_PROC_SYSVIPC calls unattached" {
	a=$(shm create -k 0x51 -s 1)
	held=$(shm create -k 0x52 -s 1M)
	hold "$held"
	forge "$held" 7 0
	for dry in --dry-run ""; do
		run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/forged" "$SHM_BIN" rm --orphaned $dry
		assert_success
		assert_output "$a"
		assert_equal "$stderr" "shm rm: skipped key 0x00000052 (id $held): 1 process has it attached"
	done
	# still there, its key unchanged: not marked for removal
	assert_equal "$(awk 'NR > 1 { print $1 }' /proc/sysvipc/shm)" 82
	release
}

@test "rm --owner is checked against the kernel, not SHM_PROC_SYSVIPC" {
	id=$(shm create -k 0x51 -s 1)
	forge "$id" 8 65534
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/forged" "$SHM_BIN" rm --orphaned --owner nobody
	assert_success
	assert_output ""
	assert_equal "$stderr" "shm rm: skipped key 0x00000051 (id $id): its owner is root (uid 0), not nobody (uid 65534)"
	assert_equal "$(ids)" "$id"
}

@test "rm --older-than is checked against the kernel, not SHM_PROC_SYSVIPC" {
	id=$(shm create -k 0x51 -s 1)
	forge "$id" 14 1000
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/forged" "$SHM_BIN" rm --all --older-than 1h
	assert_success
	assert_output ""
	[[ $stderr =~ ^"shm rm: skipped key 0x00000051 (id $id): it was used or changed "[0-9]+"s ago, less than 3600s"$ ]]
	assert_equal "$(ids)" "$id"
}

@test "rm --all as a user: a segment SHM_PROC_SYSVIPC calls its own is skipped, not refused" {
	id=$(shm create -k 0x51 -s 1 -m 644)
	forge "$id" 8 65534
	run --separate-stderr as_nobody env SHM_PROC_SYSVIPC="$PWD/forged" "$SHM_BIN" rm --all
	assert_success
	assert_output ""
	assert_equal "$stderr" "shm rm: skipped 1 segment of other users that you may not remove (id $id)"
	assert_equal "$(ids)" "$id"
}

@test "rm --orphaned keeps a segment attached between the listing and the removal" {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	id=$(shm create -k 0x52 -s 1M)
	# the kernel's own listing, read as a file, so that strace can stop
	# rm (SIGSTOP) once it has read it: then a reader attaches
	SHM_PROC_SYSVIPC=/proc/sysvipc/shm strace -qq -o trace \
	    -P /proc/sysvipc/shm -e trace=close \
	    -e inject=close:signal=SIGSTOP:when=1 \
	    "$SHM_BIN" rm --orphaned >out 2>err &
	rm_pid=$!
	for i in $(seq 600); do
		grep -q 'stopped by SIGSTOP' trace 2>/dev/null && break
		sleep 0.05
	done
	grep -q 'stopped by SIGSTOP' trace
	hold "$id"
	kill -CONT "$(pgrep -P "$rm_pid")"
	status=0
	wait "$rm_pid" || status=$?
	assert_equal "$status" 0
	assert_equal "$(cat out)" ""
	assert_equal "$(cat err)" "shm rm: skipped key 0x00000052 (id $id): 1 process has it attached"
	assert_equal "$(awk 'NR > 1 { print $1 }' /proc/sysvipc/shm)" 82
	release
}
