#!/usr/bin/env bats
# shm ls: the table, raw, JSON, columns, --mine, and the shmctl fallback.

load helpers/common

ALL=key,id,owner,perms,size,nattch,status,mode,group,uid,gid,cuid,cgid,cpid,lpid,atime,dtime,ctime,rss,swap,command

@test "ls with no segments prints the header alone" {
	run --separate-stderr shm ls
	assert_success
	assert_output "KEY ID OWNER PERMS SIZE NATTCH STATUS"
	assert_equal "$stderr" ""
}

@test "ls -n with no segments prints nothing" {
	run --separate-stderr shm ls -n
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
}

@test "ls --json with no segments prints an empty list" {
	run --separate-stderr shm ls --json
	assert_success
	assert_equal "$(jq -c . <<<"$output")" '{"segments":[]}'
	assert_equal "$stderr" ""
}

@test "ls shows the default columns" {
	id=$(shm create -k 0x10 -s 1M -m 640)
	run --separate-stderr shm ls
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp '^KEY +ID OWNER PERMS +SIZE NATTCH STATUS$'
	assert_line --index 1 --regexp "^0x00000010 +$id root +rw-r----- +1M +0 -$"
	assert_equal "${#lines[@]}" 2
}

@test "ls --raw puts one blank between cells; --bytes gives sizes in bytes" {
	id=$(shm create -k 0x10 -s 1M -m 640)
	run --separate-stderr shm ls --raw -n
	assert_success
	assert_output "0x00000010 $id root rw-r----- 1M 0 -"
	run --separate-stderr shm ls --raw -n -b
	assert_success
	assert_output "0x00000010 $id root rw-r----- 1048576 0 -"
	assert_equal "$stderr" ""
}

@test "ls shows sizes in human units" {
	shm create -k 0x11 -s 100 >/dev/null
	shm create -k 0x12 -s 5000 >/dev/null
	shm create -k 0x13 -s 3G >/dev/null
	run --separate-stderr shm ls --raw -n -o key,size
	assert_success
	assert_equal "$stderr" ""
	# The rows come in the order the kernel gives: matched by key.
	assert_equal "${#lines[@]}" 3
	assert_line "0x00000011 100B"
	assert_line "0x00000012 4.9K"
	assert_line "0x00000013 3G"
}

@test "ls --json: numbers as numbers, strings as strings, null status" {
	id=$(shm create -k 0xabcd -s 1M -m 640)
	run --separate-stderr shm ls --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '.segments | length == 1' <<<"$output"
	jq -e '.segments[0].size | type == "number"' <<<"$output"
	jq -e '.segments[0].id | type == "number"' <<<"$output"
	jq -e '.segments[0].nattch | type == "number"' <<<"$output"
	assert_equal "$(jq -c '.segments[0]' <<<"$output")" \
	    "{\"key\":\"0x0000abcd\",\"id\":$id,\"owner\":\"root\",\"perms\":\"rw-r-----\",\"size\":1048576,\"nattch\":0,\"status\":null}"
}

@test "ls --json with every column: types, epoch seconds, null for never" {
	id=$(shm create -k 0x14 -s 4K -m 604)
	before=$(date +%s)
	run --separate-stderr shm ls --json -o "$ALL"
	assert_success
	assert_equal "$stderr" ""
	row=$(jq -c '.segments[0]' <<<"$output")
	assert_equal "$(jq -r '[keys_unsorted[]] | join(",")' <<<"$row")" "$ALL"
	assert_equal "$(jq -r '.mode' <<<"$row")" 0604
	jq -e '.mode | type == "string"' <<<"$row"
	jq -e '.group == "root" and .uid == 0 and .gid == 0 and .cuid == 0 and .cgid == 0' <<<"$row"
	jq -e '.cpid | type == "number" and . > 0' <<<"$row"
	jq -e '.atime == null and .dtime == null' <<<"$row"
	jq -e --argjson t "$before" '.ctime | type == "number" and . >= $t - 5 and . <= $t + 5' <<<"$row"
	jq -e '.rss | type == "number"' <<<"$row"
	jq -e '.swap | type == "number"' <<<"$row"
}

