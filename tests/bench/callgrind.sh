#!/bin/bash
# make bench-callgrind: run each backend's bench program under valgrind
# --tool=callgrind, one dump per unmap and per mremap move (configuration x
# path) and per helper pass, and print instruction counts (Ir) and
# per-PTE/batched ratios, which unlike time are the same on every run.
# Usage: callgrind.sh --out DIR --x86 PROG --arm64 PROG [--valgrind PROG]
#                     [-- BENCH OPTIONS...]  (options for every mode: not
#                     --kind or --deferred, which the moves refuse)
set -e
set -o pipefail

usage() {
	sed -n '2,8s/^# \{0,1\}//p' "$0"
	exit "${1:-2}"
}

out= x86= arm64= valgrind=valgrind
while [ $# -gt 0 ]; do
	case "$1" in
	--out) out=$2; shift 2 ;;
	--x86) x86=$2; shift 2 ;;
	--arm64) arm64=$2; shift 2 ;;
	--valgrind) valgrind=$2; shift 2 ;;
	--help) usage 0 ;;
	--) shift; break ;;
	*) echo "callgrind.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$out" ] && [ -x "$x86" ] && [ -x "$arm64" ] || usage
[ -n "$valgrind" ] || valgrind=valgrind
if ! command -v "$valgrind" >/dev/null 2>&1; then
	echo "callgrind.sh: '$valgrind' not found (Debian: apt-get install valgrind)" >&2
	exit 1
fi

mkdir -p "$out"
md=$out/callgrind.md
csv=$out/callgrind.csv
hcsv=$out/callgrind-helpers.csv
mcsv=$out/callgrind-move.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f "$out"/callgrind-*.out*

# One valgrind run per backend and mode; each dump is one callgrind part,
# named by the client request that triggered it.
for arch in x86 arm64; do
	bin=$x86
	[ "$arch" = arm64 ] && bin=$arm64
	for mode in unmap helpers move move-swapped; do
		prefix=$out/callgrind-$arch-$mode.out
		case $mode in
		unmap) extra= ;;
		helpers) extra=--helpers ;;
		*) extra="--op=$mode --shapes=aligned,misaligned" ;;
		esac
		echo "bench-callgrind: $arch $mode ..." >&2
		if ! "$valgrind" --tool=callgrind --collect-atstart=no \
			--callgrind-out-file="$prefix" \
			"$bin" --callgrind $extra --ptes=2048 "$@" \
			> "$tmp/list" 2> "$tmp/log"; then
			cat "$tmp/log" >&2
			exit 1
		fi
		# the part written at exit holds nothing
		rm -f "$prefix"
		n=1
		while [ -f "$prefix.$n" ]; do
			desc=$(sed -n 's/^desc: Trigger: Client Request: //p' "$prefix.$n")
			ir=$(sed -n 's/^totals: *//p' "$prefix.$n")
			echo "$desc|$ir|$prefix.$n" >> "$tmp/parts"
			n=$((n + 1))
		done
	done
done

