package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.versions.Feature;

import java.util.Optional;

/**
 * Something a thread of a {@link Scenario} does: a system call, a driver's path, a hardware
 * event or a kernel thread's work, on a page range {@code [op.start(), op.end())}. The built-in
 * ones are {@link Op.Kind}; a kernel developer adds another by implementing this interface in
 * their own project and using it in a scenario with {@link Op#of}:
 *
 * <pre>{@code
 * record DriverZap() implements Operation {
 *     public String name() { return "driver_zap"; }
 *     public String entrySource() { return "drivers/gpu/example.c:example_ioctl"; }
 *     public Procedure procedure(Kernel k) { return k.program.procedure("driver_zap", c -> ...); }
 * }
 * Scenario.named(...).thread(0, Op.munmap(0, 2)).thread(1, Op.of(new DriverZap(), 0, 2));
 * }</pre>
 *
 * <p>The thread calls {@link #procedure} with its locals {@code start}, {@code end} and
 * {@code page} (= start) set and {@code failed} cleared ({@link dev.mmcheck.model.mm.ThreadLocals});
 * {@link #arguments} sets any other local first, and {@link #afterCall} adds the steps that run
 * before the thread is back in user space (the return-to-user checks). Operations are compared
 * with {@code equals}: the model builds one procedure per distinct operation, so make an
 * operation a value (an enum constant or a record).
 */
public interface Operation {
    /** What traces and messages call it: {@code "munmap"}, {@code "driver_zap"}. */
    String name();

    /** The entry point in the kernel source, with the file: {@code "mm/mmap.c:SYSCALL_DEFINE2(munmap)"}. */
    String entrySource();

    /** The procedure a thread calls to run it, declared once per model ({@code k.program.procedure}). */
    Procedure procedure(Kernel k);

    /** Arguments beyond start and end: sets locals of thread {@code p} declared here. */
    default Effect arguments(Kernel k, Process p, Op op) {
        return s -> { };
    }

    /**
     * Steps thread {@code p} runs after the call and before user space, labelled from
     * {@code prefix} ({@code "2: "}): for example {@link dev.mmcheck.model.syscalls.Syscalls#returnToUser}.
     */
    default void afterCall(Kernel k, Process p, int thread, Op op, String prefix) {
    }

    /** The step label of {@code op}: {@code "driver_zap(0x0, 2 pages)"} (no '.', '[' or ']'). */
    default String title(Op op) {
        return call(name(), op);
    }

    /** {@code "name(0x2000, 2 pages)"}: a call on the operation's page range, as traces show it. */
    static String call(String name, Op op) {
        int pages = op.end() - op.start();
        return name + "(" + Machine.addr(op.start()) + ", " + pages + (pages == 1 ? " page)" : " pages)");
    }

    /**
     * Rejects an {@code op} that {@code scenario} cannot run, with a message that starts with
     * {@code where} and names the thread: called after the range is checked to lie in the machine.
     */
    default void validate(Scenario scenario, int thread, Op op, String where) {
    }

    /**
     * The optional kernel parts its procedure needs ({@link KernelParts}): file mappings for an
     * rmap walker, the page cache for truncate, page moves for mremap. The scenario's model is
     * built with them; code that uses a part the model lacks fails when the model is built.
     */
    default KernelParts parts() {
        return KernelParts.NONE;
    }

    /** The feature without which the kernel has no such operation, if any. */
    default Optional<Feature> needs() {
        return Optional.empty();
    }
}
