#!/usr/bin/env bats
# shm read: raw, typed, hex, string and hexdump output, the range checks,
# terminals, closed pipes and a full disk.

load helpers/common

# A segment of 8 bytes at key 0x10 holding a, NUL, b, c, 0xff, NUL, x, y.
make_seg8() {
	shm create -k 0x10 -s 8 >/dev/null
	printf 'a\0bc\377\0xy' > seg8
	shm write -k 0x10 < seg8
}

@test "read: the raw bytes, NULs and all, and nothing on stderr" {
	make_seg8
	run --separate-stderr bash -c "'$SHM_BIN' read -k 0x10 > out"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	cmp seg8 out
	# --raw and -t raw say the same
	shm read -k 0x10 --raw | cmp seg8 -
	shm read -k 0x10 -t raw | cmp seg8 -
}

@test "read: a 1 MiB random segment round-trips into a pipe and a file" {
	head -c 1M /dev/urandom > r
	shm create -k 0x11 -s 1M >/dev/null
	shm write -k 0x11 < r
	run --separate-stderr bash -c "'$SHM_BIN' read -k 0x11 | cat > out"
	assert_success
	assert_equal "$stderr" ""
	cmp r out
	rm out
	shm read -k 0x11 > out
	cmp r out
	# a slice: offset and count
	shm read -k 0x11 -o 1000 -n 4K > slice
	tail -c +1001 r | head -c 4096 | cmp slice -
}

@test "read into a pipe is a snapshot: a later write does not reach a reader that reads after read ended" {
	shm create -k 0x1d -s 16 >/dev/null
	shm write -k 0x1d -z 'old old old old'
	exec {fd}< <("$SHM_BIN" read -k 0x1d -n 16)
	wait $!
	shm write -k 0x1d -z 'NEW NEW NEW NEW'
	run bash -c "head -c 15 <&$fd"
	exec {fd}<&-
	assert_output 'old old old old'
	# the same for a read-out bigger than the pipe holds at first
	shm create -k 0x1e -s 8M >/dev/null
	head -c 8M /dev/urandom > r
	shm write -k 0x1e < r
	mkfifo fifo
	"$SHM_BIN" read -k 0x1e > fifo &
	reader=$!
	exec {fd}< fifo
	head -c 1M <&$fd > got
	shm write -k 0x1e -z 'changed' -o 7M
	shm write -k 0x1e -z 'changed' -o 1048580
	cat <&$fd >> got
	exec {fd}<&-
	wait "$reader"
	cmp r got || [ "$(head -c 1048587 got | tail -c 7)" != changed ]
}

# The rss column of segment $1 in /proc/sysvipc/shm, in bytes.
seg_rss() {
	seg_field "$1" 15
}

@test "read of never-written pages does not allocate them: -x, raw, -t, hex" {
	id=$(shm create -k 0x1f -s 1G)
	assert_equal "$(seg_rss "$id")" 0
	run --separate-stderr shm read -k 0x1f -x
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(printf '%s\n' '00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|' '*' 40000000)"
	assert_equal "$(seg_rss "$id")" 0
	shm read -k 0x1f > /dev/null
	assert_equal "$(seg_rss "$id")" 0
	run bash -c "'$SHM_BIN' read -k 0x1f | wc -c"
	assert_output 1073741824
	assert_equal "$(seg_rss "$id")" 0
	run bash -c "'$SHM_BIN' read -k 0x1f -o 100M -t u64 -n 1M | uniq -c"
	assert_output --regexp '^ *1048576 0$'
	assert_equal "$(seg_rss "$id")" 0
	run bash -c "'$SHM_BIN' read -k 0x1f -n 4M -t hex | tr -d 0"
	assert_output ""
	run bash -c "'$SHM_BIN' read -k 0x1f -o 5M -n 1M -t hex | wc -c"
	assert_output 2097153
	run shm read -k 0x1f -o 12345 -z
	assert_output ""
	assert_equal "$(seg_rss "$id")" 0
}

