#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kernel/bench-kernel on a made-up machine (BENCH_KERNEL_ROOT: a
# /sys and /proc of files) with stand-ins for the benchmark programs that
# print result lines of a known speed. TAP.
#
#  - check names each thing run needs and the machine lacks (swap, an mTHP
#    size), exit 2; and passes on a machine that has them; bad arguments
#    are refused (exit 2), naming the problem;
#  - run writes the result file: a header with the options, the plan's
#    programs with the guests' "PTB run"/"PTB exit" lines, "PTB done";
#    leaves out the memory.reclaim rows without cgroup2; puts back the THP
#    settings a program changed; a failing program fails the run (exit 1);
#  - compare: vanilla/patched of the medians per row into report.md and
#    ratios.csv; refuses files from other options, unfinished runs and
#    files that are not results, naming the problem.
set -u

srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/tap.sh
. "$srcdir/tests/tap.sh"

# the tool as make bench-kernel lays it out, with stand-in programs
tool=$tmp/tool
mkdir -p "$tool/bin"
for f in tests/kernel/bench-kernel tests/kernel/bench-plan.sh \
	 tests/kernel/report.pl tests/kernel/ratios.gp kernel-glue/script-lib.sh; do
	cp "$srcdir/$f" "$tool/"
done
cat > "$tool/bin/stand-in" << 'EOF'
#!/bin/sh
# Result lines as the real program prints them, ns = NS_BASE + run; a
# pageout_bench stand-in also sets the 64K mTHP control to never, as
# thp_setup() changes them; FAIL_PROG makes that program fail.
p=$(basename "$0")
[ "$p" = "${FAIL_PROG:-}" ] && { echo "stand-in: failing as asked" >&2; exit 1; }
size=64K fill=zero runs=1 reclaim=madvise off=1024 kind= threads=1
while [ $# -gt 0 ]; do
	case $1 in
	--size) size=$2; shift ;; --fill) fill=$2; shift ;; --runs) runs=$2; shift ;;
	--reclaim) reclaim=$2; shift ;; --offset) off=$2; shift ;;
	--realloc|--small|--uffd-wp) kind=$1 ;;
	--peer-thread) threads=2 ;;
	esac
	shift
done
[ $p = pageout_bench ] && echo never > "$BENCH_KERNEL_ROOT/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
r=1
while [ $r -le "$runs" ]; do
	ns=$((NS_BASE + r))
	case $p$kind in
	pageout_bench) echo "PTB bench size=$size fill=$fill threads=$threads reclaim=$reclaim run=$r ns=$ns pages=16384 swpout=0 swpout_zero=16384 swpout_fallback=0 split=0 pglazyfreed=16384 fault_ok=1" ;;
	mremap_bench) echo "PTB mremap_bench size=$size fill=zero run=$r mib=64 moves=8 offset_kib=$off ns=$ns mremap=0 fault_ok=1 thp_split_pmd=0" ;;
	mremap_bench--realloc) echo "PTB mremap_realloc size=4K run=$r maps=256 ns=$ns calls=1536 moved_calls=1536 bad_pages=0 mremap=0" ;;
	mprotect_bench) echo "PTB mprotect_bench size=$size mib=64 rounds=40 run=$r ns=$ns calls=80 ns_per_call=1 fault_ok=1 pte_mapped=1 mprotect=0" ;;
	mprotect_bench--uffd-wp) echo "PTB mprotect_uffd_wp size=64K mib=64 rounds=40 run=$r ns=$ns calls=80 ns_per_call=1 fault_ok=1 pte_mapped=1 ioctl=0" ;;
	mprotect_bench--small)
		for l in 4K 16K 64K 400K 4M; do
			echo "PTB mprotect_small len=$l run=$r calls=2000 ns=1 ns_per_call=$((ns / 1000)) bad_pages=0 mprotect=0"
		done ;;
	esac
	r=$((r + 1))
done
EOF
chmod +x "$tool/bin/stand-in"
for p in pageout_bench mremap_bench mprotect_bench; do
	ln -s stand-in "$tool/bin/$p"
done

