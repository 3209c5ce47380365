# gnuplot -e "datafile='ratios.dat'; outfile='ratios.png'" ratios.gp
# Vanilla/patched MADV_PAGEOUT time ratio per arch, folio size and fill.
set terminal png size 1000,500 font ",10"
set output outfile
set title "MADV_PAGEOUT, vanilla / patched guest instruction-time (higher is better)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set yrange [0:*]
set ylabel "speed-up (x)"
set xtics rotate by -35
set grid ytics
set key off
plot datafile using 2:xtic(1) lc rgb "#3070b0", 1 with lines lc rgb "#b03030" dt 2 title "1x"
