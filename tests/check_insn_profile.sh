#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The per-function instruction profile of make kernel-test's profile mode,
# without a kernel. TAP.
#
#  - tests/kernel/plugin/ptb-insnprof.c builds warning-free, and qemu (if
#    installed) refuses it with a message naming a bad or missing argument;
#  - tests/kernel/insn-profile.pl on made-up System.maps, window files and
#    boot logs: each instruction's count goes to the function it lies in
#    (the last text symbol at or below it, data symbols skipped), per 4K
#    page of the run, vanilla and patched side by side, the functions that
#    differ most first, no more than --top; a function only one kernel
#    runs has 0 on the other side;
#  - a run with a second thread is labelled threads=2, its total said to
#    count that thread's kernel work;
#  - it refuses, naming the problem: windows that do not pair with the
#    runs, runs of different plans, a missing System.map, a window line
#    that is not "ADDRESS COUNT", bad arguments.
set -u

srcdir=${srcdir:-.}
srcdir=$(cd "$srcdir" && pwd)
ip=$srcdir/tests/kernel/insn-profile.pl
plugin_src=$srcdir/tests/kernel/plugin/ptb-insnprof.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/tap.sh
. "$srcdir/tests/tap.sh"

# --- the plugin ----------------------------------------------------------------
check "ptb-insnprof.c builds with -Wall -Wextra -Werror" \
	gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$tmp/ptb-insnprof.so" "$plugin_src"
# qemu_refuses ARGS PATTERN: qemu exits non-zero, its message matching PATTERN
qemu_refuses() {
	timeout 600 qemu-system-x86_64 -M none -display none -nodefaults \
		-plugin "file=$tmp/ptb-insnprof.so$1" > "$tmp/qemu.out" 2>&1 < /dev/null &&
		return 1
	grep -qE "$2" "$tmp/qemu.out"
}
if command -v qemu-system-x86_64 > /dev/null && [ -f "$tmp/ptb-insnprof.so" ]; then
	check "qemu refuses the plugin without out=" \
		qemu_refuses "" "ptb-insnprof: out=PREFIX is required"
	check "qemu refuses the plugin with an unknown argument" \
		qemu_refuses ",out=$tmp/w,bogus=1" 'ptb-insnprof: bad argument "bogus=1": unknown'
	check "qemu refuses the plugin with slots= not a number" \
		qemu_refuses ",out=$tmp/w,slots=many" 'bad argument "slots=many": not a number'
else
	for w in "without out=" "with an unknown argument" "with slots= not a number"; do
		n=$((n + 1)); echo "ok $n # SKIP qemu refuses the plugin $w: no qemu-system-x86_64"
	done
fi

# --- insn-profile.pl -------------------------------------------------------------
# System.map: text symbols f_a, f_b, f_c (t), f_d (W); a data symbol (D)
# between f_b and f_c that must not take f_b's instructions
mkmap() {
	cat << EOF
ffff800080000000 T _text
ffff800080001000 T f_a
ffff800080001100 T f_b
ffff800080001180 D some_data
ffff800080001200 t f_c
ffff800080001300 W f_d
EOF
}
# bench LINE for SIZE FILL PAGES
bench() {
	echo "PTB bench size=$1 fill=$2 threads=1 reclaim=madvise run=1 ns=1000 pages=$3 swpout=na"
}
k=$tmp/k
mkdir -p "$k"
mkmap > "$k/v.map"
mkmap > "$k/p.map"
{ echo "PTB init"; bench 4K zero 4; bench 64K zero 4; echo "PTB done status=0"; } > "$k/v.log"
cp "$k/v.log" "$k/p.log"
# run 1, 4 pages: vanilla f_a 400, f_b 80 (two addresses), f_c 40;
# patched f_a 400, f_b 8, f_c 40, f_d 12
printf '%s\n' "ffff800080001000 200" "ffff800080001010 200" \
	"ffff800080001100 40" "ffff8000800011a0 40" "ffff800080001200 40" > "$k/v.1"
printf '%s\n' "ffff800080001000 400" "ffff800080001104 8" \
	"ffff800080001200 40" "ffff800080001300 12" > "$k/p.1"
# run 2: the same in both
printf '%s\n' "ffff800080001000 4" > "$k/v.2"
printf '%s\n' "ffff800080001000 4" > "$k/p.2"

runip() {
	perl "$ip" --arch arm64 --out "$k/out.md" \
		--vanilla "$k/v.map,$k/v.log,$k/v" --patched "$k/p.map,$k/p.log,$k/p" "$@" \
		> "$k/stdout" 2> "$k/stderr"
}
check "insn-profile: made-up windows" runip
check "insn-profile: ... totals per page: 130 -> 115, vanilla/patched 1.1304x" \
	grep -qF '### 4K zero reclaim=madvise (4 pages): 130.0 -> 115.0 instructions per page (-15.0), vanilla/patched 1.1304x' "$k/out.md"
