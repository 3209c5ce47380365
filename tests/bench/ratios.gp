# gnuplot script of make bench: batched/per-PTE ratios per folio size and
# mapping shape, one panel per backend, from the data file bench writes
# with --ratios (one data block per backend: label, then the ratios of
# median time per PTE, raw PTE reads, PTE stores (writes + clears) and TLB
# invalidation calls; "?" where the per-PTE path has none).
#
#   gnuplot -e "datafile='bench-ratios.dat'; outfile='bench-ratios.png'" ratios.gp
if (!exists("datafile")) datafile = 'bench-ratios.dat'
if (!exists("outfile")) outfile = 'bench-ratios.png'

set terminal pngcairo size 1400,1000 font ",10"
set output outfile
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [1.0/1024:2]
set ytics ("1/1024" 1.0/1024, "1/256" 1.0/256, "1/64" 1.0/64, "1/16" 1.0/16, \
           "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2)
set grid ytics
set xtics rotate by -40 scale 0 font ",9"
set key outside right top vertical
set ylabel "batched / per-PTE (log scale; below 1: batched is cheaper)"

set multiplot layout 2,1 title "ptebatch: unmapping folios, batched vs 6.12 per-PTE try\\_to\\_unmap\\_one() (model)" font ",13"
do for [arch = 0:1] {
	set title (arch == 0 ? "x86-64" : "arm64 (contpte)")
	plot datafile index arch using 2:xtic(1) title "time/PTE (median)" lc rgb "#4477aa", \
	     '' index arch using 3 title "raw PTE reads" lc rgb "#66ccee", \
	     '' index arch using 4 title "PTE writes + clears" lc rgb "#228833", \
	     '' index arch using 5 title "TLBI calls" lc rgb "#ee6677", \
	     1 notitle with lines lc rgb "black" dt 2
}
unset multiplot