@test "ls: times in the table are ISO 8601, '-' when never" {
	id=$(shm create -k 0x15 -s 1)
	run --separate-stderr shm ls --raw -n -o id,atime,ctime
	assert_success
	assert_output --regexp "^$id - [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
	assert_equal "$stderr" ""
}

@test "ls -o picks columns in order, in any case; +COLS adds to the default" {
	id=$(shm create -k 0x16 -s 1 -m 640)
	run --separate-stderr shm ls --raw -o mode,ID,Key
	assert_success
	assert_output "MODE ID KEY
0640 $id 0x00000016"
	run --separate-stderr shm ls --raw -n -o +mode,uid
	assert_success
	assert_output "0x00000016 $id root rw-r----- 1B 0 - 0640 0"
	assert_equal "$stderr" ""
}

@test "ls -o with an unknown column: exit 2, naming it" {
	run --separate-stderr shm ls -o key,bogus
	assert_failure 2
	assert_output ""
	[[ $stderr == *"shm ls: --output: unknown column 'bogus' (known: KEY ID OWNER"* ]]
	[[ $stderr == *"hint: see 'shm ls --help'"* ]]
}

@test "ls -o with an empty name: exit 2" {
	run --separate-stderr shm ls -o key,
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--output: a column name is missing in 'key,'"* ]]
}

@test "ls --json and --raw clash" {
	run --separate-stderr shm ls --json --raw
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--json and --raw clash"* ]]
}

@test "ls --mine shows only the caller's segments" {
	mine=$(as_nobody "$SHM_BIN" create -k 0x21 -s 1)
	shm create -k 0x22 -s 1 >/dev/null
	run --separate-stderr as_nobody "$SHM_BIN" ls --mine --raw -n -o id,owner
	assert_success
	assert_output "$mine nobody"
	assert_equal "$stderr" ""
	run --separate-stderr shm ls --mine -n -o key
	assert_success
	assert_output "0x00000022"
}

@test "ls --mine counts the creator as the caller's" {
	id=$(as_nobody "$SHM_BIN" create -k 0x23 -s 1)
	shm chown root -i "$id"
	run --separate-stderr as_nobody "$SHM_BIN" ls --mine --raw -n -o id,owner,cuid
	assert_success
	assert_output "$id root 65534"
}

@test "ls needs no permission: a stranger sees a 0600 segment of root" {
	id=$(shm create -k 0x24 -s 1)
	run --separate-stderr as_nobody "$SHM_BIN" ls --raw -n
	assert_success
	assert_output "0x00000024 $id root rw------- 1B 0 -"
	assert_equal "$stderr" ""
}

@test "ls shows the uid when the owner has no name" {
	id=$(shm create -k 0x25 -s 1)
	shm chown 4242:4343 -i "$id"
	run --separate-stderr shm ls --raw -n -o owner,group,uid,gid
	assert_success
	assert_output "4242 4343 4242 4343"
	run --separate-stderr shm ls --json -o owner
	assert_equal "$(jq -c '.segments[0]' <<<"$output")" '{"owner":"4242"}'
}

@test "ls STATUS shows dest for a segment marked for removal" {
	id=$(shm create -k 0x26 -s 1M)
	hold "$id"
	shm rm -i "$id" 2>/dev/null
	run --separate-stderr shm ls --raw -n
	assert_success
	assert_output "0x00000000 $id root rw------- 1M 1 dest"
	run --separate-stderr shm ls --json
	assert_equal "$(jq -r '.segments[0].status' <<<"$output")" dest
	release
}

