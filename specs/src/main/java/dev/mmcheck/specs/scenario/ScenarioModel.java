package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Guard;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.invariants.Invariants;
import dev.mmcheck.model.invariants.KernelInvariant;
import dev.mmcheck.model.machine.ContextSwitch;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.machine.Hardware;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.syscalls.Syscalls;
import dev.mmcheck.model.versions.Feature;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a scenario and a variant into a model: the kernel state, the initial layout, one process
 * per thread running its program, one hardware daemon per CPU, and the invariants.
 */
public final class ScenarioModel {
    // Steps of a thread's own code (no procedure).
    /** A thread started later sleeps until its clone wakes it (wake_up_new_task). */
    public static final StepRef WAIT_TO_BE_CLONED = StepRef.step("wait_to_be_cloned");
    /** A thread with no program stays in user space. */
    public static final StepRef IDLE = StepRef.step("idle");

    private ScenarioModel() {
    }

    /**
     * The step before operation {@code op} (1 for a thread's first) of a preemptible thread on
     * CPU {@code cpu}: it waits in user space until context_switch runs it again.
     */
    public static StepRef runningOn(int op, int cpu) {
        return StepRef.step(op + ": running on CPU" + cpu);
    }

    /** The model of {@code scenario} running {@code variant}'s algorithms. */
    public static ProgramModel build(Scenario scenario, Variant variant) {
        return compile(scenario, variant).model();
    }

    /** The model with the kernel state handles it was built from (for kernel-term reports). */
    public static KernelModel compile(Scenario scenario, Variant variant) {
        MachineConfig cfg = scenario.config();
        validate(scenario);
        requireRunnable(scenario, variant);
        Kernel k = new Kernel(scenario.name() + "@" + variant.name(), cfg, variant, parts(scenario));
        FieldArray started = k.program.array("task.started", cfg.threads(), 0, 1);
        k.program.initially(s -> initialLayout(k, scenario, started, s));
        Userfaultfd uffd = k.userfaultfd;
        Process monitor = null;

        CpuContexts contexts = k.contexts;
        Guard[] userSpace = new Guard[cfg.cpus()];
        Map<Operation, Procedure> procedures = new HashMap<>();
        for (int t = 0; t < cfg.threads(); t++) {
            int thread = t;
            Process p = k.thread(k.program.process(Actor.of("T", t)), t);
            ThreadLocals l = ThreadLocals.of(p, k);
            if (scenario.isStartedLater(t)) {
                p.await(WAIT_TO_BE_CLONED.label(), k.src("kernel/fork.c:wake_up_new_task"), s -> started.get(s, thread) == 1);
            }
            if (t == scenario.uffdMonitorThread()) {
                monitor = p.daemon(); // its loop is built once every thread is known
                continue;
            }
            List<Op> program = scenario.program(t);
            if (program.isEmpty()) {
                p.step(IDLE.label(), "user space: no system call");
            }
            boolean preemptible = contexts.present() && scenario.contextSwitches(t) > 0;
            Guard inUser = p.terminated();
            if (program.isEmpty()) {
                inUser = inUser.or(p.at(IDLE.label()));
            }
            for (int i = 0; i < program.size(); i++) {
                Op op = program.get(i);
                String label = (i + 1) + ": " + op.title();
                if (preemptible) {
                    // Preempted in user space: the next operation starts once the CPU runs T again.
                    String on = runningOn(i + 1, t).label();
                    p.await(on, k.src("kernel/sched/core.c:context_switch"),
                            s -> contexts.running.get(s, thread) == CpuContexts.MM_THREAD && !contexts.inSwitch(s, thread));
                    inUser = inUser.or(p.at(on));
                }
                if (op.kind() == Op.Kind.CLONE) {
                    Syscalls.cloneThread(k, p, t, op.start(), started, label);
                    continue;
                }
                Procedure proc = procedures.computeIfAbsent(op.kind(), operation -> operation.procedure(k));
                Effect extra = op.kind().arguments(k, p, op);
                p.call(label, k.src(op.kind().entrySource()), proc, s -> {
                    l.start.set(s, op.start());
                    l.end.set(s, op.end());
                    l.page.set(s, Math.min(op.start(), cfg.pages() - 1));
                    l.failed.set(s, 0);
                    extra.apply(s);
                });
                op.kind().afterCall(k, p, thread, op, (i + 1) + ": ");
            }
            if (t < cfg.cpus()) {
                userSpace[t] = inUser;
            }
        }
        for (int c = 0; contexts.present() && c < cfg.cpus(); c++) {
            if (scenario.contextSwitches(c) > 0) {
                ContextSwitch.addScheduler(k, c, userSpace[c] == null ? s -> true : userSpace[c]);
            }
        }
        if (monitor != null) {
            uffd.monitor(monitor, scenario.uffdMonitorThread(), scenario.uffdPrecopyPages(), servedPages(scenario),
                    scenario.uffdCopyFaults());
        }
        Hardware.addCpus(k);
        for (var inv : Invariants.all(k)) {
            k.program.invariant(inv);
        }
        for (KernelInvariant extra : scenario.invariants()) {
            Invariant inv = extra.build(k);
            if (inv == null || inv.name() == null || inv.name().isBlank()) {
                throw new IllegalArgumentException("scenario " + scenario.name() + ": an added invariant must have a name"
                        + " (an id and one sentence, e.g. \"U1 the driver never maps a released pfn\")");
            }
            k.program.invariant(inv);
        }
        ProgramModel model = k.program.build();
        return new KernelModel(model, k, scenario, variant);
    }

