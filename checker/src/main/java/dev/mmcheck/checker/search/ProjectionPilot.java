package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.store.Projection;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Widens a projection by the fields that random walks from some states change: run when a BFS
 * first has to move its states into a wider projection, so that the fields deeper levels will
 * change are kept from then on and the set rarely has to move again (each move is a pass over
 * every slot, and an overflow that fills within a level restarts the search). Walks are seeded,
 * so the projection a run learns does not vary; nothing the run reports depends on it anyway.
 */
final class ProjectionPilot implements Successors {
    /** Expansions all walks of one pilot make together: a few milliseconds on a kernel model. */
    static final int STEPS = 20_000;
    /** Expansions one walk makes at most before starting again from another state. */
    static final int WALK_LENGTH = 100;

    private final Model model;
    private final int words;
    private long[][] successors = new long[16][];
    private int count;

    ProjectionPilot(Model model) {
        this.model = model;
        this.words = model.layout().words();
    }

    /**
     * {@code projection} widened by every field in which a state seen on {@link #STEPS} steps of
     * random walks from the given starting states differs from it, and by every value such a
     * state has in a field the projection codes.
     *
     * @param starts a source of starting states: {@code starts.copy(i, into)} for {@code i < startCount}
     */
    Projection widen(Projection projection, Starts starts, long startCount, long seed) {
        if (startCount == 0) {
            return projection;
        }
        SplittableRandom random = new SplittableRandom(seed);
        Projection.Misfits misfits = projection.misfits();
        long[] state = new long[words];
        int steps = 0;
        while (steps < STEPS) {
            starts.copy(random.nextLong(startCount), state);
            for (int i = 0; i < WALK_LENGTH && steps < STEPS; i++, steps++) {
                count = 0;
                if (!model.withinConstraint(state) || !successors(state)) {
                    break;
                }
                if (count == 0) {
                    break;
                }
                for (int s = 0; s < count; s++) {
                    if (!projection.fits(successors[s])) {
                        projection.addMisfit(successors[s], misfits);
                    }
                }
                System.arraycopy(successors[random.nextInt(count)], 0, state, 0, words);
            }
        }
        return projection.widened(misfits);
    }

    /** Generates the successors of {@code state}; false if the model fails there (the search will report it). */
    private boolean successors(long[] state) {
        try {
            model.successors(state, this);
            return true;
        } catch (RuntimeException e) {
            count = 0;
            return false;
        }
    }

    @Override
    public long[] begin(long[] from) {
        if (count == successors.length) {
            successors = Arrays.copyOf(successors, count * 2);
        }
        long[] t = successors[count];
        if (t == null) {
            t = successors[count] = new long[words];
        }
        System.arraycopy(from, 0, t, 0, words);
        return t;
    }

    @Override
    public void emit(int transition) {
        count++;
    }

    /** Where the walks start. */
    interface Starts {
        void copy(long index, long[] into);
    }
}
