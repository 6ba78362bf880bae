package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.Variant;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.invariants.Invariants;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.FindVma;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.versions.KernelVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The part of B1 (CVE-2018-17182) that needs no munmap actor: Mm.vmacacheInvalidate's wrap with
 * the v4.12 flush_all shortcut (6b4ebc3a9078), and FindVma returning a freed VMA from a cache
 * that looks current after the wrap. The VMA removals that munmap would do are done by hand
 * here; the full interleaving of BUGS.md B1 is assembled with the munmap actor.
 */
class VmacacheWrapTest {
    private static final int A = 0;
    private static final int B = 1;
    /** X = [0, 0x1000) and Y = [0x2000, 0x3000), VMA objects 0 and 1. */
    private static final int X = 0;
    private static final int Y = 1;
    private static final int PAGE_IN_Y = 2;

    private Kernel k;
    private Mm mm;
    private long[] s;

    /** A kernel with a {@code seqBits}-bit seqnum (0: u64), threads A and B, VMAs X and Y, one user. */
    private void setUp(int seqBits) {
        MachineConfig cfg = MachineConfig.small().withVmacacheSeqBits(seqBits);
        k = new Kernel("vmacache", cfg, Variant.of(KernelVersion.V4_12));
        for (int t = 0; t < cfg.threads(); t++) {
            Process p = k.program.process("T" + t);
            p.step("idle", "test: no program");
            k.thread(p, t);
        }
        ProgramModel model = k.program.build();
        mm = k.mm;
        s = model.initialStates().get(0).clone();
        vma(X, 0, 1);
        vma(Y, 2, 3);
        mm.mmUsers.set(s, 1);
        for (int t = 0; t < cfg.threads(); t++) {
            mm.vmacacheTaskSeq.set(s, t, mm.u64Seqnum() ? 1 : 0);
        }
    }

    private void vma(int v, int start, int end) {
        mm.vmaStart.set(s, v, start);
        mm.vmaEnd.set(s, v, end);
        mm.vmaAllocated.set(s, v, 1);
        mm.link(s, v);
    }

    /** What munmap does to the VMA objects: detach (unlink, map_count--, invalidate), then free. */
    private void unmap(int v) {
        mm.vmaInTree.set(s, v, 0);
        if (mm.listHead.get(s) == v + 1) {
            mm.listHead.set(s, mm.vmaNext.get(s, v));
        } else {
            for (int u = mm.listHead.get(s); u != Mm.NONE; u = mm.vmaNext.get(s, u - 1)) {
                if (mm.vmaNext.get(s, u - 1) == v + 1) {
                    mm.vmaNext.set(s, u - 1, mm.vmaNext.get(s, v));
                }
            }
        }
        mm.mapCount.set(s, mm.mapCount.get(s) - 1);
        mm.vmacacheInvalidate(s);
        mm.vmaAllocated.set(s, v, 0);
    }

    /** clone(CLONE_VM) of B by A: mm_users++, B copies A's seqnum and starts with an empty cache. */
    private void cloneB() {
        mm.mmUsers.set(s, mm.mmUsers.get(s) + 1);
        mm.vmacacheTaskSeq.set(s, B, mm.vmacacheTaskSeq.get(s, A));
        mm.vmacacheFlush(s, B);
    }

    @Test
    void aWrapWithOneUserSkipsFlushAll() {
        setUp(2);
        mm.vmacacheSeqnum.set(s, 3);
        mm.vmacacheTaskSeq.set(s, A, 3);
        mm.vmacacheUpdate(s, A, PAGE_IN_Y, Y + 1);
        mm.vmacacheInvalidate(s);
        assertEquals(0, mm.vmacacheSeqnum.get(s), "a 2-bit seqnum wraps from 3 to 0");
        assertEquals(Y + 1, mm.cached(s, A, Mm.vmacacheSlot(PAGE_IN_Y)), "mm_users == 1: vmacache_flush_all returns early");
        assertFalse(mm.vmacacheCurrent(s, A));
    }