# A segment of 8 MiB with a few bytes written here and there, and the file
# of what it holds.
make_sparse() {
	shm create -k "$1" -s 8M -m 0604 >/dev/null
	head -c 8M /dev/zero > expect
	for at in 0 4095 4096 12345 1048575 4194304 8388600; do
		printf 'x%dy' "$at" | head -c 8 > piece
		dd if=piece of=expect bs=1 seek="$at" conv=notrunc status=none
		shm write -k "$1" -o "$at" < piece
	done
}

@test "read of a sparse segment gives its bytes exactly, in every form" {
	make_sparse 0x20
	shm read -k 0x20 | cmp expect -
	shm read -k 0x20 > out
	cmp expect out
	shm read -k 0x20 -o 4000 -n 9000 | cmp <(tail -c +4001 expect | head -c 9000) -
	shm read -k 0x20 -x | cmp <(hexdump -C expect) -
	shm read -k 0x20 -x -o 4090 -n 3M | cmp <(hexdump -C -s 4090 -n 3M expect) -
	shm read -k 0x20 -t hex | cmp <(od -An -v -tx1 expect | tr -d ' \n'; echo) -
	shm read -k 0x20 -o 4093 -t u32 -n 8K | cmp <(tail -c +4094 expect | head -c 32K | od -An -v -tu4 -w4 | tr -d ' ') -
	run shm read -k 0x20 -o 12345 -z
	assert_output x12345y
}

@test "read of a sparse segment as nobody with read permission: the bytes exactly" {
	make_sparse 0x21
	as_nobody "$SHM_BIN" read -k 0x21 > out
	cmp expect out
	as_nobody "$SHM_BIN" read -k 0x21 | cmp expect -
	as_nobody "$SHM_BIN" read -k 0x21 -x | cmp <(hexdump -C expect) -
	as_nobody "$SHM_BIN" read -k 0x21 -o 4093 -t u32 -n 8K | cmp <(tail -c +4094 expect | head -c 32K | od -An -v -tu4 -w4 | tr -d ' ') -
}

@test "read -o and -n pick the bytes; suffixes and hex work" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -o 6
	assert_success
	assert_output xy
	assert_equal "$stderr" ""
	run shm read -k 0x10 -o 0x2 -n 2
	assert_output bc
	run shm read -k 0x10 -n 0
	assert_output ""
}

@test "read -t: one value per line, -n values, default one" {
	shm create -k 0x12 -s 16 >/dev/null
	shm write -k 0x12 -t i32 -- 3 -4 5 2147483647
	run --separate-stderr shm read -k 0x12 -t i32
	assert_success
	assert_output 3
	assert_equal "$stderr" ""
	run shm read -k 0x12 -t i32 -n 4
	assert_output $'3\n-4\n5\n2147483647'
	run shm read -k 0x12 -t i32 -o 4 -n 2
	assert_output $'-4\n5'
	run shm read -k 0x12 -t u8 -o 4 -n 4
	assert_output $'252\n255\n255\n255'
	run shm read -k 0x12 -t i16 -o 4 -n 2
	assert_output $'-4\n-1'
	shm write -k 0x12 -t f64 -- 0.1 -2.5
	run shm read -k 0x12 -t f64 -n 2
	assert_output $'0.1\n-2.5'
	shm write -k 0x12 -t f32 1.5
	run shm read -k 0x12 -t f32
	assert_output 1.5
	run shm read -k 0x12 -t u64 -n 0
	assert_output ""
}

@test "read -t hex: continuous lower-case digits and a newline" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -t hex
	assert_success
	assert_output "61006263ff007879"
	assert_equal "$stderr" ""
	run shm read -k 0x10 -t hex -o 2 -n 3
	assert_output "6263ff"
	# it reads back with write -t hex
	shm create -k 0x13 -s 8 >/dev/null
	shm read -k 0x10 -t hex | shm write -k 0x13 -t hex
	shm read -k 0x13 | cmp seg8 -
	# nothing at all for no bytes
	run bash -c "'$SHM_BIN' read -k 0x10 -t hex -n 0 | wc -c"
	assert_output 0
}

