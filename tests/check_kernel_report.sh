#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kernel/report.pl on made-up guest logs (no kernel, no qemu). TAP.
#
#  - a retried program that passes on a later attempt passes, and the report
#    lists the failed attempt with the first error line it printed;
#  - one that fails on every attempt fails the report, naming it;
#  - profile.md lists functions by the larger self time, largest first;
#  - the mremap() and mprotect() tables: vanilla/patched of the medians per
#    row into the CSV and the plot data, a failed call or a missing row
#    named as a failure; MADV_PAGEOUT runs with a peer thread, and
#    memory.reclaim runs, get rows of their own;
#  - TLB invalidations per folio (the ptb-tlbcount plugin's lines) against
#    the model's costs: arm64 64K 17 -> 1 and 2M 545 -> 2 agree; a patched
#    count below the model or far above it, and a run without a count,
#    fail the report, naming the row.
set -u

srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
report=$srcdir/tests/kernel/report.pl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/tap.sh
. "$srcdir/tests/tap.sh"

# run_report OUT MODE: report.pl on OUT/results, x86 only
run_report() {
	perl "$report" --out "$1" --arches x86 --mode "$2" --kunit yes \
		--profile no --version 6.12.117 --sizes "4K 64K" --mib 64 \
		--host-khz 2000000 > "$1/stdout" 2> "$1/stderr"
}

# debug_log LAST_STATUS: a patched debug log whose uffd-unit-tests fails
# its first attempt, then ends with LAST_STATUS on the second
debug_log() {
	cat << EOF
[    0.40]     # Subtest: pte_batch
[    0.50]     # pb_run_case: pass:10 fail:0 skip:0 total:10
[    0.50] ok 1 pte_batch
PTB run cmd=/selftests/uffd-unit-tests attempt=1
Testing events on anon... ERROR: UFFDIO_COPY error: -2 (errno=2, @uffd-common.c:617)
PTB exit cmd=/selftests/uffd-unit-tests status=1 seconds=1.0 attempt=1
PTB run cmd=/selftests/uffd-unit-tests attempt=2
PTB exit cmd=/selftests/uffd-unit-tests status=$1 seconds=1.0 attempt=2
PTB dmesg bad_lines=0
PTB done status=$1
EOF
}

out=$tmp/retry-passes
mkdir -p "$out/results"
debug_log 0 > "$out/results/x86-patched-debug.log"
check "report: a program passing on its second attempt passes" run_report "$out" quick
check "report: ... and the table names the failed attempt and its error" \
	grep -qF 'attempt 1 of 2: exit 1 (Testing events on anon... ERROR: UFFDIO_COPY error: -2)' "$out/report.md"
check "report: ... and lists it under the retried programs" \
	grep -qF '* x86 patched: `/selftests/uffd-unit-tests` attempt 1 exits 1' "$out/report.md"

out=$tmp/retry-fails
mkdir -p "$out/results"
debug_log 1 > "$out/results/x86-patched-debug.log"
if run_report "$out" quick; then
	not_ok "report: a program failing every attempt fails the report: exit 0"
else
	check "report: a program failing every attempt fails the report, naming it" \
		grep -q 'uffd-unit-tests exits 1' "$out/stderr"
fi

# profile: function b has the larger time in vanilla, a in patched, c is
# small in both; the table must read a (9), b (7), c (1)
out=$tmp/profile
mkdir -p "$out/results"
for k in vanilla patched; do
	case $k in vanilla) a=2 b=7 ;; patched) a=9 b=3 ;; esac
	cat > "$out/results/x86-$k-profile.log" << EOF
PTB run cmd=/bin/pageout_bench:--size,64K
PTB profile size=64K run=1 rank=1 func=c hits=1 self_us=1000.000
PTB profile size=64K run=1 rank=2 func=b hits=1 self_us=${b}000.000
PTB profile size=64K run=1 rank=3 func=a hits=1 self_us=${a}000.000
PTB profile-total size=64K run=1 functions=3 self_us=20000.000
PTB exit cmd=/bin/pageout_bench:--size,64K status=0 seconds=0.1
PTB done status=0
EOF
done
check "report: profile mode on two finished logs" run_report "$out" profile
order=$(sed -n 's/^| \([abc]\) |.*/\1/p' "$out/profile.md" 2>/dev/null | tr -d '\n')
if [ "$order" = abc ]; then
	ok "report: profile.md lists functions by the larger self time"
