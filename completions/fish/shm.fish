# fish completion for shm(1)

# The keys (0x%08x) or the ids (id) of the segments that exist.  The key
# column of /proc/sysvipc/shm is a signed decimal; key 0 is a private
# segment, or one marked for removal, and no --key can name it.
function __shm_segments -a want
    set -l file /proc/sysvipc/shm
    if set -q SHM_PROC_SYSVIPC; and test -n "$SHM_PROC_SYSVIPC"
        set file $SHM_PROC_SYSVIPC
    end
    test -r $file; or return
    # Each with what tells it apart, not the same words for every one.
    awk -v want=$want '
        NF < 14 || $1 !~ /^-?[0-9]+$/ { next }
        {
            k = $1 + 0
            if (k < 0)
                k += 4294967296
        }
        want == "id" {
            if (k == 0)
                printf "%s\tprivate, %s bytes\n", $2, $4
            else
                printf "%s\tkey 0x%08x, %s bytes\n", $2, k, $4
            next
        }
        k != 0 { printf "0x%08x\tid %s, %s bytes\n", k, $2, $4 }' \
        $file 2>/dev/null
end

# The POSIX objects of /dev/shm, each with its leading / and its size, but
# the lock files of shm lock and the semaphores of sem_open(3).
function __shm_posix_names
    for f in /dev/shm/*
        test -f $f; and not test -L $f; or continue
        set -l name (string replace -- /dev/shm/ '' $f)
        string match -q -- 'sem.*' $name; and continue
        printf '/%s\t%s bytes\n' $name (stat -c %s $f)
    end
end

# The words before the cursor, without the global --ns=TARGET.
function __shm_tokens
    set -l tokens (commandline -opc)
    if test (count $tokens) -ge 3; and test "$tokens[2]" = --ns
        set -e tokens[2..3]
    else if string match -q -- '--ns=*' "$tokens[2]"
        set -e tokens[2]
    end
    printf '%s\n' $tokens
end

# True when no command has been typed yet.
function __shm_needs_command
    set -l tokens (__shm_tokens)
    test (count $tokens) -eq 1
end

# True before the command, or when the TARGET of "shm --ns" is typed.
function __shm_ns_target
    __shm_needs_command; and return
    set -l tokens (commandline -opc)
    test (count $tokens) -eq 2; and test "$tokens[2]" = --ns
end

# True when the command is $argv[1].
function __shm_using -a cmd
    set -l tokens (__shm_tokens)
    test (count $tokens) -ge 2; and test "$tokens[2]" = $cmd
end

# The pids, each with its command line, for --ns.
function __shm_pids
    for d in (string match -r -- '^/proc/[1-9][0-9]*$' /proc/*)
        test -r $d/ns/ipc; or continue
        set -l cmd (string split0 < $d/cmdline 2>/dev/null)
        test -n "$cmd"; or set cmd "["(cat $d/comm 2>/dev/null)"]"
        printf '%s\t%s\n' (string replace /proc/ '' $d) "$cmd"
    end 2>/dev/null | sort -n
end

# True when the command is $argv[1] and the operand being typed is the
# first one (for key, chmod and chown).
function __shm_first_operand -a cmd
    __shm_using $cmd; or return
    set -l tokens (__shm_tokens)
    for t in $tokens[3..-1]
        string match -q -- '-*' $t; or return 1
    end
    # After an option that takes a value, the value comes, not an operand.
    not string match -q -r -- '^(-[kfpiP]|--(key|file|proj|id|posix))$' $tokens[-1]
end

# The ls column names after what the current token already lists, each
# with what it shows; in lower case when the name begun is.
function __shm_columns
    set -l tok (string replace -r -- '^(-o|--output=)' '' "$(commandline -ct)")
    # What the list holds so far: always one word, empty at the start.
    set -l prefix (string replace -r -- '[^,+]*$' '' "$tok")
    set -l word (string replace -r -- '^.*[,+]' '' "$tok")
    for c in 'KEY\tthe key' 'ID\tthe id' 'OWNER\tthe owner' \
            'PERMS\tthe mode as rwx' 'SIZE\tthe size' \
            'NATTCH\tattached processes' 'STATUS\tdest, locked' \
            'MODE\tthe mode in octal' 'GROUP\tthe group' 'UID\tthe owner uid' \
            'GID\tthe group gid' 'CUID\tthe creator uid' \
            'CGID\tthe creator gid' 'CPID\tthe creator pid' \
            'LPID\tthe last pid' 'ATIME\tlast attach' 'DTIME\tlast detach' \
            'CTIME\tlast change' 'RSS\tresident bytes' 'SWAP\tswapped bytes' \
            'COMMAND\tthe creator command line' \
            'PAGESIZE\tpage size (from an attached process)' \
            'NAME\tthe object name (--posix)' \
            'NPROCS\tprocesses using it (--posix)' \
            'MTIME\tlast write (--posix)'
        string match -q -r -- '^[a-z]' "$word"; and set c (string lower -- $c)
        printf "%s$c\n" $prefix
    end
end

# --hugetlb=SIZE for each huge page size the machine has (2M, 1G), from the
# folders of /sys/kernel/mm/hugepages.
function __shm_huge_sizes
    for d in /sys/kernel/mm/hugepages/hugepages-*kB
        set -l kb (string replace -r -- '.*/hugepages-([0-9]+)kB$' '$1' $d)
        set -l size {$kb}K
        set -l words $kb KiB
        if test (math "$kb % 1048576") -eq 0
            set size (math "$kb / 1048576")G
            set words (math "$kb / 1048576") GiB
        else if test (math "$kb % 1024") -eq 0
            set size (math "$kb / 1024")M
            set words (math "$kb / 1024") MiB
        end
        printf '%s\t%s\n' --hugetlb=$size "huge pages of $words"
    end
