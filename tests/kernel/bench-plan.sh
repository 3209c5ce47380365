# SPDX-License-Identifier: GPL-2.0
#
# bench-plan.sh - the kernel benchmarks' plan, one guest-program command
# per line: what the qemu guests of run-kernel-test run under -icount and
# what bench-kernel runs on a real machine, so that both write the same
# result lines. Sourced (POSIX sh); reads $sizes (folio sizes) and $mib
# (MiB per run).

# MADV_PAGEOUT of $mib MiB at each folio size, filled with $1, $2 runs.
pageout_plan() {
	local s fill=$1 n=$2
	for s in $sizes; do
		echo "/bin/pageout_bench --size $s --mib $mib --runs $n --fill $fill"
	done
}

# Prints the line for size $1 if it is one of $sizes.
if_size() {
	case " $sizes " in *" $1 "*) echo "$2" ;; esac
}

# mremap() moving $mib MiB back and forth: 1 MiB past a 2M boundary, so
# that every PTE goes through move_ptes(); at offset 0 whole page tables
# move and move_ptes() never runs (the control, ratio about 1); and a
# realloc()-like growth of small mappings (4K pages: the cost of the
# batching on small folios).
mremap_plan() {
	local s n=$1
	for s in $sizes; do
		echo "/bin/mremap_bench --size $s --mib $mib --runs $n --moves 8"
	done
	echo "/bin/mremap_bench --size 64K --mib $mib --runs $n --moves 8 --offset 0"
	echo "/bin/mremap_bench --realloc --size 4K --maps 256 --runs $n"
}

# mprotect(): $mib MiB, 40 rounds of PROT_READ <-> PROT_READ|PROT_WRITE at
# each folio size (2M: PTE-mapped), 40 rounds of UFFDIO_WRITEPROTECT
# protect/resolve at 64K, and the small-call sweep (4 KiB to 4 MiB, 4K
# pages: the cost of the batching on small calls).
mprotect_plan() {
	local s n=$1
	for s in $sizes; do
		echo "/bin/mprotect_bench --size $s --mib $mib --rounds 40 --runs $n"
	done
	echo "/bin/mprotect_bench --uffd-wp --size 64K --mib $mib --rounds 40 --runs $n"
	echo "/bin/mprotect_bench --small --size 4K --runs $n"
}

# MADV_PAGEOUT of $mib MiB of a clean file, PTB_EROFS_FILE of
# guest/common.h (/erofs/pages: the EROFS image run-kernel-test makes,
# mounted): page-cache folios of 4K, 16K and 64K as readahead makes them,
# unmapped and dropped without writeback. (The file's 2M folios would be
# PMD-mapped and unmapped without PTEs, as shmem's 2M.)
erofs_plan() {
	local s n=$1
	for s in 4K 16K 64K; do
		if_size $s "/bin/pageout_bench --size $s --mib $mib --runs $n --fill erofs"
	done
}

# The whole benchmark, $1 runs per row (3 for the slow random fill and
# mprotect()): MADV_PAGEOUT of zero-filled, lazyfree, random and shmem
# memory and of a clean file; reclaim through the LRU (memory.reclaim of a memory cgroup);
# zero-filled memory in a range write-protected with a userfaultfd;
# mremap(); mprotect().
benchmark_plan() {
	local s n=$1
	pageout_plan zero "$n"
	pageout_plan lazyfree "$n"
	pageout_plan random 3
	pageout_plan shmem "$n"
	erofs_plan "$n"
	for s in 4K 64K 2M; do
		if_size $s "/bin/pageout_bench --size $s --mib $mib --runs $n --fill zero --reclaim memcg"
	done
	for s in 64K 2M; do
		if_size $s "/bin/pageout_bench --size $s --mib $mib --runs $n --fill uffd-wp"
	done
	mremap_plan "$n"
	mprotect_plan 3
}

# MADV_PAGEOUT with a second thread of the process running on another CPU
# (x86 then defers reclaim's TLB flushes and flushes that CPU by IPI), at
# 64K and 2M, $1 runs: for real machines only (bench-kernel). Under qemu
# -icount each IPI waits for the other vCPU's round-robin turn, and the
# time measures qemu's scheduling more than the kernel.
deferred_plan() {
	local s n=$1
	for s in 64K 2M; do
		if_size $s "/bin/pageout_bench --size $s --mib $mib --runs $n --fill zero --peer-thread"
	done
}