# machine ROOT SWAP_FREE_KB [cgroup2]: a /sys and /proc with the mTHP
# controls of 16K, 64K and 2M, SWAP_FREE_KB of free swap
machine() {
	local m=$1 s
	for s in 16 64 2048; do
		mkdir -p "$m/sys/kernel/mm/transparent_hugepage/hugepages-${s}kB"
		echo "always inherit [madvise] never" > "$m/sys/kernel/mm/transparent_hugepage/hugepages-${s}kB/enabled"
	done
	echo "[always] madvise never" > "$m/sys/kernel/mm/transparent_hugepage/enabled"
	mkdir -p "$m/proc"
	printf 'MemTotal: 1000000 kB\nSwapFree: %s kB\n' "$2" > "$m/proc/meminfo"
	: > "$m/proc/mounts"
	case "${3:-}" in
	cgroup2|cgroup2-nomem)
		echo "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0" > "$m/proc/mounts"
		mkdir -p "$m/sys/fs/cgroup"
		echo "cpuset cpu io$([ "$3" = cgroup2 ] && echo ' memory') pids" \
			> "$m/sys/fs/cgroup/cgroup.controllers" ;;
	esac
	return 0
}

bk() { BENCH_KERNEL_ROOT=$root sh "$tool/bench-kernel" "$@"; }
opts=(--sizes "4K 64K 2M" --mib 64 --runs 3)

# check: no swap, no 32K control
root=$tmp/poor
machine "$root" 1024
bk check "${opts[@]}" > "$tmp/out" 2>&1
st=$?
check "check: a machine without enough swap: exit 2" [ $st = 2 ]
check "check: ... naming the free swap and what --mib needs" \
	grep -qF 'missing: swap: 1 MiB free, --mib 64 needs 64 MiB' "$tmp/out"
bk check --sizes "32K" --mib 64 > "$tmp/out" 2>&1
check "check: a size without its mTHP control is named" \
	grep -qF 'missing: folio size 32K: ' "$tmp/out"
bk run "${opts[@]}" --out "$tmp/never.log" > "$tmp/out" 2>&1
st=$?
check "run: refuses such a machine (exit 2) and runs nothing" \
	eval '[ $st = 2 ] && [ ! -e "$tmp/never.log" ]'
bk check --sizes 3K > "$tmp/out" 2>&1
st=$?
check "check: an unknown size is a bad argument (exit 2), named" \
	eval '[ $st = 2 ] && grep -q "3K.* is not a folio size" "$tmp/out"'

# bad arguments: exit 2, the problem named
for c in "frobnicate:unknown command 'frobnicate'" \
	 "run --bogus:unknown option '--bogus'" \
	 "run --mib 0:--mib takes a positive number, not '0'" \
	 "run --runs:option --runs needs a value" \
	 "check extra:unexpected argument 'extra'" \
	 ":no command: check, run or compare"; do
	# shellcheck disable=SC2086
	bk ${c%%:*} > "$tmp/out" 2>&1
	st=$?
	check "bad arguments: '${c%%:*}': exit 2, '${c#*:}'" \
		eval '[ $st = 2 ] && grep -qF -e "${c#*:}" "$tmp/out"'
done

# run on a machine that has it all, vanilla (2 ms) then patched (1 ms)
root=$tmp/rich
machine "$root" 1048576 cgroup2
# an EROFS mount's clean file (bench-kernel looks for the path only)
mkdir -p "$root/erofs"
: > "$root/erofs/pages"
bk check "${opts[@]}" > "$tmp/out" 2>&1
st=$?
check "check: a machine with swap and the mTHP controls passes, saying so" \
	eval '[ $st = 0 ] && grep -q "has what run needs for sizes 4K 64K 2M, 64 MiB" "$tmp/out"'
NS_BASE=2000000 bk run "${opts[@]}" --out "$tmp/vanilla.log" > "$tmp/out" 2>&1
st=$?
check "run: exit 0 when every program succeeds" [ $st = 0 ]
check "run: the header records the options" \
	grep -q '^PTB bench-kernel release=.* sizes=4K,64K,2M mib=64 runs=3 memcg=yes$' "$tmp/vanilla.log"
check "run: each program is reported as the guests' init does" \
	grep -qx 'PTB exit cmd=/bin/pageout_bench:--size,64K,--mib,64,--runs,3,--fill,zero status=0 seconds=[0-9.]*' "$tmp/vanilla.log"
check "run: the plan is the guests' plan (bench-plan.sh) and the deferred-flush rows" \
	[ "$(grep -c '^PTB run ' "$tmp/vanilla.log")" = \
	  "$(sizes="4K 64K 2M" mib=64 sh -c '. "$0"; benchmark_plan 3; deferred_plan 3' "$tool/bench-plan.sh" | wc -l)" ]
check "run: ... with a second thread at 64K and 2M" \
	[ "$(grep -c '^PTB run cmd=/bin/pageout_bench:.*--peer-thread$' "$tmp/vanilla.log")" = 2 ]
check "run: the clean-file rows run with /erofs/pages" \
	grep -q 'cmd=/bin/pageout_bench:.*--fill,erofs' "$tmp/vanilla.log"
