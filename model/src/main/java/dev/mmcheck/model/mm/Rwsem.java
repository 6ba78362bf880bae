package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.versions.Feature;

/**
 * mmap_sem as a reader-writer semaphore (kernel/locking/rwsem*.c): a writer excludes everyone;
 * readers share; a queued writer blocks new readers (writer preference, so a stream of faults
 * cannot starve munmap); downgrade_write turns the writer into a reader atomically.
 * Each operation is one atomic step (SEMANTICS.md §8), except down_write, which queues first so
 * that readers arriving later see the waiting writer.
 */
public final class Rwsem {
    /** The lock and unlock entry points, in every release (down_read, up_write, downgrade_write, ...). */
    private static final String SRC = "kernel/locking/rwsem.c";

    private Rwsem() {
    }

    /** down_read: waits while a writer holds or waits for the lock. */
    public static Code downRead(Kernel k, Code c, int thread, String label) {
        Mm mm = k.mm;
        return c.await(label, k.src(SRC + ":down_read"), s -> readerMayEnter(mm, s),
                s -> mm.semReaders.set(s, mm.semReaders.get(s) + 1));
    }

    /**
     * Would a reader get the lock now: no writer holds or waits for it. What down_read waits for,
     * and what down_read_trylock (mmap_read_trylock) succeeds on.
     */
    public static boolean readerMayEnter(Mm mm, long[] s) {
        return mm.semWriter.get(s) == 0 && mm.semWritersWaiting.get(s) == 0;
    }

    /** up_read. */
    public static Code upRead(Kernel k, Code c, int thread, String label) {
        return c.step(label, k.src(SRC + ":up_read"), s -> releaseRead(k, s, thread));
    }

    /**
     * The label of down_write's first step, queueing as a waiting writer, when the lock step is
     * {@code label}: a caller's StepRef constant for it is built with this, so the two agree.
     */
    public static String queueLabel(String label) {
        return label + "_queue";
    }

    /** down_write as two steps: queue as a waiting writer ({@link #queueLabel}), then take the lock when it is free. */
    public static Code downWrite(Kernel k, Code c, int thread, String label) {
        Mm mm = k.mm;
        String slowpath = k.has(Feature.RWSEM_SLOWPATH_IN_RWSEM_C) ? SRC + ":rwsem_down_write_slowpath"
                : "kernel/locking/rwsem-xadd.c:rwsem_down_write_failed";
        c.step(queueLabel(label), k.src(slowpath),
                s -> mm.semWritersWaiting.set(s, mm.semWritersWaiting.get(s) + 1));
        return c.await(label, k.src(SRC + ":down_write"),
                s -> mm.semWriter.get(s) == 0 && mm.semReaders.get(s) == 0,
                s -> {
                    mm.semWritersWaiting.set(s, mm.semWritersWaiting.get(s) - 1);
                    mm.semWriter.set(s, thread + 1);
                });
    }

    /** up_write. */
    public static Code upWrite(Kernel k, Code c, int thread, String label) {
        return upWrite(k, c, thread, label, s -> { });
    }

    /** up_write, after {@code first} (what the step also does while the lock is still held: a ghost check). */
    public static Code upWrite(Kernel k, Code c, int thread, String label, Effect first) {
        return c.step(label, k.src(SRC + ":up_write"), s -> {
            first.apply(s);
            releaseWrite(k, s, thread);
        });
    }

    /** up_read's effect, for a step that releases mmap_sem as part of what it does (a patch's too). */
    public static void releaseRead(Kernel k, long[] s, int thread) {
        k.mm.semReaders.set(s, k.mm.semReaders.get(s) - 1);
        released(k, s, thread);
    }

    /** up_write's effect, for a step that releases mmap_sem as part of what it does (a patch's too). */
    public static void releaseWrite(Kernel k, long[] s, int thread) {
        VmaLock.endWriteAll(k.mm, s); // mmap_write_unlock: vma_end_write_all before up_write (v6.4+)
        k.mm.semWriter.set(s, 0);
        released(k, s, thread);
    }

    /** The thread's VMA pointers lose the lock they were found under (checked at their next use). */
    private static void released(Kernel k, long[] s, int thread) {
        ThreadLocals l = k.locals(thread);
        if (l != null) {
            l.lockReleased(s);
        }
    }

    /** downgrade_write: the writer becomes a reader without letting anyone in between. */
    public static Code downgrade(Kernel k, Code c, int thread, String label) {
        return downgrade(k, c, thread, label, s -> { });
    }

    /** downgrade_write, after {@code first} (done while the lock is still held for write: a ghost check). */
    public static Code downgrade(Kernel k, Code c, int thread, String label, Effect first) {
        Mm mm = k.mm;
        return c.step(label, k.src(SRC + ":downgrade_write"), s -> {
            first.apply(s);
            VmaLock.endWriteAll(mm, s); // mmap_write_downgrade: vma_end_write_all first (v6.4+)
            mm.semWriter.set(s, 0);
            mm.semReaders.set(s, mm.semReaders.get(s) + 1);
        });
    }
}