@test "ls: the shmctl walk gives the rows of /proc, without rss and swap" {
	shm create -k 0x31 -s 1M -m 640 >/dev/null
	shm create --private -s 100 >/dev/null
	b=$(shm create -k 0x32 -s 5000 -m 604)
	shm chown nobody:nogroup -i "$b"
	cols=${ALL%,rss,swap,command}
	proc=$(SHM_PROC_SYSVIPC=/proc/sysvipc/shm "$SHM_BIN" ls --json -o "$cols")
	run --separate-stderr env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" ls --json -o "$cols"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c . <<<"$output")" "$(jq -c . <<<"$proc")"
	jq -e '.segments | length == 3' <<<"$output"
	run --separate-stderr env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" ls --json -o id,rss,swap
	assert_success
	jq -e 'all(.segments[]; .rss == null and .swap == null)' <<<"$output"
	run --separate-stderr env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" ls --raw -n -o rss,swap
	assert_output "- -
- -
- -"
	# the table too
	run --separate-stderr env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" ls
	assert_success
	assert_output "$(SHM_PROC_SYSVIPC=/proc/sysvipc/shm "$SHM_BIN" ls)"
}

@test "ls reads /proc/sysvipc/shm only when RSS or SWAP is asked for" {
	command -v strace >/dev/null || skip "needs strace"
	# LeakSanitizer cannot run under ptrace
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	shm create -k 0x34 -s 1 >/dev/null
	run --separate-stderr strace -f -e trace=open,openat -o trace "$SHM_BIN" ls
	assert_success
	assert_output --partial "0x00000034"
	run grep -c sysvipc trace
	assert_output 0
	run --separate-stderr strace -f -e trace=open,openat -o trace "$SHM_BIN" ls -o +RSS
	assert_success
	assert_output --partial "0x00000034"
	run grep -c sysvipc trace
	assert_output 1
}

@test "ls: the fallback lets a stranger see a 0600 segment of root" {
	# ids are handed out in turn: leave free indexes below this one
	for i in 1 2 3; do shm rm -i "$(shm create --private -s 1)"; done
	id=$(shm create -k 0x33 -s 1)
	run --separate-stderr as_nobody env SHM_PROC_SYSVIPC=/nonexistent "$SHM_BIN" ls --raw -n
	assert_success
	assert_output "0x00000033 $id root rw------- 1B 0 -"
	assert_equal "$stderr" ""
}

@test "ls output does not depend on the locale" {
	shm create -k 0x34 -s 1500 >/dev/null
	c=$(LC_ALL=C shm ls -o +ctime)
	run --separate-stderr env LC_ALL=de_DE.UTF-8 LANG=fr_FR.UTF-8 "$SHM_BIN" ls -o +ctime
	assert_success
	assert_output "$c"
	assert_equal "$stderr" ""
}

@test "ls --help lists the columns" {
	run --separate-stderr shm ls --help
	assert_success
	[[ $output == *"--output=COLS"* ]]
	for c in KEY ID OWNER PERMS SIZE NATTCH STATUS MODE GROUP UID GID CUID CGID CPID LPID ATIME DTIME CTIME RSS SWAP; do
		assert_line --regexp "^  $c +"
	done
	assert_equal "$stderr" ""
}

@test "ls: unexpected argument is a usage error" {
	run --separate-stderr shm ls extra
	assert_failure 2
	assert_output ""
	[[ $stderr == *"unexpected argument 'extra'"* ]]
}

@test "ls lists many segments, one row each" {
	for i in $(seq 50); do shm create --private -s 1 >/dev/null; done
	run --separate-stderr shm ls -n
	assert_success
	assert_equal "${#lines[@]}" 50
	run --separate-stderr shm ls --json
	jq -e '.segments | length == 50' <<<"$output"
}

# The header of /proc/sysvipc/shm, for listings made up by the tests.
PROC_HEADER='       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap'