else
	not_ok "report: profile.md lists functions by the larger self time (order '$order', not 'abc')"
fi

# call sites: vanilla times twice the patched ones (ratio 2.0000), except
# mprotect at 4K where patched is slower (0.5000); the patched kernel's
# mprotect_small run of 400K has a failed call and its 4M row is missing
callsite_log() {
	local k=$1 t=$2 t4=$3 m r
	for r in 1 2 3; do
		m=$((t + r))
		echo "PTB mremap_bench size=64K fill=zero run=$r mib=64 moves=8 offset_kib=1024 ns=$m mremap=0 fault_ok=1 thp_split_pmd=0"
		echo "PTB mremap_bench size=64K fill=zero run=$r mib=64 moves=8 offset_kib=0 ns=$m mremap=0 fault_ok=1 thp_split_pmd=0"
		echo "PTB mremap_realloc size=4K run=$r maps=256 ns=$m calls=1536 moved_calls=1536 bad_pages=0 mremap=0"
		echo "PTB mprotect_bench size=64K mib=64 rounds=40 run=$r ns=$m calls=80 ns_per_call=1 fault_ok=1 pte_mapped=1 mprotect=0"
		echo "PTB mprotect_bench size=4K mib=64 rounds=40 run=$r ns=$((t4 + r)) calls=80 ns_per_call=1 fault_ok=1 pte_mapped=1 mprotect=0"
		echo "PTB mprotect_uffd_wp size=64K mib=64 rounds=40 run=$r ns=$m calls=80 ns_per_call=1 fault_ok=1 pte_mapped=1 ioctl=0"
		echo "PTB bench size=64K fill=zero threads=2 run=$r ns=$m swpout_zero=16384 swpout_fallback=0 split=0"
		echo "PTB bench size=64K fill=zero threads=1 reclaim=memcg run=$r ns=$m swpout_zero=16384 swpout_fallback=0 split=0"
		echo "PTB bench size=64K fill=erofs threads=1 run=$r ns=$m dropped=16384 fault_fallback=3 split=0"
		for l in 4K 16K 64K 400K 4M; do
			[ "$k-$l" = patched-4M ] && continue
			echo "PTB mprotect_small len=$l run=$r calls=2000 ns=1 ns_per_call=$((t / 1000)) bad_pages=0 mprotect=$([ "$k-$l-$r" = patched-400K-2 ] && echo EPERM || echo 0)"
		done
	done
	echo "PTB exit cmd=/bin/mremap_bench:--size,64K status=0 seconds=1.0"
	echo "PTB exit cmd=/bin/mprotect_bench:--small status=0 seconds=1.0"
	echo "PTB done status=0"
}
out=$tmp/callsites
mkdir -p "$out/results"
callsite_log vanilla 2000000 1000000 > "$out/results/x86-vanilla-icount.log"
callsite_log patched 1000000 2000000 > "$out/results/x86-patched-icount.log"
run_report "$out" full
check "report: mremap 64K row, ratio 2 in the CSV" \
	grep -qx 'x86,move,64K,1024,2000001,2000002,1000001,1000002,2.0000,3,3' "$out/mremap-ratios.csv"
check "report: mremap control and realloc rows in the CSV" \
	grep -qx 'x86,realloc,4K,,2000001,2000002,1000001,1000002,2.0000,3,3' "$out/mremap-ratios.csv"
check "report: mprotect 4K row, ratio 0.5 in the CSV" \
	grep -qx 'x86,mprotect,4K,1000001,1000002,2000001,2000002,0.5000,3,3' "$out/mprotect-ratios.csv"
check "report: the uffd-wp row in the plot data" \
	awk '$1 == "x86-uffd-wp-64K" && $2 > 1.999 && $2 < 2.001 { f = 1 } END { exit !f }' \
	"$out/mprotect-ratios.dat"
check "report: the small-call rows in ns per call, ratio 2" \
	grep -qx 'x86,small,16K,2000000000,2000000000,1000000000,1000000000,2.0000,3,3' "$out/mprotect-ratios.csv"