check "run: the memory.reclaim rows run with cgroup2" \
	grep -q 'cmd=/bin/pageout_bench:.*--reclaim,memcg' "$tmp/vanilla.log"
check "run: ends with PTB done status=0" grep -qx 'PTB done status=0' "$tmp/vanilla.log"
# (a file, not sysfs: what was written back is all it holds)
check "run: the THP setting a program changed is put back" \
	grep -qx 'madvise' "$root/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"
NS_BASE=1000000 bk run "${opts[@]}" --out "$tmp/patched.log" > "$tmp/out" 2>&1

bk compare "$tmp/vanilla.log" "$tmp/patched.log" --out "$tmp/report" > "$tmp/out" 2>&1
st=$?
check "compare: exit 0 on two good runs" [ $st = 0 ]
check "compare: vanilla/patched of the medians into ratios.csv" \
	grep -qE '^icount,(x86|arm64),64K,zero,2000001,2000002,1000001,1000002,2.0000,3,3$' "$tmp/report/ratios.csv"
check "compare: the report names the machine's wall-clock time" \
	grep -q '^### Wall-clock time of the machine (bench-kernel)' "$tmp/report/report.md"
check "compare: ... with the memory.reclaim, mremap() and mprotect() rows" \
	grep -q '| 2M | zero+memcg |' "$tmp/report/report.md"
check "compare: ... and the deferred-flush rows (zero+thread)" \
	grep -qE '^icount,(x86|arm64),2M,zero\+thread,2000001,2000002,1000001,1000002,2.0000,3,3$' "$tmp/report/ratios.csv"
check "compare: ... and no correctness section" \
	bash -c '! grep -q "Correctness" "$0"' "$tmp/report/report.md"

# compare's refusals
sed 's/ mib=64 / mib=128 /' "$tmp/patched.log" > "$tmp/other-mib.log"
bk compare "$tmp/vanilla.log" "$tmp/other-mib.log" --out "$tmp/r2" > "$tmp/out" 2>&1
st=$?
check "compare: runs with other options are refused (exit 1), naming the option" \
	eval '[ $st = 1 ] && grep -qF "the two runs differ in mib (64 vs 128)" "$tmp/out"'
grep -v '^PTB done' "$tmp/patched.log" > "$tmp/unfinished.log"
bk compare "$tmp/vanilla.log" "$tmp/unfinished.log" > "$tmp/out" 2>&1
check "compare: an unfinished run is refused" \
	grep -qF "is from a run that did not finish or had failures" "$tmp/out"
bk compare "$tmp/vanilla.log" "$tool/bench-plan.sh" > "$tmp/out" 2>&1
check "compare: a file that is not a result file is refused" \
	grep -qF "is not a bench-kernel result file" "$tmp/out"
bk compare "$tmp/vanilla.log" > "$tmp/out" 2>&1
check "compare: one file is a bad argument" grep -qF 'compare takes two result files' "$tmp/out"

# a program that fails
FAIL_PROG=mremap_bench NS_BASE=1 bk run "${opts[@]}" --out "$tmp/failed.log" > "$tmp/out" 2>&1
st=$?
check "run: a failing program fails the run (exit 1), pointing at the file" \
	eval '[ $st = 1 ] && grep -qF "benchmark programs failed: see the lines" "$tmp/out"'
check "run: ... and the file says so (PTB done status=1)" \
	grep -qx 'PTB done status=1' "$tmp/failed.log"

# without cgroup2: the memory.reclaim rows are left out, saying so
root=$tmp/nocg
machine "$root" 1048576
NS_BASE=1 bk run "${opts[@]}" --out "$tmp/nocg.log" > "$tmp/out" 2>&1
check "run: without cgroup2 the memory.reclaim rows are left out, saying so" \
	eval 'grep -qF "no cgroup2 mount: the memory.reclaim rows are left out" "$tmp/out" &&
	      ! grep -q "reclaim,memcg" "$tmp/nocg.log"'
check "run: without /erofs/pages the clean-file rows are left out, saying so" \
	eval 'grep -qF "no /erofs/pages: the clean-file rows are left out" "$tmp/out" &&
	      ! grep -q "fill,erofs" "$tmp/nocg.log"'

# cgroup2 without the memory controller (a hybrid v1/v2 machine): the same
root=$tmp/nomem
machine "$root" 1048576 cgroup2-nomem
NS_BASE=1 bk run "${opts[@]}" --out "$tmp/nomem.log" > "$tmp/out" 2>&1
check "run: a cgroup2 hierarchy without the memory controller leaves the memory.reclaim rows out, saying so" \
	eval 'grep -qF "has no memory controller" "$tmp/out" && ! grep -q "reclaim,memcg" "$tmp/nomem.log"'

tap_done