@test "SHM_PROC_SYSVIPC naming a FIFO: ls is not held, lists from the kernel" {
	id=$(shm create -k 0x35 -s 1)
	mkfifo fifo
	# before: ls waited for a writer for ever (timeout is only a bound)
	run --separate-stderr timeout 60 env SHM_PROC_SYSVIPC="$PWD/fifo" "$SHM_BIN" ls --raw -n -o key,id
	assert_success
	assert_output "0x00000035 $id"
	assert_equal "$stderr" "shm ls: ignoring SHM_PROC_SYSVIPC '$PWD/fifo': it is a FIFO, not a regular file; listing from the kernel instead"
}

@test "SHM_PROC_SYSVIPC naming /dev/zero or a directory: refused, not read" {
	id=$(shm create -k 0x36 -s 1)
	# before: ls read /dev/zero until memory ran out; the limit keeps a
	# failing run from taking the machine's memory (a sanitized build
	# needs more address space than any such limit)
	limit="ulimit -v 1048576;"
	ldd "$SHM_BIN" 2>/dev/null | grep -q libasan && limit=
	run --separate-stderr timeout 60 bash -c "$limit"' SHM_PROC_SYSVIPC=/dev/zero exec "$0" ls --raw -n -o key,id' "$SHM_BIN"
	assert_success
	assert_output "0x00000036 $id"
	assert_equal "$stderr" "shm ls: ignoring SHM_PROC_SYSVIPC '/dev/zero': it is a character device, not a regular file; listing from the kernel instead"
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD" "$SHM_BIN" ls --raw -n -o key,id
	assert_success
	assert_output "0x00000036 $id"
	assert_equal "$stderr" "shm ls: ignoring SHM_PROC_SYSVIPC '$PWD': it is a directory, not a regular file; listing from the kernel instead"
}

@test "SHM_PROC_SYSVIPC naming a file over 64 MiB: refused, not read" {
	id=$(shm create -k 0x37 -s 1)
	{ echo "$PROC_HEADER"; } >big
	truncate -s 65M big
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/big" "$SHM_BIN" ls --raw -n -o key,id
	assert_success
	assert_output "0x00000037 $id"
	assert_equal "$stderr" "shm ls: ignoring SHM_PROC_SYSVIPC '$PWD/big': it holds more than 64 MiB; listing from the kernel instead"
}

@test "SHM_PROC_SYSVIPC rows with fields out of range are left out, with a note" {
	cat >fake <<-EOF
	$PROC_HEADER
	        16         77   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	        17         78   600                     1   100     0      0     0     0     0     0 -9223372036854775808 0 -9223372036854775808 4096 0
	        18         79   600                     1   100     0      0     0     0     0     0          0          0 99999999999999999999999 4096 0
	        19 4294967295   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	        20         80   600                     1   100     0     -1     0     0     0     0          0          0 1700000000                  4096                     0
	        21         81   600                     1   100     0
	        -2         82   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	EOF
	# before: two UBSan reports (the scanner's negation, rm's age), and
	# rows of nonsense listed
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/fake" "$SHM_BIN" ls --raw -n -o key,id,ctime
	assert_success
	assert_output "0x00000010 77 $(date -d @1700000000 +%Y-%m-%dT%H:%M:%S)
0xfffffffe 82 $(date -d @1700000000 +%Y-%m-%dT%H:%M:%S)"
	assert_equal "$stderr" "shm ls: SHM_PROC_SYSVIPC '$PWD/fake': left out 5 rows that cannot be read; line 3: atime -9223372036854775808 is out of range (0 to 9223372036854775807)"
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/fake" "$SHM_BIN" rm --all --older-than 1s --dry-run
	assert_success
	# ids that no segment has are not the kernel's to remove
	assert_output ""
	assert_equal "$stderr" "shm rm: SHM_PROC_SYSVIPC '$PWD/fake': left out 5 rows that cannot be read; line 3: atime -9223372036854775808 is out of range (0 to 9223372036854775807)"
}

