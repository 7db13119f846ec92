#!/usr/bin/env bats
# Huge pages (create --hugetlb, --noreserve), pinning (pin, unpin) and the
# page size that stat and ls -o +PAGESIZE tell; diagnosis rows 25 to 27.
#
# vm.nr_hugepages and vm.hugetlb_shm_group belong to the whole machine, not
# to the test's IPC namespace: setup_file saves both, and every teardown
# (and teardown_file) puts back exactly what was saved, after removing the
# test's segments, so that a test that fails midway leaves nothing changed.

load helpers/common

NR_HUGEPAGES=/proc/sys/vm/nr_hugepages
SHM_GROUP=/proc/sys/vm/hugetlb_shm_group

setup_file() {
	cat "$NR_HUGEPAGES" >"$BATS_FILE_TMPDIR/nr_hugepages"
	cat "$SHM_GROUP" >"$BATS_FILE_TMPDIR/hugetlb_shm_group"
}

restore_sysctls() {
	# the segments hold the pages: they go first
	ipcrm --all=shm >/dev/null 2>&1 || true
	cat "$BATS_FILE_TMPDIR/nr_hugepages" >"$NR_HUGEPAGES"
	cat "$BATS_FILE_TMPDIR/hugetlb_shm_group" >"$SHM_GROUP"
}

setup() {
	common_setup
	WAITER=
}

teardown() {
	if [ -n "$WAITER" ]; then
		kill "$WAITER" 2>/dev/null || true
		wait "$WAITER" 2>/dev/null || true
	fi
	common_teardown
	restore_sysctls
}

teardown_file() {
	restore_sysctls
}

# A field of /proc/meminfo ("HugePages_Free"), its number alone.
meminfo() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# Skips unless the default huge page size is 2 MiB (the sizes below are
# worked out for it).
need_2m_default() {
	[ "$(meminfo Hugepagesize)" = 2048 ] ||
	    skip "the default huge page size is $(meminfo Hugepagesize) kB, not 2048 kB"
}

# Makes at least $1 default-size huge pages free and unreserved, growing
# vm.nr_hugepages (put back by teardown); skips when the kernel cannot find
# them.
want_free_huge() {
	local total free rsvd
	total=$(meminfo HugePages_Total)
	free=$(meminfo HugePages_Free)
	rsvd=$(meminfo HugePages_Rsvd)
	if ((free - rsvd < $1)); then
		echo $((total + $1 - (free - rsvd))) >"$NR_HUGEPAGES"
		free=$(meminfo HugePages_Free)
		rsvd=$(meminfo HugePages_Rsvd)
		((free - rsvd >= $1)) ||
		    skip "the kernel found only $((free - rsvd)) free huge pages of the $1 asked"
	fi
}

# The name of the group of gid $1.
group_name() {
	getent group "$1" | cut -d: -f1
}

@test "create --hugetlb: 100K is one 2 MiB huge page, stat says so, reads and writes work" {
	need_2m_default
	want_free_huge 1
	local rsvd=$(meminfo HugePages_Rsvd)
	run --separate-stderr shm create -k 0x5701 -s 100K --hugetlb
	assert_success
	local id=$output
	assert_equal "$stderr" "shm create: size rounded up from 102400 bytes to 2097152 (2M), a whole number of 2 MiB huge pages"
	assert_equal "$(seg_field "$id" 4)" 2097152
	# one huge page reserved for it
	assert_equal "$(meminfo HugePages_Rsvd)" $((rsvd + 1))
	# stat reads the page size from the smaps of a process that has it
	# attached
	attach_idle "$id"
	run --separate-stderr shm stat -i "$id"
	assert_success
	assert_line "page size   2 MiB (huge pages)"
	assert_line "pinned      no"
	run --separate-stderr shm stat -i "$id" --json
	assert_success
	assert_equal "$(jq -c '[.pagesize, .pinned]' <<<"$output")" '[2097152,false]'
	run --separate-stderr shm write -i "$id" -o 2000000 hello
	assert_success
	run --separate-stderr shm read -i "$id" -o 2000000 -n 5 --raw
	assert_success
	assert_output hello
	assert_equal "$stderr" ""
}