awk -F'|' -v csv="$csv" -v hcsv="$hcsv" -v mcsv="$mcsv" '
function target(arch, folio, shape) {
	if (shape != "aligned")
		return ""
	if (arch == "arm64" && folio == "64K")
		return ">= 3"
	if (arch == "x86" && folio == "64K")
		return ">= 1.5"
	if (folio == "4K")
		return ">= 0.98"	# batched <= 1.02x per-PTE
	return ""
}
$2 == "unmap" {
	key = $3 "|" $4 "|" $5
	if (!(key in seen)) {
		seen[key] = 1
		order[++nkeys] = key
	}
	ir[key, $6] = $9
	folios[key] = $7
	ptes[key] = $8
	file[key, $6] = $10
}
$2 == "move" || $2 == "move-swapped" {
	key = $2 "|" $3 "|" $4 "|" $5
	if (!(key in mseen)) {
		mseen[key] = 1
		morder[++nm] = key
	}
	mir[key, $6] = $9
	mptes[key] = $8
}
$2 == "helper" {
	hkey[++nh] = $3 "|" $4
	hir[nh] = $6 / $5
	if ($4 ~ /^raw loads/)
		floor[$3] = hir[nh]
	if ($4 ~ /loop$/)
		loop[$3] = hir[nh]
}
END {
	print "Instructions (callgrind Ir) of the unmap calls only, per folio and per mapped PTE; ratio: per-PTE/batched (above 1: batched executes fewer)."
	print ""
	print "| arch | folio | shape | Ir/folio per-PTE | Ir/folio batched | Ir/PTE per-PTE | Ir/PTE batched | ratio | target |"
	print "|---|---|---|--:|--:|--:|--:|--:|---|"
	print "arch,folio,shape,folios,ptes_per_folio,ir_per_folio_per_pte_path,ir_per_folio_batched,ratio" > csv
	for (i = 1; i <= nkeys; i++) {
		k = order[i]
		split(k, f, "|")
		p = ir[k, "per-PTE"] / folios[k]
		b = ir[k, "batched"] / folios[k]
		mapped = ptes[k] / folios[k]
		r = p / b
		t = target(f[1], f[2], f[3])
		verdict = ""
		if (t != "") {
			split(t, tt, " ")
			verdict = t " " (r >= tt[2] ? "met" : "**missed**")
		}
		printf "| %s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.2f | %s |\n", \
			f[1], f[2], f[3], p, b, p / mapped, b / mapped, r, verdict
		printf "%s,%s,%s,%d,%d,%.1f,%.1f,%.4f\n", f[1], f[2], f[3], \
			folios[k], mapped, p, b, r > csv
	}
	print ""
	print "mremap: move_ptes() of every folio to 1 MiB past a PMD boundary, 6.12 per-PTE against batched, Ir per moved entry (present PTEs; move-swapped: the swap PTEs that unmapping them leaves, which neither path batches); ratio: per-PTE/batched:"
	print ""
	print "| arch | entries | folio | shape | Ir/PTE per-PTE | Ir/PTE batched | ratio |"
	print "|---|---|---|---|--:|--:|--:|"
	print "arch,entries,folio,shape,ptes,ir_per_pte_per_pte_path,ir_per_pte_batched,ratio" > mcsv
	for (i = 1; i <= nm; i++) {
		k = morder[i]
		split(k, f, "|")
		p = mir[k, "per-PTE"] / mptes[k]
		b = mir[k, "batched"] / mptes[k]
		printf "| %s | %s | %s | %s | %.1f | %.1f | %.2f |\n", \
			f[2], f[1] == "move" ? "present" : "swap", f[3], f[4], p, b, p / b
		printf "%s,%s,%s,%s,%d,%.2f,%.2f,%.4f\n", f[2], \
			f[1] == "move" ? "present" : "swap", f[3], f[4], mptes[k], \
			p, b, p / b > mcsv
	}
	print ""
	print "Helpers, one pass over a full 512-entry table (Ir per PTE; against the raw-load floor and the accessor loop):"
	print ""
	print "| arch | helper | Ir/PTE | x floor | x loop |"
	print "|---|---|--:|--:|--:|"
	print "arch,helper,ir_per_pte" > hcsv
	for (i = 1; i <= nh; i++) {
		split(hkey[i], f, "|")
		printf "| %s | %s | %.2f | %.2f | %.2f |\n", f[1], f[2], hir[i], \
			hir[i] / floor[f[1]], hir[i] / loop[f[1]]
		printf "%s,%s,%.3f\n", f[1], f[2], hir[i] > hcsv
	}
}' "$tmp/parts" > "$tmp/table"

{
	echo "### Instruction counts (callgrind)"
	echo
	echo "valgrind $("$valgrind" --version | sed 's/^valgrind-//'), $(uname -m); bench options: --ptes=2048${*:+ $*}."
	echo
	cat "$tmp/table"
} > "$md"
cat "$md"
echo
echo "bench-callgrind: wrote $md, $csv, $mcsv, $hcsv; profiles: $out/callgrind-<arch>-<unmap|helpers|move|move-swapped>.out.<n>"
echo "  (callgrind_annotate --inclusive=yes FILE, or --auto=yes for source lines)"
