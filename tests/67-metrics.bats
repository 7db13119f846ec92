#!/usr/bin/env bats
# shm metrics: OpenMetrics text that promtool accepts, with the kernel's
# figures.

load helpers/common
load helpers/ns

SRC=$(cd "$TESTS_DIR/.." && pwd)

teardown() {
	ns_stop
	common_teardown
}

# promtool comes with Debian's prometheus package, which also ships a
# daemon and its init script: the suite does not install it, and checks
# the format with promtool only where it is already there.
need_promtool() {
	command -v promtool >/dev/null ||
	    skip "promtool is not installed (Debian package prometheus)"
}

# The value of the sample of metric $1 whose labels contain $2, in $output.
sample() {
	awk -v m="$1" -v l="$2" 'index($1, m "{") == 1 || $1 == m {
		if (index($0, l) > 0) { print $NF; exit }
	}' <<<"$output"
}

@test "metrics: promtool check metrics accepts it" {
	need_promtool
	shm create -k 0x6701 -s 4096 >/dev/null
	shm create --private -s 100 >/dev/null
	run --separate-stderr shm metrics
	assert_success
	assert_equal "$stderr" ""
	run promtool check metrics <<<"$output"
	assert_success
}

@test "metrics: the kernel's figures, for each segment and the namespace" {
	run --separate-stderr in_new_ns bash -c '
		sysctl -q kernel.shmmni=77 kernel.shmall=1000 || exit 1
		"$1" create -k 0x6702 -s 5000 >/dev/null
		"$1" create -k 0x6703 -s 1M >/dev/null
		"$1" metrics; echo "--"; cat /proc/sysvipc/shm' bash "$SHM_BIN"
	assert_success
	assert_equal "$stderr" ""
	metrics=$(sed '/^--$/,$d' <<<"$output")
	proc=$(sed '1,/^--$/d' <<<"$output")
	assert_equal "$(tail -n 1 <<<"$metrics")" "# EOF"
	output=$metrics
	page=$(getconf PAGESIZE)
	assert_equal "$(sample shm_limit_segments)" 77
	assert_equal "$(sample shm_limit_bytes)" $((1000 * page))
	assert_equal "$(sample shm_segments)" 2
	assert_equal "$(sample shm_bytes)" $((5000 + 1048576))
	# key, shmid, size, nattch, ctime, rss, swap of each /proc row
	while read -r key id size nattch ctime rss swap; do
		k=$(printf 'key="0x%08x",id="%d",owner="root"' "$key" "$id")
		assert_equal "$(sample shm_segment_size_bytes "$k")" "$size"
		assert_equal "$(sample shm_segment_attached_processes "$k")" "$nattch"
		assert_equal "$(sample shm_segment_last_change_timestamp_seconds "$k")" "$ctime"
		assert_equal "$(sample shm_segment_resident_bytes "$k")" "$rss"
		assert_equal "$(sample shm_segment_swapped_bytes "$k")" "$swap"
	done < <(awk 'NR > 1 { print $1, $2, $4, $7, $14, $15, $16 }' <<<"$proc")
	[ "$(grep -c '^shm_segment_size_bytes{' <<<"$metrics")" = 2 ]
}

@test "metrics: TYPE, UNIT and HELP of every family, # EOF last" {
	run --separate-stderr shm metrics
	assert_success
	for m in shm_segment_size_bytes shm_segment_resident_bytes \
	    shm_segment_swapped_bytes shm_segment_attached_processes \
	    shm_segment_last_change_timestamp_seconds shm_segments shm_bytes \
	    shm_limit_segments shm_limit_bytes; do
		assert_line "# TYPE $m gauge"
		assert_line --regexp "^# HELP $m [A-Z].*\.$"
	done
	assert_line "# UNIT shm_segment_size_bytes bytes"
	assert_line "# UNIT shm_segment_last_change_timestamp_seconds seconds"
	assert_equal "${lines[-1]}" "# EOF"
}

