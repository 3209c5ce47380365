#!/bin/bash
# make bench: run the bench program of each backend (unmap costs and time,
# then helper speeds), merge their Markdown and CSV, and plot the
# batched/per-PTE ratios with gnuplot.
#
# Usage: bench.sh --out DIR --srcdir DIR --x86 PROG --arm64 PROG
#                 [--gnuplot PROG] [-- BENCH OPTIONS...]
set -e
set -o pipefail

usage() {
	sed -n '2,7s/^# \{0,1\}//p' "$0"
	exit "${1:-2}"
}

out= srcdir=. x86= arm64= gnuplot=gnuplot
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--srcdir) srcdir=$2; shift 2 ;;
	--x86) x86=$2; shift 2 ;;
	--arm64) arm64=$2; shift 2 ;;
	--gnuplot) gnuplot=$2; shift 2 ;;
	--help) usage 0 ;;
	--) shift; break ;;
	*) echo "bench.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$out" ] && [ -x "$x86" ] && [ -x "$arm64" ] || usage
[ -n "$gnuplot" ] || gnuplot=gnuplot

mkdir -p "$out"
md=$out/bench.md
csv=$out/bench.csv
hcsv=$out/bench-helpers.csv
dat=$out/bench-ratios.dat
png=$out/bench-ratios.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
host="${cpu:-$(uname -m)}, $(nproc 2>/dev/null || echo '?') CPUs, Linux $(uname -r)"

echo "bench: unmap costs and time, x86 then arm64 ..." >&2
"$x86" --csv "$csv" --ratios "$dat" "$@" > "$tmp/unmap.md"
"$arm64" --append --csv "$csv" --ratios "$dat" "$@" >> "$tmp/unmap.md"
echo "bench: helper speed ..." >&2
"$x86" --helpers --csv "$hcsv" "$@" > "$tmp/helpers.md"
"$arm64" --helpers --append --csv "$hcsv" "$@" >> "$tmp/helpers.md"

plot=
if command -v "$gnuplot" >/dev/null 2>&1; then
	"$gnuplot" -e "datafile='$dat'; outfile='$png'" \
		"$srcdir/tests/bench/ratios.gp"
	plot=yes
else
	rm -f "$png"
	echo "bench: '$gnuplot' not found: no plot (Debian: apt-get install gnuplot-nox)" >&2
fi

{
	echo "### Unmapping folios: batched vs 6.12's per-PTE try_to_unmap_one()"
	echo
	echo "Host: $host; $(date -u +%Y-%m-%d)."
	echo
	cat "$tmp/unmap.md"
	if [ -n "$plot" ]; then
		echo
		echo "![batched/per-PTE ratios](bench-ratios.png)"
	fi
	echo
	echo "### Batch detection helpers"
	echo
	cat "$tmp/helpers.md"
} > "$md"

cat "$md"
echo
echo "bench: wrote $md, $csv, $hcsv${plot:+, $png}"
