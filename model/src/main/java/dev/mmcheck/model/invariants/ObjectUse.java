package dev.mmcheck.model.invariants;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.checker.trace.TraceStep;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.mm.MapleNodes;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.ThreadLocals;
import dev.mmcheck.model.mm.VmaPointer;

import java.util.List;
import java.util.function.Predicate;

/**
 * The history of an I7 misuse, read back along the counterexample: which of the thread's
 * pointers it used, where it found that pointer, where the lock it was found under was released
 * and where the object was freed, and where it was used. The violating state records only the
 * misuse (kind, object, thread), so the state space is not split by where pointers came from.
 */
final class ObjectUse {
    private ObjectUse() {
    }

    /** Did step {@code i} give back the per-VMA read lock {@code thread} held (vma_end_read), not mmap_lock? */
    private static boolean vmaLockReleased(Kernel k, List<TraceStep> steps, int i, int thread) {
        if (!k.mm.perVmaLocks() || i < 1) {
            return false;
        }
        return k.mm.faultVmaLocked.get(steps.get(i - 1).state(), thread) != Mm.NONE
                && k.mm.faultVmaLocked.get(steps.get(i).state(), thread) == Mm.NONE;
    }

    /** "; vma was found at ..., ... and used at ..." for the misuse {@code trace} ends in, or "". */
    static String history(Kernel k, Trace trace) {
        List<TraceStep> steps = trace.steps();
        long[] last = trace.lastState();
        // The pointer as the using step found it (the step may clear it, as set_pte_at does).
        long[] before = steps.size() >= 2 ? steps.get(steps.size() - 2).state() : last;
        Ghost g = k.ghost;
        int thread = g.faultThread.get(last);
        int where = g.faultWhere.get(last);
        ThreadLocals l = k.locals(thread);
        String used = "; used at " + at(steps, steps.size() - 1);
        switch (g.fault.get(last)) {
            case Ghost.USE_AFTER_FREE_VMA:
            case Ghost.VMA_USED_AFTER_UNLOCK: {
                VmaPointer p = l == null ? null : pointerTo(l, before, where);
                if (p == null) {
                    return used;
                }
                Field value = p.field();
                Field underLock = p.underLockField();
                int found = lastBecame(steps, s -> value.get(s) == where + 1 && underLock.get(s) == 1);
                int released = lastBecame(steps, s -> !(value.get(s) == where + 1 && underLock.get(s) == 1));
                int freed = lastBecame(steps, s -> k.mm.vmaAllocated.get(s, where) == 0);
                StringBuilder b = new StringBuilder("; the pointer ").append(value.name());
                b.append(found < 0 ? " held it from the start" : " was found at " + at(steps, found));
                if (released > found && g.fault.get(last) == Ghost.VMA_USED_AFTER_UNLOCK) {
                    b.append(vmaLockReleased(k, steps, released, thread) ? ", its VMA read lock released at " : ", mmap_lock released at ")
                            .append(at(steps, released));
                }
                if (freed >= 0) {
                    b.append(", VMA ").append(where).append(" freed at ").append(at(steps, freed));
                }
                return b.append(used).toString();
            }
            case Ghost.PTE_IN_FREED_TABLE: {
                if (l == null) {
                    return used;
                }
                Field table = l.tableFrame.field();
                int ptr = table.get(before);
                int page = where;
                if (ptr == Machine.NONE) {
                    // pte_offset_map read a PMD entry that munmap had already cleared.
                    int pmd = k.config.tableOf(page);
                    int cleared = lastBecame(steps, s -> k.machine.pmd.get(s, pmd) == Machine.NONE);
                    return (cleared < 0 ? "" : "; the PMD entry it walked was cleared at " + at(steps, cleared)) + used;
                }
                int found = lastBecame(steps, s -> table.get(s) == ptr);
                int freed = lastBecame(steps, s -> !k.machine.isTableOf(s, ptr, k.config.tableOf(page)));
                StringBuilder b = new StringBuilder("; the page-table pointer ").append(table.name());
                b.append(found < 0 ? " held it from the start" : " was found at " + at(steps, found));
                if (freed > found) {
                    b.append(", the table freed or reused at ").append(at(steps, freed));
                }
                return b.append(used).toString();
            }
            case Ghost.USE_AFTER_FREE_MAPLE_NODE: {
                Field node = k.mapleNodes.masNode.element(thread);
                int recorded = lastBecame(steps, st -> node.get(st) == MapleNodes.LIVE);
                int freed = lastBecame(steps, st -> node.get(st) == MapleNodes.STALE);
                StringBuilder b = new StringBuilder("; the maple state ").append(node.name());
                b.append(recorded < 0 ? " held the node from the start" : " recorded the node at " + at(steps, recorded));
                if (freed >= 0) {
                    b.append(", the node replaced and freed at ").append(at(steps, freed));
                }
                return b.append(used).toString();
            }
            default:
                return used;
        }
    }

    /** The thread's VMA pointer that points at slot {@code vma} in {@code s}. */
    private static VmaPointer pointerTo(ThreadLocals l, long[] s, int vma) {
        for (VmaPointer p : List.of(l.vma, l.prev)) {
            if (p.get(s) == vma + 1) {
                return p;
            }
        }
        return null;
    }

    /** The index of the last step after which {@code now} holds and before which it did not; -1 if none. */
    private static int lastBecame(List<TraceStep> steps, Predicate<long[]> now) {
        for (int i = steps.size() - 1; i > 0; i--) {
            if (now.test(steps.get(i).state()) && !now.test(steps.get(i - 1).state())) {
                return i;
            }
        }
        return -1;
    }

    private static String at(List<TraceStep> steps, int i) {
        TraceStep st = steps.get(i);
        return st.isInitial() ? "the start" : "step " + i + " (" + st.transition().title() + ")";
    }
}
