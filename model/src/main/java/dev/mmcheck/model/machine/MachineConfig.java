package dev.mmcheck.model.machine;

/**
 * The size of the modelled machine. Every number is small on purpose: the state space grows
 * exponentially with each of them.
 *
 * @param cpus            CPUs, 1 to 4
 * @param threads         threads of the one modelled mm, 1 to {@code cpus}; thread t runs on CPU t
 * @param pages           user virtual pages, numbered 0 .. pages-1 (page p is address p * 0x1000), 1 to 8
 * @param pagesPerTable   pages mapped by one page-table (PTE) page; pages must be a multiple; 1 to 8
 * @param frames          physical frames for anonymous pages and page-table pages, 1 to 7
 * @param vmaSlots        VMA objects in the slab, 1 to 6
 * @param vmacacheSeqBits bits of vmacache_seqnum: 1 to 8 for the u32 era (wraps quickly, as the
 *                        model needs), 0 for the u64 era (modelled as "never wraps")
 * @param gatherBatch     pages one mmu_gather batch holds before it must flush, 1 to 7
 */
public record MachineConfig(int cpus, int threads, int pages, int pagesPerTable, int frames, int vmaSlots,
                            int vmacacheSeqBits, int gatherBatch) {
    public MachineConfig {
        range("cpus", cpus, 1, 4);
        range("threads", threads, 1, cpus);
        range("pages", pages, 1, 8);
        range("pagesPerTable", pagesPerTable, 1, 8);
        if (pages % pagesPerTable != 0) {
            throw new IllegalArgumentException("pages: " + pages + " is not a multiple of pagesPerTable " + pagesPerTable);
        }
        range("frames", frames, 1, 7);
        range("vmaSlots", vmaSlots, 1, 6);
        range("vmacacheSeqBits", vmacacheSeqBits, 0, 8);
        range("gatherBatch", gatherBatch, 1, 7);
    }

    /** A default small machine: 2 CPUs, 2 threads, 4 pages in 2 page tables, 5 frames, 3 VMAs. */
    public static MachineConfig small() {
        return new MachineConfig(2, 2, 4, 2, 5, 3, 0, 7);
    }

    public int tables() {
        return pages / pagesPerTable;
    }

    /** The page-table index (PMD entry) that maps page {@code page}. */
    public int tableOf(int page) {
        return page / pagesPerTable;
    }

    public MachineConfig withCpus(int c, int t) {
        return new MachineConfig(c, t, pages, pagesPerTable, frames, vmaSlots, vmacacheSeqBits, gatherBatch);
    }

    public MachineConfig withMemory(int p, int perTable, int f) {
        return new MachineConfig(cpus, threads, p, perTable, f, vmaSlots, vmacacheSeqBits, gatherBatch);
    }

    public MachineConfig withVmaSlots(int v) {
        return new MachineConfig(cpus, threads, pages, pagesPerTable, frames, v, vmacacheSeqBits, gatherBatch);
    }

    public MachineConfig withVmacacheSeqBits(int bits) {
        return new MachineConfig(cpus, threads, pages, pagesPerTable, frames, vmaSlots, bits, gatherBatch);
    }

    public MachineConfig withGatherBatch(int batch) {
        return new MachineConfig(cpus, threads, pages, pagesPerTable, frames, vmaSlots, vmacacheSeqBits, batch);
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is not allowed; use " + min + " to " + max);
        }
    }
}
