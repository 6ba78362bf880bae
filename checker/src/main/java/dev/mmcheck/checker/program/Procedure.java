package dev.mmcheck.checker.program;

import java.util.function.Consumer;

/**
 * A named block of steps that processes {@link Code#call call}, e.g. {@code zap_pte_range}
 * from munmap and from madvise. Its body is a template: every process that calls it gets its
 * own copy of the steps (so a pc is just an index into that process's step table), built by
 * running the body once against that process, and the body's {@link Code#local locals} are the
 * calling process's locals. Arguments are passed by setting those locals in the call's effect.
 *
 * <p>Calls push the return point on the process's return stack, so a procedure may be called
 * from several places and may call others; it may even call itself, up to
 * {@link Program#maxCallDepth}, but its locals are not saved per call: one copy per process.
 */
public final class Procedure {
    private final String name;
    private final Consumer<Code> body;

    Procedure(String name, Consumer<Code> body) {
        this.name = name;
        this.body = body;
    }

    public String name() {
        return name;
    }

    /** This procedure's steps in {@code process}, writing them on first use. */
    Code instantiateIn(Process process) {
        Code code = process.instances.get(this);
        if (code != null) {
            return code;
        }
        code = new Code(process.program, process, this);
        process.instances.put(this, code); // before the body runs, so a recursive call finds it
        body.accept(code);
        code.finish();
        if (code.steps.isEmpty()) {
            throw new IllegalArgumentException(code.where() + " has no steps");
        }
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
