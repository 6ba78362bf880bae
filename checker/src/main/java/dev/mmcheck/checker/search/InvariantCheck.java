package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.Reads;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's invariants in declaration order, checked in a whole state, or in a state reached from
 * a parent that held them all: there an invariant whose declared {@link Reads} are bit for bit
 * the parent's holds as it held there, and is not evaluated again.
 */
final class InvariantCheck {
    private final Invariant[] invariants;
    /** Per invariant, the words its declared reads lie in; null when it declares none (reads anything). */
    private final int[][] readWords;
    /** Per invariant, the bits of its reads in each of {@link #readWords}. */
    private final long[][] readBits;

    InvariantCheck(Model model) {
        List<Invariant> list = model.invariants();
        invariants = list.toArray(new Invariant[0]);
        readWords = new int[invariants.length][];
        readBits = new long[invariants.length][];
        for (int i = 0; i < invariants.length; i++) {
            Reads reads = invariants[i].reads().orElse(null);
            if (reads == null) {
                continue;
            }
            long[] bits = reads.bits(model.layout(), "invariant '" + invariants[i].name() + "' of model '" + model.name() + "'");
            readWords[i] = IntStream.range(0, bits.length).filter(w -> bits[w] != 0).toArray();
            readBits[i] = Arrays.stream(readWords[i]).mapToLong(w -> bits[w]).toArray();
        }
    }

    Invariant get(int position) {
        return invariants[position];
    }

    /** The position of the first invariant {@code state} breaks, or -1 when all hold. */
    int firstBroken(long[] state) {
        for (int i = 0; i < invariants.length; i++) {
            if (!invariants[i].holds(state)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * As {@link #firstBroken(long[])}, for a successor of {@code parent}, a state that held every
     * invariant: an invariant whose reads did not change is not evaluated.
     */
    int firstBroken(long[] parent, long[] state) {
        for (int i = 0; i < invariants.length; i++) {
            if (readsChanged(i, parent, state) && !invariants[i].holds(state)) {
                return i;
            }
        }
        return -1;
    }

    private boolean readsChanged(int invariant, long[] parent, long[] state) {
        int[] words = readWords[invariant];
        if (words == null) {
            return true;
        }
        long[] bits = readBits[invariant];
        for (int j = 0; j < words.length; j++) {
            int w = words[j];
            if (((parent[w] ^ state[w]) & bits[j]) != 0) {
                return true;
            }
        }
        return false;
    }
}