@test "read -z stops at the first NUL, within the range" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -z
	assert_success
	assert_output a
	assert_equal "$stderr" ""
	run shm read -k 0x10 -o 2 --string
	assert_output $'bc\377'
	run shm read -k 0x10 -o 6 -z
	assert_output xy
	run shm read -k 0x10 -o 2 -n 2 -z
	assert_output bc
	run shm read -k 0x10 -o 2 -z -t hex
	assert_output "6263ff"
	run shm read -k 0x10 -o 1 -z -t hex
	assert_output ""
	shm create -k 0x14 -s 16 >/dev/null
	shm write -k 0x14 -z 'hello, world'
	run shm read -k 0x14 -z
	assert_output "hello, world"
}

@test "read -x is hexdump -C of the same bytes, offsets from OFFSET" {
	shm create -k 0x15 -s 300 >/dev/null
	# repeated lines fold into '*', as hexdump -C folds them
	{ printf 'The quick brown fox jumps\0\1\2'; head -c 100 /dev/zero; printf 'end'; head -c 100 /dev/urandom; } > whole
	truncate -s 300 whole
	shm write -k 0x15 < whole
	run --separate-stderr shm read -k 0x15 -x
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(hexdump -C whole)"
	run shm read -k 0x15 --hexdump -o 5 -n 100
	assert_output "$(hexdump -C -s 5 -n 100 whole)"
	run shm read -k 0x15 -x -o 17
	assert_output "$(hexdump -C -s 17 whole)"
	run shm read -k 0x15 -x -n 0
	assert_output ""
}

@test "read: a terminal gets the hexdump unless --type or --raw" {
	make_seg8
	run script -qec "'$SHM_BIN' read -k 0x10" /dev/null
	assert_success
	assert_equal "${output//$'\r'/}" "$(hexdump -C seg8)"
	run script -qec "'$SHM_BIN' read -k 0x10 -o 6 --raw" /dev/null
	assert_success
	assert_equal "${output//$'\r'/}" "xy"
	run script -qec "'$SHM_BIN' read -k 0x10 -o 6 -n 2 -t u8" /dev/null
	assert_equal "${output//$'\r'/}" $'120\n121'
	run script -qec "'$SHM_BIN' read -k 0x10 -o 6 -t raw" /dev/null
	assert_equal "${output//$'\r'/}" "xy"
}

@test "read: --string chooses raw output to a terminal too, as README's example shows" {
	shm create -k 0x1c -s 64 >/dev/null
	shm write -k 0x1c -o 16 -z hello
	run script -qec "'$SHM_BIN' read -k 0x1c -o 16 -z" /dev/null
	assert_success
	assert_equal "${output//$'\r'/}" "hello"
	run script -qec "'$SHM_BIN' read -k 0x1c -o 16 --string -t hex" /dev/null
	assert_equal "${output//$'\r'/}" "68656c6c6f"
	# the hexdump only when asked, or when no form is chosen
	run script -qec "'$SHM_BIN' read -k 0x1c -o 16 -z -x" /dev/null
	assert_equal "${output//$'\r'/}" "$(printf hello | hexdump -C -s 0 | sed 's/^00000000/00000010/; s/^00000005/00000015/')"
	run script -qec "'$SHM_BIN' read -k 0x1c -o 16 -n 5" /dev/null
	assert_equal "${output//$'\r'/}" "$(printf hello | hexdump -C | sed 's/^00000000/00000010/; s/^00000005/00000015/')"
}

@test "read: --raw with -x or -t, and -x with -t, clash (exit 2)" {
	make_seg8
	run --separate-stderr shm read -k 0x10 --raw -x
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--raw and --hexdump clash: choose one form of output"* ]]
	[[ $stderr == *"hint: see 'shm read --help'"* ]]
	run --separate-stderr shm read -k 0x10 --raw -t i32
	assert_failure 2
	[[ $stderr == *"--raw and --type clash"* ]]
	run --separate-stderr shm read -k 0x10 -x -t hex
	assert_failure 2
	[[ $stderr == *"--hexdump and --type clash"* ]]
	run --separate-stderr shm read -k 0x10 -z -t i32
	assert_failure 2
	[[ $stderr == *"--string stops at a NUL byte: it goes with raw or hex output, not --type i32"* ]]
}

@test "row 15: an offset past the end is exit 6 with offset and size" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -o 9
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot read at offset 9 of key 0x00000010 (id "*"): past its end (it has 8 bytes)"* ]]
	[[ $stderr == *"hint: offsets run from 0 to 8"* ]]
	run --separate-stderr shm read -k 0x10 -o 1G -n 1
	assert_failure 6
	[[ $stderr == *"cannot read 1 byte at offset 1073741824"* ]]
}