    @Test
    void aWrapWithTwoUsersFlushesEveryThread() {
        setUp(2);
        mm.mmUsers.set(s, 2);
        mm.vmacacheSeqnum.set(s, 3);
        mm.vmacacheTaskSeq.set(s, A, 3);
        mm.vmacacheUpdate(s, A, PAGE_IN_Y, Y + 1);
        mm.vmacacheInvalidate(s);
        assertEquals(0, mm.vmacacheSeqnum.get(s));
        assertEquals(Mm.NONE, mm.cached(s, A, Mm.vmacacheSlot(PAGE_IN_Y)), "vmacache_flush_all empties every thread's cache");
    }

    @Test
    void withoutAWrapAnInvalidateMakesEveryCacheStale() {
        setUp(2);
        mm.vmacacheSeqnum.set(s, 1);
        mm.vmacacheTaskSeq.set(s, A, 1);
        mm.vmacacheInvalidate(s);
        assertEquals(2, mm.vmacacheSeqnum.get(s));
        assertFalse(mm.vmacacheCurrent(s, A));
    }

    @Test
    void theU64SeqnumNeverComesBack() {
        setUp(0);
        assertTrue(mm.vmacacheCurrent(s, A));
        for (int i = 0; i < 10; i++) {
            mm.vmacacheInvalidate(s);
            assertFalse(mm.vmacacheCurrent(s, A), "after " + (i + 1) + " invalidations");
        }
    }

    /** BUGS.md B1 steps 1-6 on the VMA objects, with find_vma as FindVma does it. */
    private int b1Sequence() {
        // 1. A alone: mm seqnum MAX, A's MAX-1.
        int max = Math.max(1, mm.seqMax());
        if (!mm.u64Seqnum()) {
            mm.vmacacheSeqnum.set(s, max);
            mm.vmacacheTaskSeq.set(s, A, max - 1);
        } else {
            mm.vmacacheTaskSeq.set(s, A, 0);
        }
        // 2. A faults in Y: the stale cache is flushed and caught up, the tree finds Y, Y is cached.
        assertEquals(Y + 1, FindVma.find(k, s, A, PAGE_IN_Y));
        assertTrue(mm.vmacacheCurrent(s, A));
        // 3. A munmaps X: the seqnum wraps to 0 and flush_all returns early (one user).
        unmap(X);
        // 4. A clones B.
        cloneB();
        // 5. B invalidates up to MAX-1, then munmaps Y: seqnum MAX, Y freed.
        if (!mm.u64Seqnum()) {
            while (mm.vmacacheSeqnum.get(s) != max - 1) {
                mm.vmacacheInvalidate(s);
            }
        }
        unmap(Y);
        // 6. A faults in Y's old range.
        return FindVma.find(k, s, A, PAGE_IN_Y);
    }

    @Test
    void b1AStaleCacheAfterAWrapReturnsAFreedVma() {
        setUp(2);
        int found = b1Sequence();
        assertEquals(Y + 1, found, "A's cache looks current (seqnum " + mm.vmacacheTaskSeq.get(s, A) + ") and returns Y");
        assertEquals(Ghost.USE_AFTER_FREE_VMA, k.ghost.fault.get(s));
        assertEquals(Y, k.ghost.faultWhere.get(s));
        assertEquals(A, k.ghost.faultThread.get(s));
        assertFalse(Invariants.i7(k).holds(s));
        assertFalse(Invariants.i4(k).holds(s), "I4: a current cache slot holds a freed VMA");
    }

    @Test
    void b1IsGoneWithTheU64Seqnum() {
        setUp(0);
        int found = b1Sequence();
        assertEquals(Mm.NONE, found, "no VMA contains or lies above the page any more");
        assertEquals(Ghost.OK, k.ghost.fault.get(s));
        assertTrue(Invariants.i4(k).holds(s));
        assertTrue(Invariants.i7(k).holds(s));
    }
}
