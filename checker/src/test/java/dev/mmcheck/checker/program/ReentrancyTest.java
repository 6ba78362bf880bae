package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** successors() may run on many threads at once and allocates nothing. */
class ReentrancyTest {

    /**
     * Two daemon CPUs filling and evicting TLB entries, two threads mapping a page and zapping
     * it through a procedure under a lock: every construct at once, some thousands of states.
     */
    static ProgramModel richModel() {
        Program prog = new Program("rich");
        FieldArray pte = prog.array("pte", 2, 0, 3);
        FieldArray tlb = prog.array("tlb", 4, 0, 3);
        Field ptl = prog.field("ptl", 0, 2); // 0 free, else owner + 1
        prog.processes("CPU", 2, (cpu, c) -> cpu.daemon()
            .either("hw", "")
                .or("walk0", s -> pte.get(s, 0) != 0, s -> tlb.set(s, 2 * c, pte.get(s, 0)))
                .or("walk1", s -> pte.get(s, 1) != 0, s -> tlb.set(s, 2 * c + 1, pte.get(s, 1)))
                .or("flush", s -> tlb.get(s, 2 * c) + tlb.get(s, 2 * c + 1) != 0,
                        s -> { tlb.set(s, 2 * c, 0); tlb.set(s, 2 * c + 1, 0); }));
        Procedure zap = prog.procedure("zap", z -> {
            Field page = z.local("page", 0, 1);
            int me = z.process().index() - 2;
            z.await("lock", "", s -> ptl.get(s) == 0, s -> ptl.set(s, me + 1))
             .step("clear", "", s -> pte.set(s, page.get(s), 0))
             .step("unlock", "", s -> ptl.set(s, 0));
        });
        prog.processes("T", 2, (t, me) -> {
            Field page = t.local("page", 0, 1);
            t.with("map", "", "page", 0, 1, (s, p) -> pte.get(s, p) == 0,
                    (s, p) -> { page.set(s, p); pte.set(s, p, me + 1); })
             .call("unmap", "", zap)
             .step("flush", "", s -> { for (int i = 0; i < 4; i++) { tlb.set(s, i, 0); } });
        });
        return prog.build();
    }

    @Test
    void concurrentSuccessorsMatchSequentialOnes() throws Exception {
        ProgramModel m = richModel();
        Explorer e = Explorer.explore(m);
        assertTrue(e.size() > 1_000, "many states: " + e.size());
        List<long[]> states = new ArrayList<>(e.states);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                List<Future<List<List<Explorer.Edge>>>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    boolean backwards = t == 1; // different orders, so the threads overlap on states
                    results.add(pool.submit(() -> successorsOfAll(m, states, backwards)));
                }
                for (Future<List<List<Explorer.Edge>>> f : results) {
                    List<List<Explorer.Edge>> got = f.get();
                    for (int i = 0; i < states.size(); i++) {
                        assertSame(e.edges.get(i), got.get(i));
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static List<List<Explorer.Edge>> successorsOfAll(Model m, List<long[]> states, boolean backwards) {
        List<List<Explorer.Edge>> out = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            out.add(null);
        }
        for (int k = 0; k < states.size(); k++) {
            int i = backwards ? states.size() - 1 - k : k;
            out.set(i, Explorer.successors(m, states.get(i)));
        }
        return out;
    }

    private static void assertSame(List<Explorer.Edge> expected, List<Explorer.Edge> actual) {
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k).id(), actual.get(k).id());
            assertArrayEquals(expected.get(k).target(), actual.get(k).target());
        }
    }

    /** A sink that reuses one buffer and only counts: the engine's sinks allocate nothing either. */
    private static final class Counting implements Successors {
        final long[] scratch;
        long emitted;
        long checksum;

        Counting(int words) {
            scratch = new long[words];
        }

        @Override
        public long[] begin(long[] from) {
            System.arraycopy(from, 0, scratch, 0, scratch.length);
            return scratch;
        }

        @Override
        public void emit(int transition) {
            emitted++;
            checksum += scratch[0] * 31 + transition;
        }
    }

    @Test
    void successorsDoNotAllocateInSteadyState() {
        ProgramModel m = richModel();
        long[][] states = Explorer.explore(m).states.toArray(new long[0][]);
        Counting sink = new Counting(m.layout().words());
        for (int warm = 0; warm < 100; warm++) {
            for (long[] s : states) {
                m.successors(s, sink);
            }
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int rep = 0; rep < 50; rep++) {
            for (long[] s : states) {
                m.successors(s, sink);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sink.emitted > 100_000, "did the work: " + sink.emitted);
        // a few hundred bytes of noise (the measurement itself) at most, not bytes per successor
        assertTrue(allocated < 10_000, "successors allocated " + allocated + " bytes for "
                + sink.emitted + " successors");
    }
}