@test "metrics -A: each namespace's samples, labelled ns" {
	ns_start 0x6704:8192
	shm create -k 0x6705 -s 4096 >/dev/null
	run --separate-stderr shm metrics -A
	assert_success
	stderr_but_sight
	other=$(ns_ino "$NS_PID") mine=$(ns_ino $$)
	assert_equal "$(sample shm_segment_size_bytes "ns=\"$other\",key=\"0x00006704\"")" 8192
	assert_equal "$(sample shm_segment_size_bytes "ns=\"$mine\",key=\"0x00006705\"")" 4096
	assert_equal "$(sample shm_segments "ns=\"$other\"")" 1
	if command -v promtool >/dev/null; then
		run promtool check metrics <<<"$output"
		assert_success
	fi
}

@test "metrics: an owner without a name is its uid" {
	id=$(shm create -k 0x6706 -s 1)
	shm chown 54321 -i "$id"
	run --separate-stderr shm metrics
	assert_success
	assert_line "shm_segment_size_bytes{key=\"0x00006706\",id=\"$id\",owner=\"54321\"} 1"
}

@test "metrics with an operand: exit 2" {
	run --separate-stderr shm metrics extra
	assert_failure 2
	assert_equal "$output" ""
}

# The shell script of shm-metrics.service's ExecStart, as systemd gives it
# to sh ($$ is $), with the shm of directory $1.
unit_script() {
	sed -n "s/^ExecStart=\/bin\/sh -ec '\(.*\)'\$/\1/p" \
	    "$SRC/systemd/shm-metrics.service.in" |
	    sed "s/\\\$\\\$/\$/g; s|@BINDIR@|$1|g"
}

@test "shm-metrics.service writes shm.prom whole, through a rename" {
	script=$(unit_script "$SHM_TMP")
	[[ $script == *'mv -f "$tmp" "$TEXTFILE_DIR/shm.prom"'* ]]
	mkdir "$SHM_TMP/tf"
	shm create -k 0x6707 -s 4096 >/dev/null
	TEXTFILE_DIR=$SHM_TMP/tf run --separate-stderr sh -ec "$script"
	assert_success
	assert_equal "$(ls -A "$SHM_TMP/tf")" shm.prom
	assert_equal "$(stat -c %a "$SHM_TMP/tf/shm.prom")" 644
	assert_equal "$(tail -n 1 "$SHM_TMP/tf/shm.prom")" "# EOF"
	grep -q '^shm_segment_size_bytes{ns="[0-9]*",key="0x00006707",' \
	    "$SHM_TMP/tf/shm.prom"
}

@test "shm-metrics.service: a failing shm leaves the old shm.prom, no temporary file" {
	mkdir "$SHM_TMP/tf" "$SHM_TMP/bad"
	printf '#!/bin/sh\necho "# TYPE half"\nexit 1\n' >"$SHM_TMP/bad/shm"
	chmod 755 "$SHM_TMP/bad/shm"
	echo "old" >"$SHM_TMP/tf/shm.prom"
	TEXTFILE_DIR=$SHM_TMP/tf run sh -ec "$(unit_script "$SHM_TMP/bad")"
	assert_failure
	assert_equal "$(ls -A "$SHM_TMP/tf")" shm.prom
	assert_equal "$(cat "$SHM_TMP/tf/shm.prom")" old
}

@test "metrics: an owner whose name is not UTF-8 gets U+FFFD in its label, as OpenMetrics needs UTF-8" {
	# a user named "u\xffbad", in a passwd of this test's own mount
	# namespace
	cp /etc/passwd "$SHM_TMP/passwd"
	printf 'u\377bad:x:1236:1236::/:/bin/sh\n' >>"$SHM_TMP/passwd"
	id=$(shm create -k 0x6701 -s 4096)
	shm chown 1236 -k 0x6701
	unshare --mount --propagation private -- sh -c '
		mount --bind "$1" /etc/passwd && exec "$2" metrics' sh \
	    "$SHM_TMP/passwd" "$SHM_BIN" >"$SHM_TMP/prom"
	grep -aq "owner=\"u$(printf '\357\277\275')bad\"" "$SHM_TMP/prom"
	! LC_ALL=C grep -aq "$(printf '\377')" "$SHM_TMP/prom"
	if command -v promtool >/dev/null; then
		promtool check metrics <"$SHM_TMP/prom"
	fi
	shm rm -i "$id"
}
