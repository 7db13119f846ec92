#!/usr/bin/env bats
# shm limits: the kernel's limits and the current use.

load helpers/common

@test "limits shows the limits and the use, as sysctl sets them" {
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmax=65536 \
	    kernel.shmall=1000 kernel.shmmni=10 && '$SHM_BIN' create --private \
	    -s 5000 >/dev/null && '$SHM_BIN' limits"
	assert_success
	assert_equal "$stderr" ""
	assert_output "SHMMAX          65536 bytes (64K), the largest segment
SHMMIN          1 byte, the smallest segment
SHMMNI          10 segments, at most
SHMALL          1000 pages (4096000 bytes), in all
page size       4096 bytes
segments in use 1 of 10 (SHMMNI)
bytes in use    8192 of 4096000 (SHMALL), 2 pages"
}

@test "limits --json: one object of numbers" {
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmax=65536 \
	    kernel.shmall=1000 kernel.shmmni=10 && '$SHM_BIN' create --private \
	    -s 5000 >/dev/null && '$SHM_BIN' create --private -s 1 >/dev/null \
	    && '$SHM_BIN' limits --json"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c . <<<"$output")" \
	    '{"shmmax":65536,"shmmin":1,"shmmni":10,"shmall_pages":1000,"shmall_bytes":4096000,"page_size":4096,"segments_used":2,"pages_used":3,"bytes_used":12288}'
	jq -e '[.[] | type] | all(. == "number")' <<<"$output"
}

@test "limits gives SHMALL in bytes exactly, past 2^64" {
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "the figures assume 4 KiB pages"
	run --separate-stderr in_new_ns bash -c "sysctl -qw \
	    kernel.shmall=9223372036854775808 && '$SHM_BIN' limits --json"
	assert_success
	assert_equal "$stderr" ""
	# 2^63 pages of 2^12 bytes: 2^75 bytes
	[[ $output == *'"shmall_pages": 9223372036854775808,'* ]]
	[[ $output == *'"shmall_bytes": 37778931862957161709568,'* ]]
	jq -e '.shmall_bytes | type == "number"' <<<"$output"
	run --separate-stderr in_new_ns bash -c "sysctl -qw \
	    kernel.shmall=9223372036854775808 && '$SHM_BIN' limits"
	assert_line "SHMALL          9223372036854775808 pages (37778931862957161709568 bytes), in all"
}

@test "limits agrees with the figures of row 8 (no ids left)" {
	run --separate-stderr in_new_ns bash -c "sysctl -qw kernel.shmmni=2 && \
	    '$SHM_BIN' create --private -s 1 >/dev/null && \
	    '$SHM_BIN' create --private -s 1 >/dev/null && \
	    '$SHM_BIN' limits --json && '$SHM_BIN' create --private -s 1"
	assert_failure 6
	jq -e '.segments_used == 2 and .shmmni == 2' <<<"$output"
	[[ $stderr == *"no segment ids left: 2 segments in use of SHMMNI 2"* ]]
}

@test "limits needs no privilege" {
	run --separate-stderr as_nobody "$SHM_BIN" limits --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '.page_size > 0' <<<"$output"
}

@test "limits: unexpected argument, unknown option: exit 2" {
	run --separate-stderr shm limits extra
	assert_failure 2
	assert_output ""
	[[ $stderr == *"unexpected argument 'extra'"* ]]
	run --separate-stderr shm limits --bogus
	assert_failure 2
	[[ $stderr == *"--bogus: unknown option"* ]]
}