@test "row 15: a count past the end is exit 6 with offset, count and size" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -o 4 -n 5
	assert_failure 6
	assert_output ""
	[[ $stderr == *"cannot read 5 bytes at offset 4 of key 0x00000010 (id "*"): past its end (it has 8 bytes)"* ]]
	[[ $stderr == *"hint: there are 4 bytes from offset 4: read at most that many (-n 4)"* ]]
	run --separate-stderr shm read -k 0x10 -t i32 -o 2 -n 2
	assert_failure 6
	[[ $stderr == *"cannot read 2 i32 values (8 bytes) at offset 2"*"(it has 8 bytes)"* ]]
	[[ $stderr == *"read at most 1 value there (-n 1)"* ]]
	# one value by default: at the end there is none
	run --separate-stderr shm read -k 0x10 -t u8 -o 8
	assert_failure 6
	[[ $stderr == *"cannot read 1 u8 value (1 byte) at offset 8"* ]]
	run --separate-stderr shm read -k 0x10 -n 18446744073709551615
	assert_failure 6
}

@test "read: exactly at the end, with no count or 0, prints nothing and exits 0" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -o 8
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr shm read -k 0x10 -o 8 -n 0 -x
	assert_success
	assert_output ""
	run --separate-stderr shm read -k 0x10 -o 8 -t i64 -n 0
	assert_success
	assert_output ""
}

@test "row 19: stdout on a full disk is exit 1 with write error, raw or text" {
	make_seg8
	for form in "" "--raw" "-x" "-t i32" "-t hex"; do
		run --separate-stderr bash -c "'$SHM_BIN' read -k 0x10 $form > /dev/full"
		assert_failure 1
		assert_output ""
		assert_equal "$stderr" "shm read: write error: No space left on device"
	done
	# a big raw read fails the same way, with nothing claiming success
	shm create -k 0x16 -s 4M >/dev/null
	run --separate-stderr bash -c "'$SHM_BIN' read -k 0x16 > /dev/full"
	assert_failure 1
	assert_equal "$stderr" "shm read: write error: No space left on device"
}

@test "row 20: a closed pipe ends read quietly, as cat" {
	shm create -k 0x17 -s 4M >/dev/null
	head -c 4M /dev/urandom | shm write -k 0x17
	for form in "" "-x" "-t hex" "-t u8 -n 1000000"; do
		run --separate-stderr bash -c "set -o pipefail; '$SHM_BIN' read -k 0x17 $form | head -c1 > /dev/null; echo \${PIPESTATUS[0]}"
		[[ $output == 0 || $output == 141 ]]
		assert_equal "$stderr" ""
	done
	# a caller that ignores SIGPIPE changes nothing
	for form in "" "-x"; do
		run --separate-stderr bash -c "trap '' PIPE; '$SHM_BIN' read -k 0x17 $form | head -c1 > /dev/null; echo \${PIPESTATUS[0]}"
		[[ $output == 0 || $output == 141 ]]
		assert_equal "$stderr" ""
	done
}

@test "read: lost output is never exit 0: SIGPIPE blocked gives exit 1 and cat's message" {
	shm create -k 0x1b -s 4M >/dev/null
	head -c 4M /dev/urandom | shm write -k 0x1b
	# cat, for comparison: exit 1, "write error: Broken pipe"
	for form in "" "--raw" "-x" "-t hex" "-t u8 -n 1000000"; do
		run --separate-stderr bash -c "env --block-signal=PIPE '$SHM_BIN' read -k 0x1b $form | head -c1 > /dev/null; echo \${PIPESTATUS[0]}"
		assert_output 1
		assert_equal "$stderr" "shm read: write error: Broken pipe"
	done
	# ignored: ends by SIGPIPE all the same, never 0
	for form in "" "-x"; do
		run --separate-stderr bash -c "trap '' PIPE; '$SHM_BIN' read -k 0x1b $form | head -c1 > /dev/null; echo \${PIPESTATUS[0]}"
		assert_output 141
		assert_equal "$stderr" ""
	done
}

