package dev.mmcheck.model.mm;

import dev.mmcheck.checker.program.Program;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.invariants.Ghost;
import dev.mmcheck.model.versions.Feature;

import java.util.function.Predicate;

/**
 * The node of the mm's maple tree as an object that a store may rewrite, and the maple states
 * (struct ma_state) of threads that hold a pointer to it: what the stack's tree store under the
 * mmap read lock needs, in kernels that have it ({@link Feature#MAPLE_TREE} without
 * {@link Feature#STACK_EXPANSION_WRITE_LOCK}: v6.1 to v6.4, 6.1.y before 6.1.37), when the mm
 * has a VM_GROWSDOWN VMA. Absent everywhere else: without a stack no store runs under the read
 * lock, so nothing changes between a reader's walk and its read, and they stay one step.
 *
 * <p>The scenarios' few VMAs fit one leaf node (16 slots), the tree's root, as in the StackRot
 * write-up. A store that removes a gap entry goes through mas_wr_node_store (lib/maple_tree.c,
 * v6.1.20), which {@link #rewrite}s the node: outside RCU mode (6.1.0 to 6.1.23) it copies the
 * new node over the old one in place, so a reader's maple state no longer matches the node
 * (the syzbot report 3dd443254941 fixes); in RCU mode ({@link Feature#MAPLE_TREE_RCU_MODE}) it
 * publishes a new node (mas_replace) and frees the old one with call_rcu (mas_free →
 * ma_free_rcu), so the reader holds freed memory after the grace period (StackRot, B18,
 * CVE-2023-3269). A store that only moves a pivot (mas_wr_slot_store) writes in place and
 * invalidates nothing.
 *
 * <p>Readers, each in two steps since a rewrite may come between them: {@link #walk} is
 * mas_walk recording the node in the maple state, {@link #read} is mas_prev reading a slot of
 * that node. Only readers that hold the mmap read lock and are not in an RCU read-side section
 * are modelled this way (find_vma_prev, expand_downwards' mas_prev): the other readers are one
 * step each: find_vma's mt_find walks inside rcu_read_lock, so in RCU mode the node it reads
 * cannot be freed under it, and every other store takes the mmap write lock, which excludes a
 * reader holding the read lock. Not modelled: outside RCU mode a walk that overlaps the in-place
 * copy (mt_find's included) may read a half-written node; the model's copy is one step. In RCU mode the callback runs as soon as the grace period
 * allows, and no modelled thread is inside an RCU section between steps, so the old node is
 * freed at the rewrite: that gives a stale reader the least time, and the dead-node retry of a
 * reader that comes before the callback (ma_dead_node) is the walk of a reader that starts after.
 */
public final class MapleNodes {
    /** {@link #masNode}: the thread's maple state holds no node. */
    public static final int NONE = 0;
    /** It holds the tree's current node, as it was when walked. */
    public static final int LIVE = 1;
    /** It holds a node that a store rewrote since: freed (RCU mode) or changed in place. */
    public static final int STALE = 2;
    /**
     * Outside RCU mode: the thread read a slot of a node rewritten in place since its walk, so
     * what it read belongs to the new layout, not to its maple state (I4).
     */
    public static final int MISREAD = 3;

    /** {@code mas.node} of thread t's maple state: {@link #NONE}, {@link #LIVE}, {@link #STALE} or {@link #MISREAD}. */
    public final FieldArray masNode;
    private final boolean rcu;
    private final Ghost ghost;

    private MapleNodes(FieldArray masNode, boolean rcu, Ghost ghost) {
        this.masNode = masNode;
        this.rcu = rcu;
        this.ghost = ghost;
    }

    /** The node model of a kernel whose stack rewrites the node under the read lock; {@code rcu}: the tree is in RCU mode. */
    public static MapleNodes of(Program prog, int threads, boolean rcu, Ghost ghost) {
        return new MapleNodes(prog.array("task.mas.node", threads, NONE, rcu ? STALE : MISREAD), rcu, ghost);
    }

    /** No node model: every walk is one step. */
    public static MapleNodes absent() {
        return new MapleNodes(null, false, null);
    }

    /** Does the kernel rewrite maple nodes under readers that hold only the mmap read lock? */
    public static boolean needed(Predicate<Feature> has) {
        return has.test(Feature.MAPLE_TREE) && !has.test(Feature.STACK_EXPANSION_WRITE_LOCK);
    }

    public boolean present() {
        return masNode != null;
    }

    /** Is the tree in RCU mode (a rewrite replaces and frees the node)? */
    public boolean rcu() {
        return rcu;
    }

    /** mas_walk by {@code thread}: its maple state records the tree's node. */
    public void walk(long[] s, int thread) {
        masNode.set(s, thread, LIVE);
    }

    /**
     * mas_prev by {@code thread} reads a slot of the node its maple state recorded. A node freed
     * since is a use-after-free (I7); a node rewritten in place since gives a slot of the new
     * layout (I4). The maple state is done with the node afterwards.
     */
    public void read(long[] s, int thread) {
        if (masNode.get(s, thread) == STALE) {
            if (!rcu) {
                masNode.set(s, thread, MISREAD);
                return;
            }
            ghost.record(s, Ghost.USE_AFTER_FREE_MAPLE_NODE, 0, thread);
        }
        masNode.set(s, thread, NONE);
    }

    /**
     * mas_wr_node_store: the tree's node is rewritten, in place or (RCU mode) by a new node while
     * the old one is freed after a grace period that no modelled reader delays. Every maple state
     * that recorded it is stale now.
     */
    public void rewrite(long[] s) {
        for (int t = 0; t < masNode.length(); t++) {
            if (masNode.get(s, t) == LIVE) {
                masNode.set(s, t, STALE);
            }
        }
    }

    /** I4: the first thread that read a node rewritten in place under its maple state, or -1. */
    public int misread(long[] s) {
        for (int t = 0; present() && t < masNode.length(); t++) {
            if (masNode.get(s, t) == MISREAD) {
                return t;
            }
        }
        return -1;
    }
}