end

# The types of read and write, each with what it is.
function __shm_types
    printf '%s\t%s\n' raw 'bytes as they are' hex 'bytes as hex digits' \
        i8 'signed 8-bit' i16 'signed 16-bit' i32 'signed 32-bit' \
        i64 'signed 64-bit' u8 'unsigned 8-bit' u16 'unsigned 16-bit' \
        u32 'unsigned 32-bit' u64 'unsigned 64-bit' f32 '32-bit float' \
        f64 '64-bit float'
end

# USER, or USER:GROUP once a colon is typed.
function __shm_owner
    set -l tok (commandline -ct)
    if string match -q -- '*:*' $tok
        set -l user (string split -m 1 : -- $tok)[1]
        for g in (__fish_print_groups)
            echo $user:$g
        end
    else
        __fish_complete_users
    end
end

complete -c shm -f

# Before the command.
complete -c shm -n __shm_needs_command -s h -l help -d 'show the help and exit'
complete -c shm -n __shm_needs_command -s V -l version -d 'show the version and exit'
complete -c shm -n __shm_ns_target -l ns -x -a '(__shm_pids)' -d 'work in the IPC namespace of a pid or a file'
complete -c shm -n __shm_needs_command -a create -d 'make a segment, or open an existing one, and print its id'
complete -c shm -n __shm_needs_command -a write -d 'copy data into a segment'
complete -c shm -n __shm_needs_command -a read -d 'copy data out of a segment'
complete -c shm -n __shm_needs_command -a rm -d 'remove segments'
complete -c shm -n __shm_needs_command -a ls -d 'list segments'
complete -c shm -n __shm_needs_command -a stat -d 'one segment in detail, and what you may do with it'
complete -c shm -n __shm_needs_command -a key -d 'print the key that ftok(3) derives from a file'
complete -c shm -n __shm_needs_command -a chmod -d "change a segment's mode bits"
complete -c shm -n __shm_needs_command -a chown -d "change a segment's owner and group"
complete -c shm -n __shm_needs_command -a limits -d "the kernel's shared-memory limits and current use"
complete -c shm -n __shm_needs_command -a fork-demo -d 'a parent and its child talk through a segment'
complete -c shm -n __shm_needs_command -a wait -d 'block until a segment appears, goes, gets attached, or a value in it changes'
complete -c shm -n __shm_needs_command -a add -d 'atomically add to a number in a segment, print the new value'
complete -c shm -n __shm_needs_command -a cas -d 'atomically compare-and-swap a number in a segment'
complete -c shm -n __shm_needs_command -a lock -d "run a command while holding the segment's lock"
complete -c shm -n __shm_needs_command -a pin -d "lock a segment's pages in memory (SHM_LOCK)"
complete -c shm -n __shm_needs_command -a unpin -d "let a segment's pages be swapped again (SHM_UNLOCK)"
complete -c shm -n __shm_needs_command -a metrics -d 'segments and limits in the OpenMetrics text format'
complete -c shm -n __shm_needs_command -a help -d 'show the help of a command'

# shm help COMMAND
complete -c shm -n '__shm_using help; and test (count (commandline -opc)) -eq 2' \
    -a 'create write read rm ls stat key chmod chown limits fork-demo wait add cas lock pin unpin metrics'

