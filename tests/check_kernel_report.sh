#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kernel/report.pl on made-up guest logs (no kernel, no qemu). TAP.
#
#  - a retried program that passes on a later attempt passes, and the report
#    lists the failed attempt with the first error line it printed;
#  - one that fails on every attempt fails the report, naming it;
#  - profile.md lists functions by the larger self time, largest first.
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

tap_done