check "insn-profile: ... f_b (a data symbol inside it) 20 -> 2, first" \
	bash -c "grep '^| f_' '$k/out.md' | head -n 1 | grep -qxF '| f_b | 20.00 | 2.00 | -18.00 |'"
check "insn-profile: ... f_d, only in the patched kernel, 0 -> 3, second" \
	bash -c "grep '^| f_' '$k/out.md' | sed -n 2p | grep -qxF '| f_d | 0.00 | 3.00 | +3.00 |'"
check "insn-profile: ... unchanged functions last, by name" \
	bash -c "grep '^| f_' '$k/out.md' | sed -n '3p;4p' | tr '\n' ' ' | grep -qxF '| f_a | 100.00 | 100.00 | +0.00 | | f_c | 10.00 | 10.00 | +0.00 | '"
check "insn-profile: ... the second run has its own section" \
	grep -qF '### 64K zero reclaim=madvise (4 pages): 1.0 -> 1.0 instructions per page (+0.0), vanilla/patched 1.0000x' "$k/out.md"
check "insn-profile: --top 1 keeps one function per run" runip --top 1
check "insn-profile: ... (two rows in all)" \
	test "$(grep -c '^| f_' "$k/out.md")" = 2

# refuse WHAT STATUS PATTERN ARGS...: runip ARGS exits STATUS, saying PATTERN
refuse() {
	local what=$1 status=$2 pattern=$3 rc
	shift 3
	runip "$@"
	rc=$?
	if [ "$rc" = "$status" ] && grep -qE -- "$pattern" "$k/stderr"; then
		ok "insn-profile refuses $what"
	else
		not_ok "insn-profile refuses $what (exit $rc: $(head -c 300 "$k/stderr"))"
	fi
}
mv "$k/p.2" "$k/p.2.away"
refuse "a window short of the runs" 1 'patched: 2 runs in .*p.log but 1 window files .*/p.N: cannot pair them'
mv "$k/p.2.away" "$k/p.2"
{ echo "PTB init"; bench 4K zero 4; bench 64K lazyfree 4; } > "$k/p.log"
refuse "runs of different plans" 1 "run 2: vanilla ran '64K zero reclaim=madvise' \(4 pages\), patched '64K lazyfree reclaim=madvise' \(4 pages\): not the same plan"
cp "$k/v.log" "$k/p.log"
echo "ffff800080001000 many" >> "$k/p.1"
refuse "a window line that is not ADDRESS COUNT" 1 "p.1 line 5: not 'ADDRESS COUNT'"
refuse "a missing System.map" 1 "vanilla: no System.map '$k/none.map'" \
	--vanilla "$k/none.map,$k/v.log,$k/v"
refuse "--top 0" 2 "--top must be a positive number, not '0'" --top 0
refuse "a kernel given as two fields" 2 "--patched must be MAP,LOG,PREFIX, not '$k/p.map,$k/p.log'" \
	--patched "$k/p.map,$k/p.log"
check "insn-profile refuses no --out" bash -c "perl '$ip' --arch x86 --vanilla a,b,c --patched a,b,c 2>&1 | grep -qF -- '--out is required'"

# a run with a second thread (threads=2): labelled, and its total said to
# count the peer's kernel work too
w=$tmp/w
mkdir -p "$w"
mkmap > "$w/v.map"
cp "$w/v.map" "$w/p.map"
{ echo "PTB init"; bench 64K zero 4 | sed 's/threads=1/threads=2/'; } > "$w/v.log"
cp "$w/v.log" "$w/p.log"
printf '%s\n' "ffff800080001000 400" "ffff800080001100 200" > "$w/v.1"
printf '%s\n' "ffff800080001000 200" "ffff800080001104 600" > "$w/p.1"
check "insn-profile: a run with a second thread" \
	perl "$ip" --arch x86 --out "$w/out.md" \
		--vanilla "$w/v.map,$w/v.log,$w/v" --patched "$w/p.map,$w/p.log,$w/p"
check "insn-profile: ... labelled threads=2: 150 -> 200, 0.7500x" \
	grep -qF '### 64K zero reclaim=madvise threads=2 (4 pages): 150.0 -> 200.0 instructions per page (+50.0), vanilla/patched 0.7500x' "$w/out.md"
check "insn-profile: ... and its total said to count the second thread's work" \
	grep -qF "counts that thread's kernel" "$w/out.md"
check "insn-profile: ... which a run of one thread does not say" \
	bash -c "! grep -q \"that thread's kernel\" '$k/out.md'"

tap_done