# Every command: -h, --help.
for cmd in create write read rm ls stat key chmod chown limits fork-demo wait add cas lock pin unpin metrics
    complete -c shm -n "__shm_using $cmd" -s h -l help -d 'show the help and exit'
end

# The selector: every command that works on segments.
for cmd in create write read rm stat chmod chown fork-demo wait add cas lock pin unpin
    complete -c shm -n "__shm_using $cmd" -s k -l key -x -a '(__shm_segments key)' -d "the segment's IPC key (0x hex or decimal)"
    complete -c shm -n "__shm_using $cmd" -s f -l file -r -F -d 'derive the key with ftok(PATH, PROJ)'
    complete -c shm -n "__shm_using $cmd" -s p -l proj -x -d "ftok's project id, 1-255 or one character (default 1)"
    complete -c shm -n "__shm_using $cmd" -s i -l id -x -a '(__shm_segments id)' -d "an existing segment's id"
end
# -P, --posix: every command with a selector but pin and unpin.
for cmd in create write read rm stat chmod chown fork-demo wait add cas lock
    complete -c shm -n "__shm_using $cmd" -s P -l posix -x -a '(__shm_posix_names)' -d 'a POSIX shared memory object (shm_open), /NAME'
end
for cmd in create fork-demo
    complete -c shm -n "__shm_using $cmd" -l private -d 'a new private segment (IPC_PRIVATE)'
end

# create
complete -c shm -n '__shm_using create' -s s -l size -x -d 'size in bytes, with K, M, G...; needed to create'
complete -c shm -n '__shm_using create' -s m -l mode -x -d 'permission bits in octal (default 0600)'
complete -c shm -n '__shm_using create' -s x -l exclusive -d 'fail (exit 5) if the segment exists'
complete -c shm -n '__shm_using create' -l hugetlb -d 'back it with huge pages (of PAGESIZE: 2M, 1G)'
complete -c shm -n '__shm_using create; and string match -q -- "--hugetlb=*" (commandline -ct)' -a '(__shm_huge_sizes)'
complete -c shm -n '__shm_using create' -l noreserve -d 'reserve no swap for it (SHM_NORESERVE)'
complete -c shm -n '__shm_using create' -l json -d 'print a JSON object instead of the id'

# write
complete -c shm -n '__shm_using write' -s o -l offset -x -d 'where to start, in bytes (default 0)'
complete -c shm -n '__shm_using write' -s t -l type -x -a '(__shm_types)' -d 'how to read the data (default raw)'
complete -c shm -n '__shm_using write' -s e -l endian -x -a 'little big native' -d 'byte order of the numbers (default native)'
complete -c shm -n '__shm_using write' -s z -l string -d 'append a NUL byte'
complete -c shm -n '__shm_using write' -l truncate -d 'write what fits instead of failing'

# read
complete -c shm -n '__shm_using read' -s o -l offset -x -d 'where to start, in bytes (default 0)'
complete -c shm -n '__shm_using read' -s n -l count -x -d 'bytes, or values of a number type'
complete -c shm -n '__shm_using read' -s t -l type -x -a '(__shm_types)' -d 'raw, hex, or numbers of this type, one per line'
complete -c shm -n '__shm_using read' -s e -l endian -x -a 'little big native' -d 'byte order of the numbers (default native)'
complete -c shm -n '__shm_using read' -s z -l string -d 'stop at the first NUL byte'
complete -c shm -n '__shm_using read' -s x -l hexdump -d 'offsets, bytes in hex and characters, as hexdump -C'
complete -c shm -n '__shm_using read' -l raw -d 'raw bytes, even to a terminal'

# rm
complete -c shm -n '__shm_using rm' -s F -l force -d 'no error for a selector that names no segment'
complete -c shm -n '__shm_using rm' -l all -d 'every segment you may remove'
complete -c shm -n '__shm_using rm' -l orphaned -d 'only segments no process is attached to'
complete -c shm -n '__shm_using rm' -l owner -x -a '(__fish_complete_users)' -d 'only segments owned by USER (name or uid)'
complete -c shm -n '__shm_using rm' -l older-than -x -d 'only segments unused for AGE (90s, 10m, 2h, 7d)'
complete -c shm -n '__shm_using rm' -l dry-run -d 'print the ids that would go, remove nothing'

