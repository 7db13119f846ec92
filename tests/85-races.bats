#!/usr/bin/env bats
# Races and load: many processes on one segment at once.  Bounded by work,
# not by time, and no assertion is about time: only about what each
# process said and what the segment holds afterwards.

load helpers/common

setup() {
	bg_setup
}

teardown() {
	bg_teardown
}

@test "16 concurrent creates of one key: one id, exactly one created" {
	local round i

	for round in 1 2 3 4; do
		key=$((0x5000 + round))
		for i in $(seq 16); do
			spawn "c$round.$i" "$SHM_BIN" create -k "$key" -s 4K --json
		done
		wait
		for i in $(seq 16); do
			assert_equal "$(cat "c$round.$i.rc")" 0
			assert_equal "$(cat "c$round.$i.err")" ""
		done
		run bash -c "cat c$round.*.out | jq -r .id | sort -u"
		assert_output --regexp '^[0-9]+$'
		run bash -c "cat c$round.*.out | jq -r .created | sort | uniq -c |
		    awk '{ print \$2, \$1 }'"
		assert_output "$(printf 'false 15\ntrue 1')"
	done
	bg=()
	assert_equal "$(nsegs)" 4
}

@test "16 concurrent create --exclusive: one succeeds, 15 exit 5" {
	local i

	for i in $(seq 16); do
		spawn "x$i" "$SHM_BIN" create -k 0x5100 -s 4K --exclusive
	done
	wait
	bg=()
	run bash -c 'cat x*.rc | sort | uniq -c | awk "{ print \$2, \$1 }"'
	assert_output "$(printf '0 1\n5 15')"
	for i in $(seq 16); do
		if [ "$(cat "x$i.rc")" = 5 ]; then
			[[ $(cat "x$i.err") == *"0x00005100"* ]]
		fi
	done
	assert_equal "$(nsegs)" 1
}

@test "8 concurrent writers x 200 writes to disjoint offsets lose nothing" {
	local w

	shm create -k 0x5200 -s $((8 * 200 * 8)) >/dev/null
	for w in $(seq 0 7); do
		spawn "w$w" bash -c '
			for i in $(seq 0 199); do
				"$0" write -k 0x5200 -o $(( ('"$w"' * 200 + i) * 8 )) \
				    -t u64 $(( '"$w"' * 1000000 + i + 1 )) || exit
			done' "$SHM_BIN"
	done
	wait
	bg=()
	for w in $(seq 0 7); do
		assert_equal "$(cat "w$w.rc")" 0
		assert_equal "$(cat "w$w.err")" ""
	done
	run --separate-stderr shm read -k 0x5200 -t u64 -n 1600
	assert_success
	assert_output "$(for w in $(seq 0 7); do
		seq $((w * 1000000 + 1)) $((w * 1000000 + 200))
	done)"
}

@test "readers concurrent with rm never crash: exit 0 or 3" {
	local round r id

	for round in $(seq 1 8); do
		id=$(shm create -k 0x5300 -s 64K)
		for r in $(seq 6); do
			spawn "r$round.$r" bash -c '
				for i in 1 2 3 4 5 6; do
					"$0" read -k 0x5300 -n 16 --raw >/dev/null
					echo $?
					"$0" read -i "$1" -x >/dev/null
					echo $?
					"$0" read -i "$1" -t u32 -n 64 >/dev/null
					echo $?
				done' "$SHM_BIN" "$id"
		done
		# Some reads are done before the rm, and some after.
		wait_until "[ -s r$round.1.out ]"
		shm rm -k 0x5300 2>/dev/null
		wait
	done
	bg=()
	# Every status is 0 or 3 (gone); none is a crash.
	run bash -c 'cat r*.out | sort -u | tr "\n" " "'
	[[ $output =~ ^(0\ )?(3\ )?$ ]]
	# What the ones that exited 3 said: the segment is not there.
	run bash -c 'cat r*.err | sort -u'
	for line in "${lines[@]}"; do
		[[ $line == "shm read: "*"no segment"* || $line == "hint: "* ||
		    $line == "shm read: "*"removed"* ]]
	done
	assert_equal "$(nsegs)" 0
}

@test "8 concurrent rm of one segment: it goes once, the others exit 3" {
	local i

	id=$(shm create -k 0x5400 -s 4K)
	for i in $(seq 8); do
		spawn "d$i" "$SHM_BIN" rm -i "$id"
	done
	wait
	bg=()
	run bash -c 'cat d*.rc | sort -u | tr "\n" " "'
	[[ $output =~ ^0\ (3\ )?$ ]]
	assert_equal "$(nsegs)" 0
}

@test "a segment removed while attached stays readable by id, not by key" {
	id=$(shm create -k 0x5500 -s 4M)
	shm write -k 0x5500 -t u32 1234567
	# A reader that never reads keeps a copy of 'shm read' blocked on a
	# full pipe, attached.
	mkfifo pipe
	sleep 600 <pipe 3>&- &
	bg+=($!)
	"$SHM_BIN" read -i "$id" --raw >pipe 3>&- &
	holder=$!
	bg+=("$holder")
	wait_until "[ \"\$(seg_nattch $id)\" = 1 ]"

	run --separate-stderr shm rm -i "$id"
	assert_success
	[[ $stderr == *"still attached by 1 process"* ]]
	run seg_key "$id"
	assert_output 0

	run --separate-stderr shm read -i "$id" -t u32
	assert_success
	assert_output 1234567
	run --separate-stderr shm read -k 0x5500 -t u32
	assert_failure 3
	assert_output ""
	run --separate-stderr shm write -i "$id" -o 4 -t u32 7
	assert_success
	run --separate-stderr shm read -i "$id" -o 4 -t u32
	assert_output 7

	kill "${bg[@]}"
	wait || true
	bg=()
	wait_until "[ \"\$(nsegs)\" = 0 ]"
	run --separate-stderr shm read -i "$id" -t u32
	assert_failure 3
}