@test "create --hugetlb=2M names the size; ls -o +PAGESIZE shows 2M and 4K" {
	need_2m_default
	want_free_huge 1
	run --separate-stderr shm create -k 0x5702 -s 2M --hugetlb=2M
	assert_success
	assert_equal "$stderr" ""
	local huge=$output
	local small=$(shm create -k 0x5703 -s 10K)
	# ls reads the page size from the smaps of a process that has it
	# attached
	attach_idle "$huge"
	attach_idle "$small"
	run --separate-stderr shm ls -o id,size,pagesize --raw -n
	assert_success
	assert_line "$huge 2M 2M"
	assert_line "$small 10K 4K"
	run --separate-stderr shm ls -o id,pagesize --json
	assert_success
	assert_equal "$(jq -c '[.segments[].pagesize]' <<<"$output")" '[2097152,4096]'
}

@test "create --hugetlb=1G, where the machine has 1 GiB pages" {
	[ -d /sys/kernel/mm/hugepages/hugepages-1048576kB ] ||
	    skip "this machine has no 1 GiB huge pages (no /sys/kernel/mm/hugepages/hugepages-1048576kB)"
	local f=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
	local old=$(cat "$f")
	echo $((old + 1)) >"$f"
	run --separate-stderr shm create -k 0x5704 -s 1M --hugetlb=1G
	ipcrm --all=shm
	echo "$old" >"$f"
	[ "$status" -ne 6 ] || skip "the kernel found no free 1 GiB page"
	assert_success
	assert_equal "$stderr" "shm create: size rounded up from 1048576 bytes to 1073741824 (1G), a whole number of 1 GiB huge pages"
}

@test "create --hugetlb with a size the machine lacks: exit 2 naming those it has" {
	local have
	have=$(ls /sys/kernel/mm/hugepages | sed -E 's/hugepages-([0-9]+)kB/\1/' |
	    sort -n | awk '{
		if ($1 % 1048576 == 0) s = $1 / 1048576 "G"
		else if ($1 % 1024 == 0) s = $1 / 1024 "M"
		else s = $1 "K"
		printf "%s%s", (NR > 1 ? ", " : ""), s
	    }')
	[ -n "$have" ] || skip "this machine has no huge pages"
	run --separate-stderr shm create -k 0x5705 -s 1M --hugetlb=3M
	assert_failure 2
	assert_output ""
	assert_equal "${stderr%%$'\n'*}" "shm create: --hugetlb=3M: this machine has no huge pages of that size; it has $have (/sys/kernel/mm/hugepages)"
	run --separate-stderr shm create -k 0x5705 -s 1M --hugetlb=big
	assert_failure 2
	[[ $stderr == *"'big'"* ]]
	assert_equal "$(nsegs)" 0
}

@test "row 25: create --hugetlb with nr_hugepages=0: exit 6 naming the sysctl" {
	need_2m_default
	echo 0 >"$NR_HUGEPAGES"
	local total=$(meminfo HugePages_Total) free=$(meminfo HugePages_Free)
	local rsvd=$(meminfo HugePages_Rsvd)
	run --separate-stderr shm create -k 0x5706 -s 3M --hugetlb
	assert_failure 6
	assert_output ""
	local want=$((total + 2 - (free - rsvd)))
	# no note of the rounding: that comes with a segment made
	assert_equal "$stderr" "shm create: cannot create a segment of 4194304 bytes (4M) on huge pages: it needs 2 huge pages of 2 MiB, and /proc/meminfo has HugePages_Total $total, HugePages_Free $free, HugePages_Rsvd $rsvd (Hugepagesize 2048 kB)
hint: reserve $want huge pages in all, as root: sysctl vm.nr_hugepages=$want (the kernel may find fewer in fragmented memory: read HugePages_Total after)"
	assert_equal "$(nsegs)" 0
}

