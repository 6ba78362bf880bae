package dev.mmcheck.model;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.Program;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The modelled kernel of one scenario: the program being built, the machine and mm state, the
 * ghost state, and the variant whose algorithm is modelled. Everything that writes kernel steps
 * takes a {@code Kernel}.
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
    public final Ghost ghost;

    private final Map<Process, Integer> threads = new HashMap<>();
    private final Map<Integer, ThreadLocals> locals = new HashMap<>();
    private final Map<Class<?>, Object> shared = new HashMap<>();
    /** The code whose step is being patched, while a {@link StepPatch} runs. */
    private Code site;

    public Kernel(String name, MachineConfig config, Variant variant) {
        this(name, config, variant, false);
    }

    /** @param pageCache the model has page-cache file pages ({@link PageCache}). */
    public Kernel(String name, MachineConfig config, Variant variant, boolean pageCache) {
        this.config = config;
        this.variant = variant;
        this.program = new Program(name);
        program.requireSources();
        program.apply(variant.toPatch(this));
        this.machine = new Machine(program, config, pageCache);
        this.mm = new Mm(program, config, variant.has(Feature.VMACACHE_SEQNUM_U64));
        this.ghost = new Ghost(program, config, pageCache);
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
     * declared once per program.
     */
    public <T> T shared(Class<T> type, Function<Kernel, T> make) {
        Object o = shared.get(type);
        if (o == null) {
            o = make.apply(this);
            shared.put(type, o);
        }
        return type.cast(o);
    }

    /** The shared instance of {@code type} if some code made one ({@link #shared}), else null. */
    public <T> T sharedIfMade(Class<T> type) {
        return type.cast(shared.get(type));
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
