package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.Program;
import dev.mmcheck.model.faults.NumaFault;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.BatchGenerations;
import dev.mmcheck.model.gather.RcuTableFree;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.MapleNodes;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The modelled kernel of one scenario: the program being built, the machine and mm state, the
 * optional parts the scenario needs ({@link KernelParts}), the ghost state, and the variant whose
 * algorithm is modelled. Everything that writes kernel steps takes a {@code Kernel}.
 *
 * <p>The constructor is the one place the parts are composed, in dependency order: the machine
 * (frames, page tables, TLBs), the mm (VMAs, mmap_lock, file mappings), then the optional parts,
 * each built from those before it, and last the ghost state, whose checks consult them. A part the
 * model lacks is a null object that answers as a kernel without it would.
 *
 * <p>The variant's proposed change ({@link Variant#replaceEffect} and the other edits) is
 * applied by the program layer as each targeted step is written; building the program rejects
 * an edit of a step this model does not have.
 */
public final class Kernel {
    public final MachineConfig config;
    public final Variant variant;
    public final Program program;
    public final Machine machine;
    public final Mm mm;
    /** Page tables freed after an RCU grace period (v6.14+), or a null object. */
    public final RcuTableFree rcuTables;
    /** The parts this model has. */
    public final KernelParts parts;
    /** The page cache of the one regular file; absent unless {@link KernelParts#pageCache}. */
    public final PageCache pageCache;
    /** mm->tlb_flush_batched as generations (v5.17+); absent before, or without reclaim marks. */
    public final BatchGenerations batchGenerations;
    /** Per-CPU ASID contexts and tlb_gen of context switches; absent without context switches. */
    public final CpuContexts contexts;
    /** The mm's userfaultfd context; absent unless {@link KernelParts#userfaultfd}. */
    public final Userfaultfd userfaultfd;
    /** NUMA hinting faults and migration entries; absent unless {@link KernelParts#numaFaults}. */
    public final NumaFault numa;
    public final Ghost ghost;
    /**
     * The maple tree's node and the maple states that hold it; absent unless the mm has a stack
     * ({@link KernelParts#growingStacks}) that grows by a tree store under the read lock ({@link MapleNodes#needed}).
     */
    public final MapleNodes mapleNodes;

    private final Map<Process, Integer> threads = new HashMap<>();
    private final Map<Integer, ThreadLocals> locals = new HashMap<>();
    private final Map<Class<?>, Object> shared = new HashMap<>();
    /** The code whose step is being patched, while a {@link StepPatch} runs. */
    private Code site;

    /** A kernel with no optional part ({@link KernelParts#NONE}). */
    public Kernel(String name, MachineConfig config, Variant variant) {
        this(name, config, variant, KernelParts.NONE);
    }

    public Kernel(String name, MachineConfig config, Variant variant, KernelParts parts) {
        this.config = config;
        this.variant = variant;
        this.parts = parts;
        this.program = new Program(name);
        program.requireSources();
        program.apply(variant.toPatch(this));
        this.machine = new Machine(program, config, parts.pageCache(), parts.moves());
        this.mm = new Mm(program, config, variant.has(Feature.VMACACHE_SEQNUM_U64),
                parts.files(), parts.pageCache(), variant.has(Feature.I_MMAP_SHARED_IN_UNMAP_MAPPING_RANGE),
                variant.has(Feature.MAPLE_TREE), variant.has(Feature.PER_VMA_LOCK),
                variant.has(Feature.VMA_SLAB_TYPESAFE_BY_RCU));
        this.rcuTables = RcuTableFree.of(this);
        this.pageCache = parts.pageCache() ? new PageCache(this) : PageCache.absent();
        // Reclaim marks mm->tlb_flush_batched; from v6.3 migration does too (MIGRATION_BATCHED_FLUSH).
        int marks = parts.batchedFlushLarge() + (variant.has(Feature.MIGRATION_BATCHED_FLUSH) ? parts.migrationMarks() : 0);
        this.batchGenerations = marks > 0 && variant.has(Feature.TLB_FLUSH_BATCHED_GENERATIONS)
                ? new BatchGenerations(this, marks) : BatchGenerations.absent(this);
        this.contexts = parts.maxContextSwitches() > 0 ? new CpuContexts(this, parts.maxContextSwitches()) : CpuContexts.absent(this);
        this.userfaultfd = parts.userfaultfd() ? new Userfaultfd(this) : Userfaultfd.absent();
        this.numa = parts.numaFaults() ? new NumaFault(this) : NumaFault.absent(this);
        boolean nodes = parts.growingStacks() && MapleNodes.needed(variant::has);
        if (nodes && variant.has(Feature.PER_VMA_LOCK)) {
            // RCU readers would then delay the node's freeing (MapleNodes frees it at once).
            throw new IllegalArgumentException("variant " + variant.name() + ": a maple-tree node rewritten by a stack growing under"
                    + " the mmap read lock (without " + Feature.STACK_EXPANSION_WRITE_LOCK.commit() + ") is not modelled together"
                    + " with per-VMA locks (" + Feature.PER_VMA_LOCK.commit() + ")");
        }
        boolean rcuMode = variant.has(Feature.MAPLE_TREE_RCU_MODE);
        this.ghost = new Ghost(program, config, parts.pageCache(), nodes && rcuMode, parts.moves(), parts.treeStoreFailures(),
                numa::migrating);
        this.mapleNodes = nodes ? MapleNodes.of(program, config.threads(), rcuMode, ghost) : MapleNodes.absent();
    }

