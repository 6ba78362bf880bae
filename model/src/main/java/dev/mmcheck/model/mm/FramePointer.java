package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Code;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;

/**
 * A thread's pointer to a physical page: the page-table page a walk reached
 * ({@code pte_t *pte} from pte_offset_map, kept while the thread works on the PTE) or a page it
 * holds (the fault's new page, a page-cache page it found and took a reference on). The state
 * field of the same name stores the frame + 1, {@link Machine#NONE} for NULL; steps read it with
 * {@link #frame} and {@link #isNull}, so that no call site converts.
 *
 * <p>A page-table pointer is checked where it is used: {@link #useTable} records I7
 * ({@link Ghost#PTE_IN_FREED_TABLE}) when the page it points to is no longer the page table of
 * the address (munmap freed it, and it may have been reused), at the step that reads or writes a
 * PTE through it. Guards read the pointer without checking, since they only decide.
 */
public final class FramePointer {
    private final Field value;
    private final Machine machine;
    private final MachineConfig config;
    private final Ghost ghost;
    private final int thread;

    FramePointer(Code c, Kernel k, String name, int thread) {
        this.value = c.local(name, 0, k.config.frames());
        this.machine = k.machine;
        this.config = k.config;
        this.ghost = k.ghost;
        this.thread = thread;
    }

    /** The pointer (frame + 1, or {@link Machine#NONE}), for guards and for code that passes it on. */
    public int get(long[] s) {
        return value.get(s);
    }

    /** {@code ptr == NULL}. */
    public boolean isNull(long[] s) {
        return value.get(s) == Machine.NONE;
    }

    /** The frame it points to; the pointer must not be NULL. */
    public int frame(long[] s) {
        int ptr = value.get(s);
        if (ptr == Machine.NONE) {
            throw new IllegalStateException("a step uses " + value.name() + ", which is NULL");
        }
        return ptr - 1;
    }

    /** {@code ptr = p}: a frame + 1, or {@link Machine#NONE}. */
    public void set(long[] s, int ptr) {
        value.set(s, ptr);
    }

    /** {@code ptr = NULL}: the thread let go of the page (pte_unmap, or the reference passed on). */
    public void clear(long[] s) {
        value.set(s, Machine.NONE);
    }

    /**
     * pte_offset_map: the pointer to the page table that maps {@code page}, read from the PMD
     * entry now (NULL when the PMD is empty).
     */
    public void mapTableOf(long[] s, int page) {
        mapTable(s, config.tableOf(page));
    }

    /** pte_offset_map of table index {@code table}: the page-table page its PMD entry points to now. */
    public void mapTable(long[] s, int table) {
        value.set(s, machine.pmd.get(s, table));
    }

    /**
     * Uses the pointer as the page table that maps {@code page} (a PTE read or write through it):
     * true when it still is; otherwise records I7 at this use (the thread writes into a freed or
     * reused page) and returns false, so that the step can do what the kernel's write would
     * amount to.
     */
    public boolean useTable(long[] s, int page) {
        if (machine.isTableOf(s, value.get(s), config.tableOf(page))) {
            return true;
        }
        if (thread < 0) {
            throw new IllegalStateException("only a thread of the mm walks page tables (" + value.name() + ")");
        }
        ghost.record(s, Ghost.PTE_IN_FREED_TABLE, page, thread);
        return false;
    }

    /** The state field holding the pointer (for explanations that look back along a trace). */
    public Field field() {
        return value;
    }
}