    /**
     * The pages the userfaultfd monitor serves: with UFFDIO_REGISTER operations in the scenario,
     * the ranges registered (at the start or by those operations); otherwise every page.
     */
    private static int servedPages(Scenario sc) {
        int all = (1 << sc.config().pages()) - 1;
        int served = 0;
        boolean registers = false;
        for (int t = 0; t < sc.config().threads(); t++) {
            for (Op op : sc.program(t)) {
                if (op.kind() == Op.Kind.UFFD_REGISTER) {
                    registers = true;
                    served |= ((1 << op.end()) - 1) & ~((1 << op.start()) - 1);
                }
            }
        }
        for (int v = 0; v < sc.vmas().size(); v++) {
            if (sc.isUffdRegistered(v)) {
                Scenario.VmaSpec spec = sc.vmas().get(v);
                served |= ((1 << spec.end()) - 1) & ~((1 << spec.start()) - 1);
            }
        }
        return registers ? served : all;
    }

    /**
     * The kernel parts {@code sc} needs: those of its VMAs (file mappings, the page cache), its
     * userfaultfd monitor, its context switches and reclaim marks, NUMA hinting faults when it
     * both makes PTEs PROT_NONE and accesses memory, and those each operation declares.
     */
    static KernelParts parts(Scenario sc) {
        KernelParts parts = KernelParts.NONE;
        if (sc.usesPageCache()) {
            parts = parts.withPageCache();
        }
        if (sc.usesFiles()) {
            parts = parts.withFiles();
        }
        if (sc.reclaims() > 0 || sc.isBatchedFlushMarked()) {
            // mm->tlb_flush_batched generations (v5.17+): LARGE covers every mark of a run.
            parts = parts.withBatchedFlushGenerations(sc.batchedFlushLarge());
        }
        if (sc.migrations() > 0) {
            // From v6.3 each migration may mark tlb_flush_batched (Kernel adds these marks there).
            parts = parts.withMigrationMarks(sc.migrations());
        }
        if (sc.hasUserfaultfd()) {
            parts = parts.withUserfaultfd();
        }
        if (uses(sc, Op.Kind.NUMA_SCAN) && uses(sc, Op.Kind.ACCESS)) {
            parts = parts.withNumaFaults();
        }
        if (sc.hasFailingTreeStores()) {
            parts = parts.withTreeStoreFailures();
        }
        if (sc.hasGrowingStack()) {
            parts = parts.withGrowingStacks();
        }
        if (sc.hasContextSwitches()) {
            parts = parts.withContextSwitches(maxSwitches(sc));
        }
        for (int t = 0; t < sc.config().threads(); t++) {
            for (Op op : sc.program(t)) {
                parts = parts.and(op.kind().parts());
            }
        }
        return parts;
    }

