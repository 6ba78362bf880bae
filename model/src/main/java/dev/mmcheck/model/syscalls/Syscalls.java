package dev.mmcheck.model.syscalls;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.CpuContexts;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.versions.Feature;

/** Steps at the user/kernel boundary that every syscall shares. */
public final class Syscalls {
    private Syscalls() {
    }

    /**
     * The return to user space of a syscall that unmapped or zapped [start, end): the instant at
     * which I2 is checked (arch/x86/entry/common.c:syscall_return_slowpath).
     */
    public static Code returnToUser(Kernel k, Code c, int thread, String label) {
        ThreadLocals l = ThreadLocals.of(c, k);
        boolean lazyCounts = !k.has(Feature.FREED_TABLES_LAZY_SKIP);
        CpuContexts ctx = k.contexts;
        return c.step(label, k.src("arch/x86/entry/common.c:syscall_return_slowpath"),
                s -> ctx.checkReturn(s, thread, l.start.get(s), l.end.get(s), lazyCounts));
    }

    /**
     * The return to user space of mprotect(start, len, PROT_READ): I2 for permissions, no CPU
     * that can run the mm keeps a writable translation for [start, end)
     * ({@link Ghost#checkReadOnlyReturn}).
     */
    public static Code returnToUserReadOnly(Kernel k, Code c, int thread, String label) {
        ThreadLocals l = ThreadLocals.of(c, k);
        boolean lazyCounts = !k.has(Feature.FREED_TABLES_LAZY_SKIP);
        return c.step(label, k.src("arch/x86/entry/common.c:syscall_return_slowpath"), s -> k.ghost.checkReadOnlyReturn(k.machine, s, thread, l.start.get(s), l.end.get(s), lazyCounts));
    }

    /**
     * clone(CLONE_VM) of thread {@code child}: copy_mm takes a reference (mm_users++) and
     * dup_task_struct copies the parent's task (its vmacache seqnum too) and empties the
     * child's vmacache (vmacache_flush; no vmacache from v6.1). The child's program
     * waits for {@code started[child]}.
     */
    public static Code cloneThread(Kernel k, Code c, int parent, int child, dev.mmcheck.checker.state.FieldArray started, String label) {
        Mm mm = k.mm;
        return c.step(label, k.src("kernel/fork.c:copy_process, copy_mm, dup_task_struct"), s -> {
            mm.mmUsers.set(s, mm.mmUsers.get(s) + 1);
            if (mm.hasVmacache()) {
                mm.vmacacheTaskSeq.set(s, child, mm.vmacacheTaskSeq.get(s, parent));
                mm.vmacacheFlush(s, child);
            }
            started.set(s, child, 1);
        });
    }
}
