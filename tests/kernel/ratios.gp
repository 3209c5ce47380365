# gnuplot -e "datafile='ratios.dat'; outfile='ratios.png'" ratios.gp
# Vanilla/patched time ratio per row of datafile ("label ratio" lines):
# MADV_PAGEOUT per arch, folio size and fill, unless plottitle says what
# else (the mremap() and mprotect() rows).
if (!exists("plottitle")) \
	plottitle = "MADV_PAGEOUT of 256 MiB: vanilla / patched guest instruction-time (qemu -icount, higher is better)"
set terminal png noenhanced size 1100,520 font ",10"
set output outfile
set title plottitle
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set yrange [0:*]
set ylabel "speed-up (x)"
set xtics rotate by -35
set rmargin 10
set bmargin 7
set grid ytics
set key off
plot datafile using 2:xtic(1) lc rgb "#3070b0", 1 with lines lc rgb "#b03030" dt 2 title "1x"