@test "SHM_PROC_SYSVIPC row of 15 fields (rss without swap) is left out, with a note" {
	cat >fake <<-EOF
	$PROC_HEADER
	        16         77   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096                     0
	        17         78   600                     1   100     0      0     0     0     0     0          0          0 1700000000                  4096
	EOF
	# before: the row was listed, with an rss and no swap
	run --separate-stderr env SHM_PROC_SYSVIPC="$PWD/fake" "$SHM_BIN" ls --raw -n -o key,id
	assert_success
	assert_output "0x00000010 77"
	assert_equal "$stderr" "shm ls: SHM_PROC_SYSVIPC '$PWD/fake': left out 1 row that cannot be read; line 3: 15 fields where a row has 14 or 16"
}

@test "ls -o KEY,KEY: a column asked for twice is a usage error, not a JSON key twice" {
	shm create -k 0x5a20 -s 1 >/dev/null
	run --separate-stderr shm ls -o KEY,KEY --json
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "shm ls: --output: column KEY asked for twice
hint: see 'shm ls --help'"
	# in any case
	run --separate-stderr shm ls -o id,size,ID
	assert_failure 2
	[[ ${stderr_lines[0]} == "shm ls: --output: column ID asked for twice" ]]
}

@test "ls -o +KEY: a column of the default ones asked for again is a usage error" {
	run --separate-stderr shm ls -o +KEY --json
	assert_failure 2
	assert_output ""
	[[ ${stderr_lines[0]} == "shm ls: --output: column KEY asked for twice (+ adds to the columns so far)" ]]
}

@test "ls -o A -o +B: + adds to the columns so far, and one asked for again is an error" {
	id=$(shm create -k 0x5a21 -s 1)
	run --separate-stderr shm ls --raw -n -o key -o +id
	assert_success
	assert_output "0x00005a21 $id"
	run --separate-stderr shm ls -o key -o +KEY
	assert_failure 2
	[[ ${stderr_lines[0]} == *"column KEY asked for twice"* ]]
	# without +, a later --output replaces an earlier one
	run --separate-stderr shm ls --raw -n -o key -o id
	assert_success
	assert_output "$id"
}

@test "ls shows a UTF-8 user and group name as itself under a UTF-8 locale" {
	name="shm-café-$RANDOM"
	id=$(shm create -k 0x5a22 -s 1)
	useradd --badname -M "$name"
	run --separate-stderr bash -c '"$1" chown "$2:$2" -i "$3" &&
	    LC_ALL=C.UTF-8 "$1" ls -n -o id,owner,group' - "$SHM_BIN" "$name" "$id"
	userdel "$name"
	assert_success
	assert_equal "$stderr" ""
	assert_output --regexp "^ *$id $name +$name\$"
}

@test "ls --json is valid UTF-8 when a user name is not; the table escapes it" {
	name=$'shm-\xff\xfe-'"$RANDOM"
	id=$(shm create -k 0x5a23 -s 1)
	useradd --badname -M -N "$name"
	run --separate-stderr bash -c '"$1" chown "$2" -i "$3" &&
	    "$1" ls --json -o id,owner' - "$SHM_BIN" "$name" "$id"
	json=$output jst=$status jerr=$stderr
	run --separate-stderr env LC_ALL=C.UTF-8 "$SHM_BIN" ls -n -o id,owner
	userdel "$name"
	assert_equal "$jst" 0
	assert_equal "$jerr" ""
	# jq itself reads what is not UTF-8 as U+FFFD: ask iconv
	iconv -f UTF-8 -t UTF-8 <<<"$json" >/dev/null
	[[ $json != *$'\xff'* ]]
	want=$'shm-\xef\xbf\xbd\xef\xbf\xbd-'"${name##*-}"
	jq -e --arg want "$want" --argjson id "$id" \
	    '.segments == [{"id": $id, "owner": $want}]' <<<"$json"
	assert_success
	[[ $output != *$'\xff'* ]]
	assert_output --regexp "^ *$id shm-\\\\xff\\\\xfe-[0-9]+\$"
}
