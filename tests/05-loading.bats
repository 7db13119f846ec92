#!/usr/bin/env bats
# What shm loads: libsmartcols only where a table is printed (ls, stat,
# limits), so that the short commands scripts call in loops do not map and
# relocate it at every start.

load helpers/common

need_strace() {
	command -v strace >/dev/null ||
	    skip "strace is missing (apt-get install strace)"
}

# Runs shm under strace, which writes the files it opens to $SHM_TMP/trace.
# LeakSanitizer cannot work under ptrace, so a sanitized build checks no
# leaks here (nothing changes for a plain build).
traced() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -qq -e trace=openat -o "$SHM_TMP/trace" "$SHM_BIN" "$@"
}

# Succeeds when the trace shows libsmartcols.so.1 opened.
opened_smartcols() {
	grep -q 'libsmartcols\.so\.1".* = [0-9]' "$SHM_TMP/trace"
}

@test "the binary does not link libsmartcols" {
	command -v readelf >/dev/null ||
	    skip "readelf is missing (apt-get install binutils)"
	run --separate-stderr readelf -d "$SHM_BIN"
	assert_success
	assert_equal "$stderr" ""
	assert_output --partial "(NEEDED)"
	refute_output --partial "libsmartcols"
}

@test "write, read and key do not open libsmartcols" {
	need_strace
	shm create -k 0x10 -s 4 >/dev/null
	run --separate-stderr traced write -k 0x10 -t i32 3
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	run opened_smartcols
	assert_failure
	run --separate-stderr traced read -k 0x10 -t i32
	assert_success
	assert_output "3"
	assert_equal "$stderr" ""
	run opened_smartcols
	assert_failure
	touch file
	run --separate-stderr traced key file
	assert_success
	assert_output --regexp '^0x[0-9a-f]{8}$'
	assert_equal "$stderr" ""
	run opened_smartcols
	assert_failure
}

@test "ls, stat and limits open libsmartcols" {
	need_strace
	shm create -k 0x10 -s 4 >/dev/null
	for cmd in ls "stat -k 0x10" limits; do
		# shellcheck disable=SC2086
		run --separate-stderr traced $cmd
		assert_success
		assert_equal "$stderr" ""
		[ -n "$output" ]
		run opened_smartcols
		assert_success
	done
}

@test "without libsmartcols.so.1 a table fails with exit 1 and a hint that names no package manager" {
	mkdir lib
	: >lib/libsmartcols.so.1
	shm create -k 0x10 -s 4 >/dev/null
	for cmd in ls "stat -k 0x10" limits; do
		# shellcheck disable=SC2086
		LD_LIBRARY_PATH=$SHM_TMP/lib run --separate-stderr shm $cmd
		assert_failure 1
		assert_output ""
		[[ $stderr == "shm ${cmd%% *}: cannot load libsmartcols.so.1: $SHM_TMP/lib/libsmartcols.so.1: "* ]]
		[[ $stderr == *$'\nhint: install libsmartcols (util-linux)' ]]
	done
	# The commands that print no table do not miss it.
	LD_LIBRARY_PATH=$SHM_TMP/lib run --separate-stderr shm write -k 0x10 -t i32 7
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	LD_LIBRARY_PATH=$SHM_TMP/lib run --separate-stderr shm limits --json
	assert_success
	assert_output --partial '"shmmax": '
	assert_equal "$stderr" ""
}

@test "packaging tools could not see libsmartcols: a .note.dlopen names it" {
	command -v readelf >/dev/null ||
	    skip "readelf is missing (binutils)"
	# readelf exits 1 after a note type it does not know: look at what
	# it printed
	run readelf -n "$SHM_BIN"
	assert_output --partial "Displaying notes found in: .note.dlopen"
	assert_output --regexp "FDO +0x[0-9a-f]+	Unknown note type: \(0x407c0c0a\)"
	run readelf --string-dump=.note.dlopen "$SHM_BIN"
	assert_success
	assert_output --partial '[{"feature":"smartcols","description":"tables and JSON output","priority":"required","soname":["libsmartcols.so.1"]}]'
}