    private static boolean uses(Scenario sc, Op.Kind kind) {
        for (int t = 0; t < sc.config().threads(); t++) {
            for (Op op : sc.program(t)) {
                if (op.kind() == kind) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int maxSwitches(Scenario sc) {
        int max = 0;
        for (int c = 0; c < sc.config().cpus(); c++) {
            max = Math.max(max, sc.contextSwitches(c));
        }
        return max;
    }

    /** A scenario the variant cannot run (see {@link Scenario#refusal}): one clear error. */
    private static void requireRunnable(Scenario sc, Variant v) {
        String why = sc.refusal(v);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    private static void validate(Scenario sc) {
        MachineConfig cfg = sc.config();
        String where = "scenario '" + sc.name() + "': ";
        if (sc.vmas().size() > cfg.vmaSlots()) {
            throw new IllegalArgumentException(where + sc.vmas().size() + " VMAs do not fit in " + cfg.vmaSlots() + " VMA slots");
        }
        int prevEnd = 0;
        for (Scenario.VmaSpec v : sc.vmas()) {
            if (v.start() < prevEnd || v.start() >= v.end() || v.end() > cfg.pages()) {
                throw new IllegalArgumentException(where + "VMA [" + Machine.addr(v.start()) + ", " + Machine.addr(v.end())
                        + ") must be non-empty, sorted, disjoint and below " + Machine.addr(cfg.pages()));
            }
            prevEnd = v.end();
        }
        for (int p = sc.mapped().nextSetBit(0); p >= 0; p = sc.mapped().nextSetBit(p + 1)) {
            if (p >= cfg.pages() || !covered(sc, p)) {
                throw new IllegalArgumentException(where + "mapped page " + Machine.addr(p) + " lies outside every VMA");
            }
        }
        for (int[] e : sc.tlbEntries()) {
            if (e[0] >= cfg.cpus() || sc.role(e[0]) == CpuRole.IDLE) {
                throw new IllegalArgumentException(where + "TLB entry on CPU" + e[0] + ", which does not run the mm");
            }
            if (!sc.isMapped(e[1])) {
                throw new IllegalArgumentException(where + "CPU" + e[0] + " caches " + Machine.addr(e[1]) + ", which is not mapped");
            }
        }
        for (int t = 0; t < cfg.threads(); t++) {
            if (sc.role(t) != CpuRole.THREAD) {
                throw new IllegalArgumentException(where + "thread T" + t + " runs on CPU" + t + ", whose role is " + sc.role(t));
            }
            for (Op op : sc.program(t)) {
                if (op.kind() == Op.Kind.CLONE) {
                    if (op.start() >= cfg.threads() || !sc.isStartedLater(op.start())) {
                        throw new IllegalArgumentException(where + "T" + t + " clones T" + op.start()
                                + ", which is not a thread declared with startsLater");
                    }
                } else if (op.start() < 0 || op.end() > cfg.pages() || op.start() >= op.end()) {
                    throw new IllegalArgumentException(where + "T" + t + ": " + op.kind() + " range [" + op.start() + ", "
                            + op.end() + ") must be non-empty and within 0.." + cfg.pages() + " pages");
                } else {
                    op.kind().validate(sc, t, op, where);
                }
            }
        }
        if (sc.usesPageCache()) {
            validatePageCache(sc, where);
        }
        if (sc.hasUserfaultfd() && (sc.uffdMonitorThread() >= cfg.threads() || !sc.program(sc.uffdMonitorThread()).isEmpty()
                || sc.isStartedLater(sc.uffdMonitorThread()))) {
            throw new IllegalArgumentException(where + "the userfaultfd monitor T" + sc.uffdMonitorThread()
                    + " must be a thread of the machine, running from the start, with no program of its own");
        }
        if (sc.hasUserfaultfd() && sc.runs(Op.Kind.MREMAP, Op.Kind.MREMAP_DONTUNMAP)) {
            // move_vma would prep a REMAP event (mremap_userfaultfd_prep) and its internal munmap
            // an UNMAP event; the model's Mremap has no userfaultfd steps.
            throw new IllegalArgumentException(where + "MREMAP with a userfaultfd monitor is not modelled;"
                    + " use one or the other in a scenario");
        }
        for (int t = cfg.threads(); t < 8; t++) {
            if (!sc.program(t).isEmpty()) {
                throw new IllegalArgumentException(where + "thread T" + t + " has a program but the machine has "
                        + cfg.threads() + " threads");
            }
        }
    }

    /**
     * The one regular file: what the model leaves out (what an operation may do to its pages, each
     * operation's {@link Operation#validate} says).
     */
    private static void validatePageCache(Scenario sc, String where) {
        for (int v = 0; v < sc.vmas().size(); v++) {
            if (sc.isPfnmap(v)) {
                throw new IllegalArgumentException(where + "a scenario has one file: VM_PFNMAP (device) and page-cache"
                        + " file VMAs cannot be mixed");
            }
        }
        if (sc.hasUserfaultfd()) {
            throw new IllegalArgumentException(where + "userfaultfd on page-cache file mappings is not modelled");
        }
    }

    /** The file's size in pages: the end of its last shared file VMA (0 without one). */
    static int fileSize(Scenario sc) {
        int size = 0;
        for (int v = 0; v < sc.vmas().size(); v++) {
            if (sc.isSharedFile(v)) {
                size = Math.max(size, sc.vmas().get(v).end());
            }
        }
        return size;
    }

    /** Does a shared file VMA of the scenario cover {@code page}? */
    static boolean fileCovered(Scenario sc, int page) {
        for (int v = 0; v < sc.vmas().size(); v++) {
            Scenario.VmaSpec spec = sc.vmas().get(v);
            if (sc.isSharedFile(v) && spec.start() <= page && page < spec.end()) {
                return true;
            }
        }
        return false;
    }

    /** Does a VM_PFNMAP VMA of the scenario cover {@code page}? */
    private static boolean pfnmapped(Scenario sc, int page) {
        for (int v = 0; v < sc.vmas().size(); v++) {
            Scenario.VmaSpec spec = sc.vmas().get(v);
            if (sc.isPfnmap(v) && spec.start() <= page && page < spec.end()) {
                return true;
            }
        }
        return false;
    }

    private static boolean covered(Scenario sc, int page) {
        for (Scenario.VmaSpec v : sc.vmas()) {
            if (v.start() <= page && page < v.end()) {
                return true;
            }
        }
        return false;
    }

    /** Writes the scenario's starting point into the initial state. */
    private static void initialLayout(Kernel k, Scenario sc, FieldArray started, long[] s) {
        Machine m = k.machine;
        Mm mm = k.mm;
        MachineConfig cfg = sc.config();
        List<Scenario.VmaSpec> vmas = sc.vmas();
        int locked = 0;
        for (int v = 0; v < vmas.size(); v++) {
            Scenario.VmaSpec spec = vmas.get(v);
            mm.vmaStart.set(s, v, spec.start());
            mm.vmaEnd.set(s, v, spec.end());
            mm.vmaLocked.set(s, v, spec.locked() ? 1 : 0);
            mm.vmaGrowsDown.set(s, v, spec.growsDown() ? 1 : 0);
            mm.vmaAllocated.set(s, v, 1);
            mm.vmaUffdMissing.set(s, v, sc.isUffdRegistered(v) ? 1 : 0);
            mm.link(s, v);
            if (sc.isPfnmap(v)) {
                mm.vmaPfnmap.set(s, v, 1);
                mm.vmaInIMmap.set(s, v, 1);
            }
            if (sc.isSharedFile(v)) {
                mm.vmaSharedFile.set(s, v, 1);
                mm.vmaInIMmap.set(s, v, 1);
            }
            if (spec.locked()) {
                locked += spec.end() - spec.start();
            }
            if (mm.perVmaLocks()) {
                // A VMA with a page faulted in has its anon_vma (anon_vma_prepare ran at that fault).
                boolean faulted = sc.mapped().get(spec.start(), spec.end()).cardinality() > 0;
                mm.vmaAnonVma.set(s, v, faulted ? 1 : 0);
            }
        }
        mm.lockedVm.set(s, locked);
        for (int p = 0; p < cfg.pages(); p++) {
            if (!sc.isMapped(p)) {
                continue;
            }
            int t = cfg.tableOf(p);
            if (m.pmd.get(s, t) == Machine.NONE) {
                int pt = m.firstFreeFrame(s);
                if (pt == Machine.NONE) {
                    throw new IllegalArgumentException("scenario '" + sc.name() + "': " + cfg.frames()
                            + " frames are too few for its mapped pages and their page tables");
                }
                m.allocate(s, pt, Machine.PAGE_TABLE, t);
                m.pmd.set(s, t, pt);
            }
            int f = m.firstFreeFrame(s);
            if (f == Machine.NONE) {
                throw new IllegalArgumentException("scenario '" + sc.name() + "': " + cfg.frames()
                        + " frames are too few for its mapped pages and their page tables");
            }
            boolean file = fileCovered(sc, p);
            m.allocate(s, f, pfnmapped(sc, p) ? Machine.PFN : file ? Machine.FILE : Machine.ANON, p);
            m.pte.set(s, p, f);
            if (file) {
                k.pageCache.cache.set(s, p, f);
            }
        }
        PageCache pc = k.pageCache;
        if (pc.present()) {
            // Every page of the file is in the page cache; those not mapped get their frame now.
            for (int p = 0; p < cfg.pages(); p++) {
                if (fileCovered(sc, p) && pc.cache.get(s, p) == Machine.NONE) {
                    int f = m.firstFreeFrame(s);
                    if (f == Machine.NONE) {
                        throw new IllegalArgumentException("scenario '" + sc.name() + "': " + cfg.frames()
                                + " frames are too few for its mapped pages, their page tables and the file's cached pages");
                    }
                    m.allocate(s, f, Machine.FILE, p);
                    pc.cache.set(s, p, f);
                }
            }
            pc.iSize.set(s, fileSize(sc));
        }
        int users = 0;
        for (int t = 0; t < cfg.threads(); t++) {
            if (!sc.isStartedLater(t)) {
                started.set(s, t, 1);
                users++;
            }
            if (mm.hasVmacache()) {
                mm.vmacacheTaskSeq.element(t).setChecked(s, mm.u64Seqnum() ? 1 : sc.initialTaskSeq(t));
            }
        }
        mm.mmUsers.set(s, Math.max(1, users));
        if (sc.isBatchedFlushMarked()) {
            k.batchGenerations.markInitially(s); // the generations, or the bool before v5.17
        }
        if (mm.hasVmacache() && !mm.u64Seqnum()) {
            mm.vmacacheSeqnum.setChecked(s, sc.initialMmSeq());
        }
        for (int c = 0; c < cfg.cpus(); c++) {
            switch (sc.role(c)) {
                case THREAD:
                    m.loaded.set(s, c, Machine.THE_MM);
                    m.inCpumask.set(s, c, 1);
                    break;
                case LAZY:
                    if (ContextSwitch.lazyMode(k)) {
                        m.loaded.set(s, c, Machine.THE_MM);
                        m.lazy.set(s, c, 1);
                        m.inCpumask.set(s, c, 1);
                    } else {
                        // v4.14-v4.19 with PCID: enter_lazy_tlb switched to init_mm at once; the
                        // mm's ASID keeps what the CPU cached.
                        m.loaded.set(s, c, Machine.INIT_MM);
                    }
                    break;
                default:
                    m.loaded.set(s, c, Machine.INIT_MM);
            }
        }
        CpuContexts contexts = k.contexts;
        for (int c = 0; contexts.present() && c < cfg.cpus(); c++) {
            CpuRole role = sc.role(c);
            contexts.running.set(s, c, role == CpuRole.THREAD ? CpuContexts.MM_THREAD
                    : role == CpuRole.LAZY ? CpuContexts.KTHREAD : CpuContexts.OTHER);
            contexts.asidCached.set(s, c, role != CpuRole.IDLE && k.has(Feature.PCID_TLB_GEN) ? 1 : 0);
            contexts.switchesLeft.set(s, c, sc.contextSwitches(c));
        }
        for (int[] e : sc.tlbEntries()) {
            int t = cfg.tableOf(e[1]);
            m.setPsc(s, e[0], t, m.pmd.get(s, t));
            m.setTlb(s, e[0], e[1], m.pte.get(s, e[1]));
        }
    }
}
