package org.example.proposals;

import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.gather.MmuGather;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.Rwsem;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.specs.scenario.Operation;

/**
 * A driver's ioctl that revokes the user mapping of its device memory: under mmap_lock read it
 * finds the VM_PFNMAP VMA and zaps [start, end) with zap_vma_ptes (an mmu_gather around
 * zap_pte_range). It makes no promise when it finds no VMA, so it adds no return-to-user check;
 * the guide's invariant U1 says what it does promise.
 */
public record ExampleDriverZap() implements Operation {
    private static final String ZAP = "mm/memory.c:zap_vma_ptes, zap_page_range_single";

    @Override
    public String name() {
        return "example_zap";
    }

    @Override
    public String entrySource() {
        return "drivers/misc/example.c:example_ioctl";
    }

    @Override
    public Procedure procedure(Kernel k) {
        return k.program.procedure("example_zap", c -> {
            int self = k.threadOf(c.process());
            ThreadLocals l = ThreadLocals.of(c, k);
            MmuGather.Locals g = MmuGather.Locals.of(c, k);
            MmuGather gather = MmuGather.of(k);
            Rwsem.downRead(k, c, self, "mmap_read_lock");
            c.step("find_vma", k.src("mm/mmap.c:find_vma"), s -> l.vma.set(s, FindVma.find(k, s, self, l.start.get(s))))
                    .ifGoTo(s -> l.vma.get(s) == Mm.NONE, "mmap_read_unlock");
            c.call("tlb_gather_mmu", k.src(ZAP), gather.tlbGatherMmu,
                    s -> gather.recordRange(g, s, l.start.get(s), l.end.get(s)));
            c.call("unmap_single_vma", k.src(ZAP), gather.zapPteRange, s -> {
                g.zapAddr.set(s, l.start.get(s));
                g.zapEnd.set(s, l.end.get(s));
            });
            c.call("tlb_finish_mmu", k.src(ZAP), gather.tlbFinishMmu);
            Rwsem.upRead(k, c, self, "mmap_read_unlock");
        });
    }
}