# ls
complete -c shm -n '__shm_using ls' -l json -d 'print JSON'
complete -c shm -n '__shm_using ls' -l raw -d 'columns separated by single spaces, unaligned'
complete -c shm -n '__shm_using ls' -s n -l noheadings -d 'no header line'
complete -c shm -n '__shm_using ls' -s o -l output -x -a '(__shm_columns)' -d 'the columns to print, comma-separated; +COL,... adds'
complete -c shm -n '__shm_using ls' -s b -l bytes -d 'sizes in bytes'
complete -c shm -n '__shm_using ls' -l mine -d "only the caller's segments"
complete -c shm -n '__shm_using ls' -l posix -d 'POSIX objects (/dev/shm) instead of System V segments'
complete -c shm -n '__shm_using ls' -l orphaned -d 'only segments no process is attached to'
complete -c shm -n '__shm_using ls' -l owner -x -a '(__fish_complete_users)' -d 'only segments owned by USER (name or uid)'
complete -c shm -n '__shm_using ls' -l older-than -x -d 'only segments unused for AGE (90s, 10m, 2h, 7d)'
complete -c shm -n '__shm_using ls' -s A -l all-namespaces -d 'every IPC namespace, with a column NS'
complete -c shm -n '__shm_using ls' -l namespaces -d 'one row per IPC namespace'

# metrics
complete -c shm -n '__shm_using metrics' -s A -l all-namespaces -d 'every IPC namespace, each sample labelled ns'

# stat
complete -c shm -n '__shm_using stat' -l json -d 'print a JSON object'

# key PATH [PROJ]
complete -c shm -n '__shm_first_operand key' -F

# chown USER[:GROUP] (chmod's MODE has nothing to offer)
complete -c shm -n '__shm_first_operand chown' -x -a '(__shm_owner)'

# limits
complete -c shm -n '__shm_using limits' -l json -d 'print a JSON object'

# fork-demo
complete -c shm -n '__shm_using fork-demo' -l value -x -d 'the value the parent writes (default 3)'
complete -c shm -n '__shm_using fork-demo' -l rounds -x -d 'then N round trips, timed'
complete -c shm -n '__shm_using fork-demo' -l compare -d 'time the same round trips through a pipe'
complete -c shm -n '__shm_using fork-demo' -l keep -d 'leave the segment in place'
complete -c shm -n '__shm_using fork-demo' -l reuse -d 'use an existing segment, and leave it in place'
complete -c shm -n '__shm_using fork-demo' -s q -l quiet -d 'print nothing but errors'

# wait
complete -c shm -n '__shm_using wait' -l exists -d 'until the segment exists'
complete -c shm -n '__shm_using wait' -l gone -d 'until it no longer exists, or is marked for removal'
complete -c shm -n '__shm_using wait' -l attached -d 'until at least N processes (default 1) have it attached'
complete -c shm -n '__shm_using wait' -l detached -d 'until no process has it attached'
complete -c shm -n '__shm_using wait' -l value -x -d 'until the number satisfies EXPR: N, ==N, !=N, <N, <=N, >N, >=N'
complete -c shm -n '__shm_using wait' -l changed -d 'until a byte of the range differs'
complete -c shm -n '__shm_using wait' -s o -l offset -x -d 'where the value or the range starts (default 0)'
complete -c shm -n '__shm_using wait' -s n -l count -x -d 'bytes of the range, for --changed'
complete -c shm -n '__shm_using wait' -s t -l type -x -a 'i8 i16 i32 i64 u8 u16 u32 u64 f32 f64' -d "the value's type, for --value"
complete -c shm -n '__shm_using wait' -s e -l endian -x -a 'little big native' -d "the value's byte order"
complete -c shm -n '__shm_using wait' -l timeout -x -d 'give up after DURATION (exit 7); 0 tests once'
complete -c shm -n '__shm_using wait' -s q -l quiet -d 'print neither the value nor why it timed out'

# add and cas
complete -c shm -n '__shm_using add' -s t -l type -x -a 'i8 i16 i32 i64 u8 u16 u32 u64' -d "the integer's type"
complete -c shm -n '__shm_using cas' -s t -l type -x -a 'i8 i16 i32 i64 u8 u16 u32 u64 f32 f64' -d "the number's type"
for cmd in add cas
    complete -c shm -n "__shm_using $cmd" -s o -l offset -x -d 'its offset, a multiple of its size (default 0)'
    complete -c shm -n "__shm_using $cmd" -s e -l endian -x -a 'little big native' -d 'its byte order (default native)'
end

# lock SELECTOR [-s] [--timeout=D] -- COMMAND...
complete -c shm -n '__shm_using lock' -s s -l shared -d 'a shared lock (readers), not an exclusive one'
complete -c shm -n '__shm_using lock' -l timeout -x -d 'give up after DURATION (exit 7, COMMAND not run)'
complete -c shm -n '__shm_using lock' -a '(__fish_complete_subcommand --fcs-skip=2 -- -k --key -f --file -p --proj -i --id --timeout)'