@test "row 10: read as nobody of a root 0600 segment: exit 4, who owns it, who you are, the fix" {
	id=$(shm create -k 0x18 -s 8)
	run --separate-stderr as_nobody "$SHM_BIN" read -k 0x18
	assert_failure 4
	assert_output ""
	[[ $stderr == *"shm read: cannot attach key 0x00000018 (id $id) for reading: permission denied: owner root, group root, mode 0600 (rw-------); you are nobody (uid 65534), groups nogroup, so the bits for others apply, and they lack read"* ]]
	[[ $stderr == *"hint: the owner (root) can allow it: shm chmod 0604 --key 0x00000018"* ]]
	[[ $stderr == *"hint: or ask root to give you the segment: shm chown nobody --key 0x00000018"* ]]
}

@test "row 10: a group member is told the group's bits lack read" {
	id=$(shm create -k 0x1a -s 8 -m 0604)
	shm chown :nogroup -i "$id"
	shm chmod 0600 -i "$id"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$SHM_BIN" read -i "$id"
	assert_failure 4
	assert_output ""
	[[ $stderr == *"owner root, group nogroup, mode 0600 (rw-------); you are nobody (uid 65534), groups nogroup, so the group's bits apply, and they lack read"* ]]
	[[ $stderr == *"shm chmod 0640 --id $id"* ]]
}

@test "row 11: read as nobody with read permission alone works" {
	id=$(shm create -k 0x19 -s 8 -m 0604)
	shm write -k 0x19 -t hex 0102030405060708
	run --separate-stderr as_nobody "$SHM_BIN" read -i "$id" -t hex
	assert_success
	assert_output "0102030405060708"
	assert_equal "$stderr" ""
	run --separate-stderr as_nobody bash -c "'$SHM_BIN' read -k 0x19 | od -An -tx1"
	assert_success
	assert_output " 01 02 03 04 05 06 07 08"
	assert_equal "$stderr" ""
}

@test "row 18: read with no selector or two selectors is exit 2" {
	run --separate-stderr shm read
	assert_failure 2
	assert_output ""
	[[ $stderr == *"no segment given: name one with --key, --file, --id or --posix"* ]]
	run --separate-stderr shm read -k 1 -k 2
	assert_failure 2
	[[ $stderr == *"--key given twice: name exactly one segment"* ]]
}

@test "row 17: a malformed offset, count or type is exit 2 naming the text" {
	make_seg8
	run --separate-stderr shm read -k 0x10 -n 1Q
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--count: invalid number '1Q'"* ]]
	run --separate-stderr shm read -k 0x10 -o ''
	assert_failure 2
	[[ $stderr == *"--offset: invalid number ''"* ]]
	run --separate-stderr shm read -k 0x10 -t float
	assert_failure 2
	[[ $stderr == *"--type: unknown type 'float'"* ]]
	run --separate-stderr shm read -k 0x10 extra
	assert_failure 2
	[[ $stderr == *"unexpected argument 'extra'"* ]]
}

@test "row 4: read of an id with no segment is exit 3" {
	run --separate-stderr shm read -i 999999
	assert_failure 3
	assert_output ""
	[[ $stderr == *"id 999999"* ]]
}

@test "read --help shows the options on stdout" {
	run --separate-stderr shm read --help
	assert_success
	assert_equal "$stderr" ""
	for o in --offset --count --type --string --hexdump --raw --key --id; do
		assert_output --partial -- "$o"
	done
}

@test "row 14: a segment removed while read runs: exit 3, says it was removed" {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	id=$(shm create -k 0x14 -s 4K)
	# hold read between finding the key and attaching, and remove it then
	strace -qq -o trace -e trace=shmget,shmat \
	    -e inject=shmat:delay_enter=1000000 \
	    "$SHM_BIN" read -k 0x14 -t i32 >out 2>err &
	reader=$!
	for i in $(seq 200); do
		grep -q '^shmget(.* = ' trace 2>/dev/null && break
		sleep 0.05
	done
	shm rm -i "$id"
	status=0
	wait "$reader" || status=$?
	assert_equal "$status" 3
	assert_equal "$(cat out)" ""
	assert_equal "$(cat err)" "shm read: key 0x00000014 (id $id) was removed while shm was using it"
}