@test "create --hugetlb --noreserve reserves no huge page: made with none free" {
	need_2m_default
	echo 0 >"$NR_HUGEPAGES"
	local rsvd=$(meminfo HugePages_Rsvd)
	run --separate-stderr shm create -k 0x5707 -s 2M --hugetlb --noreserve
	assert_success
	local id=$output
	assert_equal "$stderr" ""
	assert_equal "$(meminfo HugePages_Rsvd)" "$rsvd"
	# a process may attach it, which touches no page, and stat tells the
	# page size from its smaps
	attach_idle "$id"
	run --separate-stderr shm stat -k 0x5707
	assert_success
	assert_line "page size   2 MiB (huge pages)"
}

@test "create --noreserve makes a segment on normal pages" {
	run --separate-stderr shm create -k 0x5708 -s 1M --noreserve
	assert_success
	local id=$output
	assert_equal "$stderr" ""
	run --separate-stderr shm write -k 0x5708 abc
	assert_success
	attach_idle "$id"
	run --separate-stderr shm stat -k 0x5708
	assert_line "page size   4 KiB (normal pages)"
}

@test "create --hugetlb of an existing segment on normal pages: exit 0, a note" {
	local id=$(shm create -k 0x5709 -s 8K)
	local row=$(awk -v id="$id" '$2 == id' /proc/sysvipc/shm)
	# attached by no process: its pages cannot be known, and create does
	# not attach it to learn them
	run --separate-stderr shm create -k 0x5709 -s 8K --hugetlb
	assert_success
	assert_output "$id"
	assert_equal "$stderr" "shm create: key 0x00005709 (id $id) exists; whether it is on huge pages cannot be known: no process has it attached, and shm does not attach it itself, which would change its last attach time"
	assert_equal "$(awk -v id="$id" '$2 == id' /proc/sysvipc/shm)" "$row"
	# the smaps of a process that has it attached tell them
	attach_idle "$id"
	run --separate-stderr shm create -k 0x5709 -s 8K --hugetlb
	assert_success
	assert_output "$id"
	assert_equal "$stderr" "shm create: key 0x00005709 (id $id) exists and keeps its pages of 4 KiB, not the huge pages asked
hint: to have it on huge pages, remove it and create it again: shm rm --key 0x00005709"
}

@test "create --hugetlb of an existing 100K segment, by key or id: its size is checked as asked, not rounded up" {
	need_2m_default
	local id=$(shm create -k 0x5713 -s 100K)
	attach_idle "$id"
	run --separate-stderr shm create -k 0x5713 -s 100K --hugetlb
	assert_success
	assert_output "$id"
	run --separate-stderr shm create -i "$id" -s 100K --hugetlb
	assert_success
	assert_output "$id"
	assert_equal "$stderr" "shm create: key 0x00005713 (id $id) exists and keeps its pages of 4 KiB, not the huge pages asked
hint: to have it on huge pages, remove it and create it again: shm rm --id $id"
}

@test "pin and unpin toggle SHM_LOCKED (02000) and ls STATUS 'locked'" {
	local a=$(shm create -k 0x570a -s 64K) b=$(shm create -k 0x570b -s 64K)
	run --separate-stderr shm pin -k 0x570a -i "$b"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(seg_mode "$a")" 2600
	assert_equal "$(seg_mode "$b")" 2600
	run --separate-stderr shm ls -o id,status --raw -n
	assert_line "$a locked"
	assert_line "$b locked"
	run --separate-stderr shm stat -i "$a"
	assert_line "pinned      yes (SHM_LOCK: its pages stay in memory)"
	run --separate-stderr shm stat -i "$a" --json
	assert_equal "$(jq -c '[.status, .pinned]' <<<"$output")" '["locked",true]'
	run --separate-stderr shm unpin -i "$a"
	assert_success
	assert_equal "$(seg_mode "$a")" 600
	assert_equal "$(seg_mode "$b")" 2600
	run --separate-stderr shm ls -o id,status --raw -n
	assert_line "$a -"
}

@test "pin: a selector that names no segment is exit 3, after pinning the others" {
	local a=$(shm create -k 0x570c -s 4K)
	run --separate-stderr shm pin -k 0x570d -i "$a"
	assert_failure 3
	assert_equal "$(seg_mode "$a")" 2600
}

