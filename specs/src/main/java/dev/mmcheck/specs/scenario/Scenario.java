package dev.mmcheck.specs.scenario;

import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.UnmodelledChange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A scenario: the machine's size, the initial memory layout (VMAs, pages already faulted in,
 * what each CPU runs and caches), and one program per thread. Written fluently:
 *
 * <pre>{@code
 * Scenario.named("munmap-vs-fault", "munmap a VMA while another thread faults in it")
 *     .machine(MachineConfig.small())
 *     .vma(0, 2).vma(2, 4)
 *     .mapped(1, 2)
 *     .tlb(1, 2)
 *     .thread(0, Op.munmap(0, 2))
 *     .thread(1, Op.access(1));
 * }</pre>
 *
 * Mistakes (a page outside every VMA, a thread on an IDLE CPU, ...) are reported when the
 * scenario is turned into a model, naming the scenario and the value.
 */
public final class Scenario {
    /** One VMA of the initial layout. */
    public record VmaSpec(int start, int end, boolean locked, boolean growsDown) {
        /** [start, end) as addresses, for messages. */
        public String range() {
            return "[" + Machine.addr(start) + ", " + Machine.addr(end) + ")";
        }
    }

    private final String name;
    private final String description;
    private MachineConfig machine = MachineConfig.small();
    private final List<VmaSpec> vmas = new ArrayList<>();
    /** Indexes into {@link #vmas} of VM_PFNMAP VMAs of the device file. */
    private final BitSet pfnmap = new BitSet();
    /** Indexes into {@link #vmas} of VM_SHARED mappings of the regular file (page-cache pages). */
    private final BitSet sharedFile = new BitSet();
    private final BitSet mapped = new BitSet();
    private final List<int[]> tlbEntries = new ArrayList<>();
    private CpuRole[] roles = new CpuRole[0];
    private final List<List<Op>> programs = new ArrayList<>();
    private final BitSet startsLater = new BitSet();
    private boolean exhaustiveOnly;
    private boolean treeStoresMayFail;
    private final BitSet uffdVmas = new BitSet();
    /** Invariants the user adds to the model's own. */
    private final List<KernelInvariant> invariants = new ArrayList<>();
    private int uffdMonitor = -1;
    private int uffdPrecopy;
    private boolean uffdCopyMayFault;
    private int initialMmSeq;
    private int[] initialTaskSeq = new int[0];
    private int[] contextSwitches = new int[0];
    private boolean batchedFlushMarked;
    private int batchedFlushLarge;

