package dev.mmcheck.checker.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Plain-threads stress: several threads insert overlapping sets of states, each in its own
 * order, into a table loaded close to its limit. Checks the "exactly one thread sees it new"
 * contract, that every present answer names the winner's slot, sizes, and read-back.
 */
@Timeout(60)
class VisitedSetStressTest {
    private static final int THREADS = 4;
    private static final int DISTINCT = 30_000;
    private static final int ROUNDS = 4;

    /** State {@code id}: word 0 takes few values so many states share it; the rest make it unique. */
    private static long[] state(int id, int words) {
        long[] s = new long[words];
        s[0] = id & 0xF;
        if (words == 1) {
            s[0] = id;
        }
        for (int w = 1; w < words; w++) {
            s[w] = (long) id * (w + 1) ^ ((long) w << 40);
        }
        return s;
    }

    @Test
    void losslessMultiWord() throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            run(new LosslessTable(3, (int) (DISTINCT / 0.85) + 7, 0.85), 3, r);
        }
    }

    @Test
    void losslessSingleWord() throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            run(new LosslessTable(1, (int) (DISTINCT / 0.85) + 7, 0.85), 1, r);
        }
    }

    @Test
    void fingerprints() throws Exception {
        for (int r = 0; r < ROUNDS; r++) {
            run(new FingerprintTable((int) (DISTINCT / 0.9) + 7, 0.9), 2, r);
        }
    }

    /**
     * Thread t inserts ids {@code [t * DISTINCT / (2 * THREADS), ...)} covering half the ids,
     * shuffled, plus ids 0..99 every thread races on; together they cover all ids.
     */
    private static void run(VisitedSet set, int words, int round) throws Exception {
        int[][] order = new int[THREADS][];
        int[][] answers = new int[THREADS][DISTINCT];
        for (int t = 0; t < THREADS; t++) {
            Set<Integer> mine = new HashSet<>();
            int from = t * DISTINCT / (2 * THREADS);
            for (int i = 0; i < DISTINCT / 2; i++) {
                mine.add((from + i) % DISTINCT);
            }
            for (int i = 0; i < 100; i++) {
                mine.add(i);
            }
            if (t == THREADS - 1) {
                for (int i = 0; i < DISTINCT; i++) {
                    mine.add(i);
                }
            }
            List<Integer> ids = new ArrayList<>(mine);
            java.util.Collections.shuffle(ids, new Random(31L * round + t));
            order[t] = ids.stream().mapToInt(Integer::intValue).toArray();
            java.util.Arrays.fill(answers[t], Integer.MAX_VALUE);
        }
        long[][] states = new long[DISTINCT][];
        long[] hashes = new long[DISTINCT];
        for (int id = 0; id < DISTINCT; id++) {
            states[id] = state(id, words);
            hashes[id] = StateHash.hash(states[id]);
        }

        inThreads("stress", tt -> {
            for (int id : order[tt]) {
                answers[tt][id] = set.insert(states[id], hashes[id]);
            }
        });

        Set<Integer> slots = new HashSet<>();
        long[] back = new long[words];
        for (int id = 0; id < DISTINCT; id++) {
            int winner = -1;
            int slot = -1;
            for (int t = 0; t < THREADS; t++) {
                int a = answers[t][id];
                assertNotEquals(VisitedSet.FULL, a, "FULL below the load limit");
                if (a != Integer.MAX_VALUE && a >= 0) {
                    assertEquals(-1, winner, "state " + id + " new for threads " + winner + " and " + t);
                    winner = t;
                    slot = a;
                }
            }
            assertTrue(winner >= 0, "state " + id + " never seen as new");
            for (int t = 0; t < THREADS; t++) {
                int a = answers[t][id];
                if (a != Integer.MAX_VALUE && t != winner) {
                    assertEquals(~slot, a, "present answer must name the winner's slot");
                }
            }
            assertTrue(slots.add(slot), "slot " + slot + " given to two states");
            if (set.isLossless()) {
                set.read(slot, back);
                assertArrayEquals(states[id], back);
            }
        }
        assertEquals(DISTINCT, set.size());
    }

    @Test
    void concurrentMovesLandWhereInsertsFindThem() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            move(new LosslessTable(3, (int) (DISTINCT / 0.85) + 7, 0.85), 3, round);
            move(new LosslessTable(1, (int) (DISTINCT / 0.85) + 7, 0.85), 1, round);
            move(new FingerprintTable((int) (DISTINCT / 0.9) + 7, 0.9), 2, round);
        }
    }

    /**
     * Threads move disjoint shares of the states in ({@link VisitedSet#moveIn}), interleaved so
     * that neighbouring states go to different threads and their probe runs cross: afterwards the
     * count is exact once settled, every state has its own slot, and an insert finds each one
     * where its move put it.
     */
    private static void move(VisitedSet set, int words, int round) throws Exception {
        long[][] states = new long[DISTINCT][];
        long[] hashes = new long[DISTINCT];
        for (int id = 0; id < DISTINCT; id++) {
            states[id] = state(id, words);
            hashes[id] = StateHash.hash(states[id]);
        }
        int[] slotOf = new int[DISTINCT];
        inThreads("move", tt -> {
            long[] scratch = new long[words];
            for (int id = (tt + round) % THREADS; id < DISTINCT; id += THREADS) {
                slotOf[id] = set.moveIn(states[id], hashes[id], scratch);
            }
        });
        set.settleMoves(DISTINCT);
        assertEquals(DISTINCT, set.size());
        Set<Integer> slots = new HashSet<>();
        long[] back = new long[words];
        for (int id = 0; id < DISTINCT; id++) {
            assertTrue(slotOf[id] >= 0, "state " + id + " found no slot");
            assertTrue(slots.add(slotOf[id]), "slot " + slotOf[id] + " given to two states");
            assertEquals(~slotOf[id], set.insert(states[id], hashes[id]), "state " + id + " is where its move put it");
            if (set.isLossless()) {
                set.read(slotOf[id], back);
                assertArrayEquals(states[id], back);
            }
        }
        assertEquals(DISTINCT, set.size(), "the inserts found every state");
    }

    @Test
    void concurrentInsertsNeverExceedTheLimit() throws Exception {
        // 4 threads insert 4 x 3000 overlapping states into room for 5000: some FULL answers,
        // never more new states than the limit, and every new one readable.
        for (int round = 0; round < ROUNDS; round++) {
            LosslessTable set = new LosslessTable(2, 10_000, 0.5);
            int perThread = 3000;
            int[][] answers = new int[THREADS][perThread];
            inThreads("limit", tt -> {
                for (int i = 0; i < perThread; i++) {
                    int id = tt * 2000 + i;
                    long[] s = state(id, 2);
                    answers[tt][i] = set.insert(s, StateHash.hash(s));
                }
            });
            int added = 0;
            boolean sawFull = false;
            long[] back = new long[2];
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < perThread; i++) {
                    int a = answers[t][i];
                    if (a == VisitedSet.FULL) {
                        sawFull = true;
                    } else if (a >= 0) {
                        added++;
                        set.read(a, back);
                        assertArrayEquals(state(t * 2000 + i, 2), back);
                    }
                }
            }
            assertTrue(sawFull);
            assertEquals(set.maxSize(), added);
            assertEquals(added, set.size());
        }
    }

    /** A body that may throw, run by each of {@link #THREADS} threads with its index. */
    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@link #THREADS} threads started together; fails with the first error. */
    private static void inThreads(String name, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            final int tt = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    body.run(tt);
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, name + "-" + t);
            threads[t].start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (error.get() != null) {
            fail(error.get());
        }
    }
}