    public boolean has(Feature f) {
        return variant.has(f);
    }

    /** "mm/mmap.c:do_munmap" becomes "mm/mmap.c:do_munmap (v4.12)": every step cites its source. */
    public String src(String fileAndFunction) {
        return fileAndFunction + " (" + variant.base().label() + ")";
    }

    /** Runs {@code edit} with {@link #site()} set to {@code code}: how a variant's edits see their site. */
    <T> T at(Code code, java.util.function.Supplier<T> edit) {
        Code outer = site;
        site = code;
        try {
            return edit.get();
        } finally {
            site = outer;
        }
    }

    /**
     * For a {@link StepPatch} while it is applied: the thread whose copy of the step is being
     * patched (procedures are instantiated once per thread), or -1 for a process that is not a
     * thread. A patch reads that thread's locals with {@code k.locals(k.patchingThread())}.
     */
    public int patchingThread() {
        Integer t = site == null ? null : threads.get(site.process());
        return t == null ? -1 : t;
    }

    /**
     * The code (a thread's own code or its copy of a procedure) whose step a {@link StepPatch}
     * is patching: valid only while the patch runs, so that a patch can reach that thread's
     * locals ({@code ThreadLocals.of(k.site(), k)}) and number ({@code k.threadOf(k.site().process())}).
     */
    public Code site() {
        if (site == null) {
            throw new IllegalStateException("Kernel.site() is only defined while a step patch is applied");
        }
        return site;
    }

    /**
     * The one instance of {@code type} in this model, made by {@code make} on first use: for
     * kernel code that several syscalls share (the mmu_gather procedures), since a procedure is
     * declared once per program; and for a user's ghost state, declared once per model
     * ({@code KernelInvariant}). The kernel's own optional state is a part ({@link KernelParts}).
     */
    public <T> T shared(Class<T> type, Function<Kernel, T> make) {
        Object o = shared.get(type);
        if (o == null) {
            o = make.apply(this);
            shared.put(type, o);
        }
        return type.cast(o);
    }

    /**
     * Fails, naming {@code who} and the missing parts, unless this model has every part of
     * {@code needed}: for code that only works with a part, such as truncate with the page cache.
     */
    public void require(KernelParts needed, String who) {
        if (!parts.and(needed).equals(parts)) {
            throw new IllegalStateException(who + " needs the kernel parts " + needed + " but this model has " + parts
                    + "; an operation declares what it needs in its parts()");
        }
    }

    /** Registers {@code p} as the process of thread {@code thread} (it runs on CPU {@code thread}). */
    public Process thread(Process p, int thread) {
        threads.put(p, thread);
        locals.put(thread, ThreadLocals.of(p, this));
        return p;
    }

    /** The locals of thread {@code thread}, or null if no process was registered for it. */
    public ThreadLocals locals(int thread) {
        return locals.get(thread);
    }

    /** The thread {@code p} stands for, or -1 for a process that is not a thread of the mm. */
    public int threadOrNone(Process p) {
        Integer t = threads.get(p);
        return t == null ? -1 : t;
    }

    /** The thread a process (or the process a procedure instance runs in) stands for. */
    public int threadOf(Process p) {
        Integer t = threads.get(p);
        if (t == null) {
            throw new IllegalArgumentException("process " + p.name() + " is not a thread of the mm");
        }
        return t;
    }
}
