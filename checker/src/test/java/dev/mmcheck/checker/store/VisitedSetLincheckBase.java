package dev.mmcheck.checker.store;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;

import java.util.HashSet;
import java.util.Set;

/**
 * Lincheck harness shared by the visited-set linearizability tests: the only operation is
 * {@code insert(key)}, answering whether it was new, against {@link java.util.HashSet}
 * semantics. Keys 1..4 become vectors whose word 0 repeats (1,3 and 2,4 share it), with distinct
 * hashes (so fingerprints are exact too) chosen so that in the 5-slot table keys 1, 2, 3 all start
 * at the last slot and key 4 at slot 0: probing, word-by-word comparison and wrap-around all
 * happen. The table never gets full (4 keys, load limit 5).
 *
 * <p>Each subclass is itself the Lincheck test class (Lincheck instantiates it per scenario), so
 * it and its operations must be public, with a public no-argument constructor that passes a
 * fresh table to this one.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:4")
public abstract class VisitedSetLincheckBase {
    /** Hashes of keys 1..4: start slots 4, 4, 4, 0 of a 5-slot table (checked in a unit test). */
    static final long[] HASHES = {0, 3, 8, 16, 5};

    private final VisitedSet set;
    private final int words;

    /** @param set a fresh 5-slot table for vectors of {@code words} words */
    protected VisitedSetLincheckBase(VisitedSet set, int words) {
        this.set = set;
        this.words = words;
    }

    @Operation
    public boolean insert(@Param(name = "key") int key) {
        long[] s = new long[words];
        s[0] = key & 1;
        if (s.length == 1) {
            s[0] = key;
        } else {
            s[1] = key;
        }
        int r = set.insert(s, HASHES[key]);
        if (r == VisitedSet.FULL) {
            throw new IllegalStateException("FULL below the load limit");
        }
        return r >= 0;
    }

    /** The sequential specification: a plain hash set of keys. */
    public static class HashSetSpec {
        private final Set<Integer> keys = new HashSet<>();

        public boolean insert(int key) {
            return keys.add(key);
        }
    }

    /** Small, explicit budgets: the suite must run in seconds on two cores. */
    static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(400)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(HashSetSpec.class);
    }

    static StressOptions stress() {
        return new StressOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(HashSetSpec.class);
    }
}