check "report: MADV_PAGEOUT with a peer thread is a zero+thread row" \
	grep -qx 'icount,x86,64K,zero+thread,2000001,2000002,1000001,1000002,2.0000,3,3' "$out/ratios.csv"
check "report: ... and the table explains such rows" \
	grep -q '^zero+thread: zero fill' "$out/report.md"
check "report: MADV_PAGEOUT of the clean EROFS file is an erofs row" \
	grep -qx 'icount,x86,64K,erofs,2000001,2000002,1000001,1000002,2.0000,3,3' "$out/ratios.csv"
check "report: ... showing the pages dropped and the folios of other sizes" \
	grep -q '^| x86 | 64K | erofs | .* | 16384/3/0 |$' "$out/report.md"
check "report: memory.reclaim runs are a zero+memcg row" \
	grep -qx 'icount,x86,64K,zero+memcg,2000001,2000002,1000001,1000002,2.0000,3,3' "$out/ratios.csv"
check "report: ... and the table explains such rows" \
	grep -q '^zero+memcg: zero fill' "$out/report.md"
check "report: a failed small mprotect() call is named" \
	grep -qF 'x86 patched: mprotect_small 400K run 2: 0 bad pages, mprotect=EPERM' "$out/stderr"
check "report: a missing row is named" \
	grep -qF 'x86 icount mprotect small 4M: no results' "$out/stderr"

# TLB counts: arm64, 64 MiB, 1024 64K folios and 32 2M folios per run
costs=$tmp/model-costs.txt
cat > "$costs" << 'EOF'
arm64, one 64K batch: detect 1 reads (17 raw), clear 16 + 1 flush, 16 swap PTEs
arch   folio                      path      reads   raw write clear tlbiP tlbiR  rPgs defer fold unfd
arm64  64K anon, sync flush       batched       3    67    16    16     0     1    16     0    0    0
arm64  64K anon, sync flush       per-PTE      48   128    32    32    16     1    16     0    0    1
arm64  64K anon, deferred flush   batched       3    67    16    16     0     1    16     1    0    0
arm64  64K anon, deferred flush   per-PTE      48   128    32    32    16     1    16    16    0    1
arm64  2M anon, sync flush        batched      34  1090   512   512     0     1   512     0    0    0
arm64  2M anon, sync flush        per-PTE    1536  4096  1024  1024   512    32   512     0    0   32
arm64  64K anon, sync flush       swap cluster locks: batched 1, per-PTE 16
EOF
# tlb_log T64 T2M [T2M of run 1, "none": no window]: TLBIs of each run's window
# (qemu can print a window's count after the console line of the next
# run: each bench line here comes after the next window's count)
tlb_log_whole() {
	local r t
	echo "PTB tlbcount window=1 arch=aarch64 vcpu=0 tlbi=$1 tlbi_range=1024 dsb=9 dsb_ish=1030 isb=3"
	for r in 1 2 3; do
		t=$1
		[ "$r" = 1 ] && [ -n "${3:-}" ] && t=$3
		[ "$t" = none ] ||
			echo "PTB tlbcount window=$((2 * r)) arch=aarch64 vcpu=0 tlbi=$2 tlbi_range=32 dsb=9 dsb_ish=40 isb=3"
		echo "PTB bench size=64K fill=zero threads=1 run=$r ns=$((2000000 + r)) pages=16384 swpout_zero=16384 swpout_fallback=0 split=0"
		[ $r = 3 ] ||
			echo "PTB tlbcount window=$((2 * r + 1)) arch=aarch64 vcpu=0 tlbi=$1 tlbi_range=1024 dsb=9 dsb_ish=1030 isb=3"
		echo "PTB bench size=2M fill=zero threads=1 run=$r ns=$((4000000 + r)) pages=16384 swpout_zero=16384 swpout_fallback=0 split=0"
	done
	echo "PTB exit cmd=/bin/pageout_bench:--size,64K status=0 seconds=1.0"
	echo "PTB done status=0"
}
tlb_log() { tlb_log_whole "$@"; }
# tlb_report NAME PATCHED_ARGS...: vanilla 17 and 545 per folio (+ 3 of
# other kernel work in each window), patched as given
tlb_report() {
	out=$tmp/$1
	shift
	mkdir -p "$out/results"
	tlb_log 17411 17443 > "$out/results/arm64-vanilla-icount.log"
	tlb_log "$@" > "$out/results/arm64-patched-icount.log"
	case $out in
	*/tlb-file*)
		tlb_log_whole 17411 17443 | grep '^PTB tlbcount' > "$out/results/arm64-vanilla-icount.tlb"
		tlb_log_whole "$@" | grep '^PTB tlbcount' > "$out/results/arm64-patched-icount.tlb" ;;
	esac
	perl "$report" --out "$out" --arches arm64 --mode full --kunit no \
		--profile no --version 6.12.117 --sizes "64K 2M" --mib 64 \
		--host-khz 2000000 --costs "$costs" > "$out/stdout" 2> "$out/stderr"
}
# absent PATTERN FILE: FILE has no line with PATTERN
absent() { ! grep -q "$1" "$2"; }
tlb_report tlb-agree 1027 67
check "report: TLB counts per folio beside the model's, 64K" \
	grep -qx 'arm64,64K,zero,17.0029,1.0029,17,1' "$out/tlb-counts.csv"