@test "pin of a segment on huge pages: exit 0, and a note that the kernel sets no bit" {
	need_2m_default
	want_free_huge 1
	local id=$(shm create -k 0x570e -s 2M --hugetlb)
	run --separate-stderr shm pin -i "$id"
	assert_success
	assert_equal "$stderr" "shm pin: key 0x0000570e (id $id) is on huge pages, which are never swapped: the kernel keeps it in memory as it is and does not mark it locked"
	assert_equal "$(seg_mode "$id")" 600
}

@test "row 27: pin as nobody of root's segment: exit 4, who may" {
	local id=$(shm create -k 0x570f -s 64K -m 666)
	run --separate-stderr as_nobody "$SHM_BIN" pin -k 0x570f
	assert_failure 4
	assert_output ""
	assert_equal "$stderr" "shm pin: cannot pin key 0x0000570f (id $id): only its owner (root, uid 0), its creator (root, uid 0) or a process with CAP_IPC_LOCK may; you are nobody (uid 65534), groups $NOBODY_GROUP
hint: ask its owner (root), or root: sudo shm pin --id $id"
	assert_equal "$(seg_mode "$id")" 666
	shm pin -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" unpin -i "$id"
	assert_failure 4
	[[ $stderr == "shm unpin: cannot unpin key 0x0000570f (id $id): only its owner"* ]]
	assert_equal "$(seg_mode "$id")" 2666
}

@test "row 27: pin as nobody of its own segment beyond ulimit -l: exit 4, the limit and the amount" {
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x5710 -s 1M
	assert_success
	local id=$output
	run --separate-stderr as_nobody bash -c "ulimit -l 64 && exec $SHM_BIN pin -k 0x5710"
	assert_failure 4
	assert_equal "$stderr" "shm pin: cannot pin key 0x00005710 (id $id): your RLIMIT_MEMLOCK is 64K and you lack CAP_IPC_LOCK: its 1048576 bytes (1M, 256 pages), with what this user has pinned before, are beyond it
hint: raise the limit by at least 1M to what this user has pinned already (the segments that shm ls shows 'locked'; memlock in /etc/security/limits.conf), or have a process with CAP_IPC_LOCK pin it: sudo shm pin --id $id"
	# a limit of 0 is refused before the amount is counted (EPERM)
	run --separate-stderr as_nobody bash -c "ulimit -l 0 && exec $SHM_BIN pin -k 0x5710"
	assert_failure 4
	[[ ${stderr%%$'\n'*} == "shm pin: cannot pin key 0x00005710 (id $id): your RLIMIT_MEMLOCK is 0 and you lack CAP_IPC_LOCK: its 1048576 bytes (1M, 256 pages) may not be pinned" ]]
	assert_equal "$(seg_mode "$id")" 600
	# within the limit, its owner may
	run --separate-stderr as_nobody bash -c "ulimit -l 1024 && exec $SHM_BIN pin -k 0x5710"
	assert_success
	assert_equal "$(seg_mode "$id")" 2600
	run --separate-stderr as_nobody "$SHM_BIN" unpin -k 0x5710
	assert_success
	assert_equal "$(seg_mode "$id")" 600
}

@test "row 26: create --hugetlb as nobody outside vm.hugetlb_shm_group: exit 4, the group and nobody's groups" {
	need_2m_default
	want_free_huge 1
	echo 1 >"$SHM_GROUP"
	local g=$(group_name 1) mine=$(id -g 65534)
	# The kernel decides by CAP_IPC_LOCK and the group alone; older ones
	# also let RLIMIT_MEMLOCK do: a limit of 0 makes it the same on all.
	run --separate-stderr as_nobody bash -c "ulimit -l 0 && exec $SHM_BIN create -k 0x5711 -s 2M --hugetlb"
	assert_failure 4
	assert_output ""
	assert_equal "$stderr" "shm create: cannot create a segment of 2M on huge pages: not allowed: only the group that vm.hugetlb_shm_group names, ${g:-1} (gid 1), or a process with CAP_IPC_LOCK may; you are nobody (uid 65534), groups $NOBODY_GROUP, without CAP_IPC_LOCK
hint: as root, let your group $NOBODY_GROUP use huge pages: sysctl vm.hugetlb_shm_group=$mine
hint: or run it with CAP_IPC_LOCK (as root)"
	assert_equal "$(nsegs)" 0
	# the hint's sysctl lets it
	echo "$mine" >"$SHM_GROUP"
	run --separate-stderr as_nobody bash -c "ulimit -l 0 && exec $SHM_BIN create -k 0x5711 -s 2M --hugetlb"
	assert_success
	assert_equal "$stderr" ""
}