    private Scenario(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public static Scenario named(String name, String description) {
        return new Scenario(name, description);
    }

    /**
     * Also checks {@code invariant} (built for each model of this scenario) beside the model's
     * own: a property of a proposal, in the user's words.
     */
    public Scenario invariant(KernelInvariant invariant) {
        invariants.add(java.util.Objects.requireNonNull(invariant, "invariant"));
        return this;
    }

    /** The invariants the user added, in the order added. */
    public List<KernelInvariant> invariants() {
        return java.util.Collections.unmodifiableList(invariants);
    }

    public Scenario machine(MachineConfig config) {
        this.machine = config;
        return this;
    }

    /** A plain anonymous VMA [start, end) in pages. */
    public Scenario vma(int start, int end) {
        return vma(start, end, false, false);
    }

    public Scenario lockedVma(int start, int end) {
        return vma(start, end, true, false);
    }

    public Scenario stackVma(int start, int end) {
        return vma(start, end, false, true);
    }

    public Scenario vma(int start, int end, boolean locked, boolean growsDown) {
        vmas.add(new VmaSpec(start, end, locked, growsDown));
        return this;
    }

    /**
     * A VM_PFNMAP mapping [start, end) of the device file (remap_pfn_range at mmap time): its
     * mapped pages are device pages with no struct page, linked in the file's i_mmap.
     */
    public Scenario pfnVma(int start, int end) {
        pfnmap.set(vmas.size());
        return vma(start, end, false, false);
    }

    /**
     * A VM_SHARED mapping [start, end) of the one regular file, at file offset start (vm_pgoff =
     * vm_start, so file index i is page i). Every page of it starts in the page cache (a
     * page-cache page with a struct page), and the file's size is the end of its last such VMA;
     * {@link #mapped} pages are also mapped by their PTE.
     */
    public Scenario fileVma(int start, int end) {
        sharedFile.set(vmas.size());
        return vma(start, end, false, false);
    }

    /** Is VMA {@code index} (in the order given) a shared mapping of the regular file? */
    public boolean isSharedFile(int index) {
        return sharedFile.get(index);
    }

    /** Has the scenario page-cache file mappings or a truncate (so the model needs the page cache)? */
    public boolean usesPageCache() {
        if (!sharedFile.isEmpty()) {
            return true;
        }
        return programs.stream().flatMap(List::stream).anyMatch(op -> op.kind() == Op.Kind.TRUNCATE);
    }

    /** Is VMA {@code index} (in the order given) a VM_PFNMAP mapping? */
    public boolean isPfnmap(int index) {
        return pfnmap.get(index);
    }

    /** Has the scenario file mappings or an rmap walker (so the model needs the file state)? */
    public boolean usesFiles() {
        if (!pfnmap.isEmpty() || usesPageCache()) {
            return true;
        }
        for (List<Op> program : programs) {
            for (Op op : program) {
                if (op.kind() == Op.Kind.UNMAP_MAPPING_RANGE) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An anonymous VMA [start, end) already registered with the userfaultfd in missing mode
     * (UFFDIO_REGISTER_MODE_MISSING, with the UNMAP and REMOVE events negotiated).
     */
    public Scenario uffdVma(int start, int end) {
        vma(start, end);
        uffdVmas.set(vmas.size() - 1);
        return this;
    }

    /**
     * Thread {@code t} is the userfaultfd monitor: it loops reading messages and resolving faults
     * with UFFDIO_COPY, and may copy each of {@code precopyPages} once in the background.
     */
    public Scenario uffdMonitor(int t, int... precopyPages) {
        uffdMonitor = t;
        for (int p : precopyPages) {
            uffdPrecopy |= 1 << p;
        }
        return this;
    }

    /**
     * The monitor's copy_from_user in mcopy_atomic_pte may fault (its source buffer is not
     * resident): __mcopy_atomic then drops mmap_sem, copies with page faults enabled and retries
     * from down_read (SEMANTICS.md 6.4 step 5). Off by default, which keeps the copy one step.
     */
    public Scenario uffdCopyMayFault() {
        uffdCopyMayFault = true;
        return this;
    }

    /** Whether the monitor's copy may fault and retry ({@link #uffdCopyMayFault()}). */
    public boolean uffdCopyFaults() { return uffdCopyMayFault; }

    /** The scenario has a userfaultfd context (a monitor thread). */
    public boolean hasUserfaultfd() { return uffdMonitor >= 0; }
    /** The monitor thread, or -1. */
    public int uffdMonitorThread() { return uffdMonitor; }
    /** Pages the monitor may copy in the background, as a bit set. */
    public int uffdPrecopyPages() { return uffdPrecopy; }
    /** The initial VMA {@code index} is registered with the userfaultfd. */
    public boolean isUffdRegistered(int index) { return uffdVmas.get(index); }

    /** Pages faulted in before the scenario starts (each gets a frame, and its table a page-table page). */
    public Scenario mapped(int... pages) {
        for (int p : pages) {
            mapped.set(p);
        }
        return this;
    }

    /** CPU {@code cpu} starts with a TLB entry for {@code page} (and the PDE cached on the way). */
    public Scenario tlb(int cpu, int... pages) {
        for (int p : pages) {
            tlbEntries.add(new int[] {cpu, p});
        }
        return this;
    }

    /** What CPU {@code cpu} runs; by default CPU t runs thread t and the others are IDLE. */
    public Scenario cpu(int cpu, CpuRole role) {
        if (roles.length <= cpu) {
            roles = Arrays.copyOf(roles, cpu + 1);
        }
        roles[cpu] = role;
        return this;
    }

    /** Thread {@code t}'s program. */
    public Scenario thread(int t, Op... ops) {
        while (programs.size() <= t) {
            programs.add(new ArrayList<>());
        }
        programs.get(t).addAll(Arrays.asList(ops));
        return this;
    }

    /** Thread {@code t} does not exist until another thread clones it (Op.clone). */
    public Scenario startsLater(int t) {
        startsLater.set(t);
        return this;
    }

    /**
     * The vmacache sequence numbers at the start (u32 era only: a history of earlier
     * invalidations, so that a wrap is a few steps away). Ignored in the u64 era.
     */
    public Scenario vmacacheSeqnums(int mm, int... perThread) {
        initialMmSeq = mm;
        initialTaskSeq = perThread.clone();
        return this;
    }

    public int initialMmSeq() { return initialMmSeq; }

    public int initialTaskSeq(int thread) {
        return thread < initialTaskSeq.length ? initialTaskSeq[thread] : initialMmSeq;
    }

    /**
     * CPU {@code cpu} may switch away from what it runs up to {@code n} times (to a kernel thread
     * or another process; switching back to a thread of the mm is free). A thread pinned to the
     * CPU is preempted only between its operations. No scenario switches unless it says so.
     */
    public Scenario contextSwitches(int cpu, int n) {
        if (contextSwitches.length <= cpu) {
            contextSwitches = Arrays.copyOf(contextSwitches, cpu + 1);
        }
        contextSwitches[cpu] = n;
        return this;
    }

    /** The context-switch bound of CPU {@code cpu} (0: it never switches). */
    public int contextSwitches(int cpu) {
        return cpu < contextSwitches.length ? contextSwitches[cpu] : 0;
    }

    /** Whether any CPU switches. */
    public boolean hasContextSwitches() {
        return Arrays.stream(contextSwitches).anyMatch(n -> n > 0);
    }

    /**
     * mm->tlb_flush_batched starts marked: an earlier reclaim deferred a flush for the mm and
     * has done that flush itself (try_to_unmap_flush), but no flush_tlb_batched_pending has run
     * since (the bool is true; the generations are pending 1, flushed 0). No TLB entry is stale.
     */
    public Scenario batchedFlushMarked() {
        batchedFlushMarked = true;
        return this;
    }

    public boolean isBatchedFlushMarked() { return batchedFlushMarked; }

    /**
     * TLB_FLUSH_BATCH_PENDING_LARGE of the model's tlb_flush_batched generations (v5.17+), instead
     * of the default (the number of marks a run can make, which keeps every run exact). For
     * experiments only: below the number of marks minus one, a reset can bring the word back to
     * a value a flusher read, an ABA the kernel's 15 bits rule out.
     */
    public Scenario batchedFlushLarge(int large) {
        batchedFlushLarge = large;
        return this;
    }

    /** The LARGE the model uses: the one set, else the number of marks a run can make (at least 1). */
    public int batchedFlushLarge() {
        return batchedFlushLarge > 0 ? batchedFlushLarge : Math.max(1, reclaims() + (batchedFlushMarked ? 1 : 0));
    }

    /**
     * An upper bound on the migrations a run makes: one per MIGRATE operation, and with NUMA
     * hinting (a scan and a store) one per store after each scan (do_numa_page migrates at most
     * once per fault).
     */
    public int migrations() {
        int migrates = 0;
        int accesses = 0;
        int scans = 0;
        for (List<Op> program : programs) {
            for (Op op : program) {
                migrates += op.kind() == Op.Kind.MIGRATE ? 1 : 0;
                accesses += op.kind() == Op.Kind.ACCESS ? 1 : 0;
                scans += op.kind() == Op.Kind.NUMA_SCAN ? 1 : 0;
            }
        }
        return migrates + (scans > 0 ? accesses * scans : 0);
    }

    /** The number of reclaim operations in all programs. */
    public int reclaims() {
        int n = 0;
        for (List<Op> program : programs) {
            for (Op op : program) {
                if (op.kind() == Op.Kind.RECLAIM) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Too large for the default {@code mvn verify} run: only with -Pexhaustive. */
    /**
     * A maple-tree store that allocates may fail with -ENOMEM (munmap's side-tree store;
     * vma_iter_clear_gfp from v6.4), as a fault-injection run of the kernel can make it: the
     * checker explores both outcomes of each such store, so the error paths are checked.
     * Releases before v6.1 have no such store and ignore it.
     */
    public Scenario treeStoresMayFail() {
        treeStoresMayFail = true;
        return this;
    }

    /** Has the mm a VM_GROWSDOWN VMA (a stack that a fault below it grows)? */
    public boolean hasGrowingStack() {
        return vmas.stream().anyMatch(VmaSpec::growsDown);
    }

    public boolean hasFailingTreeStores() {
        return treeStoresMayFail;
    }

    public Scenario exhaustiveOnly() {
        exhaustiveOnly = true;
        return this;
    }

    public String name() { return name; }
    public String description() { return description; }
    public MachineConfig config() { return machine; }
    public List<VmaSpec> vmas() { return Collections.unmodifiableList(vmas); }
    public boolean isMapped(int page) { return mapped.get(page); }
    public BitSet mapped() { return (BitSet) mapped.clone(); }
    public List<int[]> tlbEntries() { return Collections.unmodifiableList(tlbEntries); }
    public boolean isStartedLater(int thread) { return startsLater.get(thread); }
    public boolean isExhaustiveOnly() { return exhaustiveOnly; }

    /** The features the scenario's operations need (a release without one cannot run the scenario). */
    public Set<Feature> needs() {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        programs.stream().flatMap(List::stream).forEach(op -> op.kind().needs().ifPresent(s::add));
        return s;
    }

    /**
     * The scoped changes the model lacks ({@link UnmodelledChange#scoped()}) that the scenario
     * exercises (a stack VMA with NUMA scanning, whose VMA iterator reads the maple tree's node
     * outside RCU while v6.1 to v6.4 grow the stack by a tree store under the read lock; the
     * fault handlers that run under a per-VMA lock from v6.4 and the model lacks; ...).
     */
    public Set<UnmodelledChange> unmodelled() {
        Set<UnmodelledChange> s = EnumSet.noneOf(UnmodelledChange.class);
        if (hasGrowingStack() && runs(Op.Kind.NUMA_SCAN)) {
            s.add(UnmodelledChange.NUMA_SCAN_ITERATOR_UNDER_READ_LOCK);
        }
        dev.mmcheck.model.KernelParts parts = ScenarioModel.parts(this);
        // A fault on a VM_PFNMAP VMA under a per-VMA lock is not modelled; a shared file VMA's
        // fault and a userfault return VM_FAULT_RETRY, do_numa_page and migration_entry_wait run
        // to the end under it, which is (PageFault).
        boolean pfnFault = !pfnmap.isEmpty() && runs(Op.Kind.ACCESS);
        if (pfnFault) {
            s.add(UnmodelledChange.FAULT_HANDLERS_UNDER_VMA_LOCK);
        }
        return s;
    }

    /** Does some thread run one of {@code kinds}? */
    public boolean runs(Op.Kind... kinds) {
        List<Op.Kind> wanted = Arrays.asList(kinds);
        return programs.stream().flatMap(List::stream).anyMatch(op -> op.kind() instanceof Op.Kind kind && wanted.contains(kind));
    }

    /**
     * Can the scenario run on {@code v}: its kernel has every feature the operations need, and
     * none of the scoped changes the model lacks that the scenario exercises.
     */
    public boolean runsOn(Variant v) {
        return refusal(v) == null;
    }

    /** Why the scenario cannot run on {@code v} (the first reason, in kernel words), or null if it can. */
    public String refusal(Variant v) {
        for (Feature f : needs()) {
            if (!v.has(f)) {
                return "scenario '" + name + "' needs " + f.name() + " (" + f.commit() + ", " + f.since().label()
                        + "), which variant " + v.name() + " lacks; use a release from " + f.since().label() + " on";
            }
        }
        for (UnmodelledChange c : unmodelled()) {
            if (c.in(v.base().release(), v.features())) {
                return "scenario '" + name + "' exercises " + c.name() + ", which the model does not have for "
                        + v.base().label() + " (" + c.facts().commits().get(0).label() + ", from " + c.facts().first().label()
                        + "); run it on a release before " + c.facts().first().label();
            }
        }
        return null;
    }

    public List<Op> program(int thread) {
        return thread < programs.size() ? Collections.unmodifiableList(programs.get(thread)) : List.of();
    }

    public CpuRole role(int cpu) {
        if (cpu < roles.length && roles[cpu] != null) {
            return roles[cpu];
        }
        return cpu < machine.threads() ? CpuRole.THREAD : CpuRole.IDLE;
    }

    /** "0x2000-0x4000" style summary, for list output. */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        for (VmaSpec v : vmas) {
            sb.append('[').append(Machine.addr(v.start())).append(", ").append(Machine.addr(v.end())).append(')')
                    .append(v.locked() ? " locked" : "").append(v.growsDown() ? " growsdown" : "")
                    .append(sharedFile.get(vmas.indexOf(v)) ? " shared-file" : "").append(' ');
        }
        return sb.toString().trim();
    }
}