check "report: ... and 2M, the PMD split's flush included" \
	grep -qx 'arm64,2M,zero,545.0938,2.0938,545,2' "$out/tlb-counts.csv"
check "report: ... and the table shows DSB ISH per folio" \
	grep -q '^| arm64 | 64K | zero | 17.00 | 1.00 | 17 | 1 | 1.01 | 1.01 |' "$out/report.md"
check "report: ... and counts that agree fail nothing" \
	absent 'TLB invalidations per folio' "$out/stderr"
tlb_report tlb-below 1027 33
check "report: a patched 2M count below the model fails, naming the row" \
	grep -qF 'arm64 icount 2M zero: patched kernel 1.03 TLB invalidations per folio, the model says 2' "$out/stderr"
tlb_report tlb-above 16411 67
check "report: a patched 64K count of one TLBI per page fails" \
	grep -qF 'arm64 icount 64K zero: patched kernel 16.03 TLB invalidations per folio, the model says 1' "$out/stderr"
tlb_report tlb-missing 1027 67 none
check "report: a run without a plugin count fails, saying so" \
	grep -qF 'arm64 patched icount: 5 ptb-tlbcount windows for 6 MADV_PAGEOUT runs: cannot pair them' "$out/stderr"
# qemu printed a window's count in the middle of the guest's console line:
# window 4 cuts run 2's 64K bench line in two
tlb_log() { tlb_log_whole "$@" | perl -0pe 's/(PTB tlbcount window=4 [^\n]*\n)(PTB bench size=64K fill=zero threads=1 run=2 ns=\d+ pages=16384 )/$2$1/'; }
tlb_report tlb-cut 1027 67
check "report: a count printed inside a console line ... is still window 4" \
	grep -qx 'arm64,64K,zero,17.0029,1.0029,17,1' "$out/tlb-counts.csv"
check "report: ... and the line it cut is read whole (the same report)" \
	cmp -s "$tmp/tlb-agree/report.md" "$out/report.md"
check "report: ... (the made-up log does have the cut)" \
	grep -q 'pages=16384 PTB tlbcount window=4 ' "$out/results/arm64-patched-icount.log"
# make kernel-test's plugin writes its counts to a .tlb file beside the log
tlb_log() { tlb_log_whole "$@" | grep -v '^PTB tlbcount'; }
tlb_report tlb-file 1027 67
check "report: counts in the .tlb file beside the log ... are paired the same" \
	cmp -s "$tmp/tlb-agree/report.md" "$out/report.md"
check "report: ... (the made-up log has no count in it)" \
	absent 'PTB tlbcount' "$out/results/arm64-patched-icount.log"
tlb_report tlb-file-missing 1027 67 none
check "report: ... and a window missing from the file fails, saying so" \
	grep -qF 'arm64 patched icount: 5 ptb-tlbcount windows for 6 MADV_PAGEOUT runs: cannot pair them' "$out/stderr"
if perl "$report" --out "$out" --arches arm64 --mode full --costs /dev/null > /dev/null 2>&1; then
	not_ok "report: a --costs file without cost rows is refused: exit 0"
else
	ok "report: a --costs file without cost rows is refused"
fi

tap_done