@test "stat: the page size from an attached process's smaps, even when the caller may not attach it; unknown when it may read none" {
	run --separate-stderr as_nobody "$SHM_BIN" create -k 0x5712 -s 8K
	assert_success
	local id=$output
	# setpriv execs shm: $! is the waiter itself
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	    "$SHM_BIN" wait -k 0x5712 -t u32 --value=1 >/dev/null &
	WAITER=$!
	wait_nattch "$id" 1
	# its owner may no longer attach it, but may read its own process
	as_nobody "$SHM_BIN" chmod 0 -k 0x5712
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x5712
	assert_success
	assert_line "page size   4 KiB (normal pages)"
	kill "$WAITER"
	wait "$WAITER" || true
	WAITER=
	wait_nattch "$id" 0
	# attached by root alone: nobody may not read its smaps, root may
	attach_idle "$id"
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x5712
	assert_success
	assert_line "page size   unknown: it is attached only by processes whose memory map you may not read, and shm does not attach it itself, which would change its last attach time"
	run --separate-stderr shm stat -k 0x5712
	assert_success
	assert_line "page size   4 KiB (normal pages)"
	kill "${ATTACHERS[0]}"
	wait "${ATTACHERS[0]}" || true
	wait_nattch "$id" 0
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x5712
	assert_success
	assert_line "page size   unknown: no process has it attached, and shm does not attach it itself, which would change its last attach time"
	run --separate-stderr as_nobody "$SHM_BIN" stat -k 0x5712 --json
	assert_success
	assert_equal "$(jq -c .pagesize <<<"$output")" null
	run --separate-stderr as_nobody "$SHM_BIN" ls -o id,pagesize --raw -n
	assert_success
	assert_output "$id -"
}

# The row of segment id $1 in /proc/sysvipc/shm, whole.
seg_row() {
	awk -v id="$1" '$2 == id' /proc/sysvipc/shm
}

@test "stat and ls -o +PAGESIZE of an unattached segment do not attach it: atime, dtime, lpid and nattch stay as they were" {
	# one never attached; one attached once and detached (its atime,
	# dtime and lpid set)
	local never=$(shm create -k 0x5715 -s 8K)
	local once=$(shm create -k 0x5716 -s 8K)
	shm write -k 0x5716 abc
	local id row lpid
	for id in "$never" "$once"; do
		row=$(seg_row "$id")
		lpid=$(seg_field "$id" 6)
		run --separate-stderr shm stat -i "$id"
		assert_equal "$(seg_row "$id")" "$row"
		assert_success
		assert_equal "$stderr" ""
		assert_line "page size   unknown: no process has it attached, and shm does not attach it itself, which would change its last attach time"
		run --separate-stderr shm stat -i "$id" --json
		assert_equal "$(seg_row "$id")" "$row"
		assert_success
		assert_equal "$stderr" ""
		assert_equal "$(jq -c '[.pagesize, .nattch, .lpid]' <<<"$output")" "[null,0,$lpid]"
	done
	row=$(awk 'NR > 1' /proc/sysvipc/shm)
	run --separate-stderr shm ls -o id,pagesize --raw -n
	assert_equal "$(awk 'NR > 1' /proc/sysvipc/shm)" "$row"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$never -
$once -"
	run --separate-stderr shm ls -o +pagesize --json
	assert_equal "$(awk 'NR > 1' /proc/sysvipc/shm)" "$row"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.segments[].pagesize]' <<<"$output")" '[null,null]'
	# never attached: still no attach time, detach time nor last pid
	assert_equal "$(seg_field "$never" 6 7 12 13)" "0 0 0 0"
}
