package dev.mmcheck.checker.store;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;

import java.util.Arrays;
import java.util.List;

/**
 * Which bits of a state vector a {@link ProjectedTable} stores. The bits in the mask may differ
 * from the base state; every other bit is taken to equal the base's, so a state that differs
 * there does not {@link #fits fit}. The stored form packs the masked bits, in order, into as few
 * words as they need (word 0 keeps the {@link Layout#RESERVED_BITS} top bits free, as the table
 * needs): a kernel model's vector holds many fields that no step of a given scenario changes,
 * and storing only the others makes the visited set a fraction of the size.
 *
 * <p>The mask grows a whole field at a time ({@link #widened}): once one value of a field has
 * been seen to change, its other values are likely to follow, and each growth costs the search
 * a move of every state. Immutable.
 */
public final class Projection {
    private final Layout layout;
    /** The base state with the masked bits cleared: what every fitting state has outside the mask. */
    private final long[] base;
    private final long[] mask;
    private final int packedWords;
    /** One piece per run of masked bits that lands in one packed word: from, to, bit count. */
    private final int[] fromWord;
    private final int[] fromShift;
    private final int[] toWord;
    private final int[] toShift;
    private final long[] pieceMask;

    private Projection(Layout layout, long[] base, long[] mask) {
        this.layout = layout;
        this.mask = mask;
        this.base = new long[mask.length];
        for (int w = 0; w < mask.length; w++) {
            this.base[w] = base[w] & ~mask[w];
        }
        int pieces = 0;
        for (long m : mask) {
            pieces += Long.bitCount(m & ~(m << 1)) + 2; // runs, plus room for splits at packed word ends
        }
        int[] fw = new int[pieces];
        int[] fs = new int[pieces];
        int[] tw = new int[pieces];
        int[] ts = new int[pieces];
        long[] pm = new long[pieces];
        int n = 0;
        int to = 0;
        int at = 0;
        for (int w = 0; w < mask.length; w++) {
            long m = mask[w];
            while (m != 0) {
                int start = Long.numberOfTrailingZeros(m);
                int length = Long.numberOfTrailingZeros(~(m >>> start));
                if (start + length == 64) {
                    length = 64 - start;
                }
                m &= length == 64 ? 0 : ~(((1L << length) - 1) << start);
                while (length > 0) {
                    int take = Math.min(length, capacity(to) - at);
                    fw[n] = w;
                    fs[n] = start;
                    tw[n] = to;
                    ts[n] = at;
                    pm[n] = take == 64 ? -1L : (1L << take) - 1;
                    n++;
                    start += take;
                    length -= take;
                    at += take;
                    if (at == capacity(to)) {
                        to++;
                        at = 0;
                    }
                }
            }
        }
        this.packedWords = Math.max(1, at == 0 ? to : to + 1);
        this.fromWord = Arrays.copyOf(fw, n);
        this.fromShift = Arrays.copyOf(fs, n);
        this.toWord = Arrays.copyOf(tw, n);
        this.toShift = Arrays.copyOf(ts, n);
        this.pieceMask = Arrays.copyOf(pm, n);
    }

    /** Bits packed word {@code w} holds: word 0 leaves the reserved bits free. */
    private static int capacity(int w) {
        return w == 0 ? 64 - Layout.RESERVED_BITS : 64;
    }

    /** The projection that keeps the fields in which the initial states differ (none, for one initial state). */
    public static Projection of(Layout layout, List<long[]> initialStates) {
        long[] base = initialStates.get(0);
        long[] diff = new long[layout.words()];
        for (long[] s : initialStates) {
            for (int w = 0; w < diff.length; w++) {
                diff[w] |= s[w] ^ base[w];
            }
        }
        return new Projection(layout, base, wholeFields(layout, diff));
    }

    /** A projection that keeps every field: every state fits. */
    public static Projection everything(Layout layout) {
        long[] all = new long[layout.words()];
        Arrays.fill(all, -1L);
        return new Projection(layout, new long[layout.words()], wholeFields(layout, all));
    }

    /** The masks of the fields that have a bit set in {@code bits}. */
    private static long[] wholeFields(Layout layout, long[] bits) {
        long[] mask = new long[layout.words()];
        for (Field f : layout.fields()) {
            if (f.bits() == 0) {
                continue;
            }
            long m = (f.bits() == 64 ? -1L : (1L << f.bits()) - 1) << f.shift();
            if ((bits[f.word()] & m) != 0) {
                mask[f.word()] |= m;
            }
        }
        return mask;
    }

    /** This projection, also keeping every field in which {@code diff} (bits that differ from the base) has a bit. */
    public Projection widened(long[] diff) {
        long[] more = new long[mask.length];
        for (int w = 0; w < more.length; w++) {
            more[w] = mask[w] | diff[w];
        }
        return new Projection(layout, base, wholeFields(layout, more));
    }

    /** Words of a state vector. */
    public int words() {
        return mask.length;
    }

    /** Words of the packed form. */
    public int packedWords() {
        return packedWords;
    }

    /** Bits the packed form keeps. */
    public int bitsKept() {
        int n = 0;
        for (long m : mask) {
            n += Long.bitCount(m);
        }
        return n;
    }

    /** True when {@code state} equals the base outside the mask, so that its packed form is all of it. */
    public boolean fits(long[] state) {
        for (int w = 0; w < mask.length; w++) {
            if ((state[w] & ~mask[w]) != base[w]) {
                return false;
            }
        }
        return true;
    }

    /** ORs into {@code diff} the bits in which {@code state} differs from the base outside the mask. */
    public void addMisfit(long[] state, long[] diff) {
        for (int w = 0; w < mask.length; w++) {
            diff[w] |= (state[w] & ~mask[w]) ^ base[w];
        }
    }

    /** Writes the packed form of a fitting {@code state} into {@code out[0 .. packedWords())}. */
    public void pack(long[] state, long[] out) {
        for (int w = 0; w < packedWords; w++) {
            out[w] = 0;
        }
        for (int i = 0; i < pieceMask.length; i++) {
            out[toWord[i]] |= ((state[fromWord[i]] >>> fromShift[i]) & pieceMask[i]) << toShift[i];
        }
    }

    /**
     * Rebuilds the state whose packed form is {@code packed[offset .. offset + packedWords())}
     * into {@code out}. Bits of the packed form outside the pieces (the reserved ones) are ignored.
     */
    public void unpack(long[] packed, int offset, long[] out) {
        System.arraycopy(base, 0, out, 0, base.length);
        for (int i = 0; i < pieceMask.length; i++) {
            out[fromWord[i]] |= ((packed[offset + toWord[i]] >>> toShift[i]) & pieceMask[i]) << fromShift[i];
        }
    }

    @Override
    public String toString() {
        return "Projection[" + bitsKept() + " bits in " + packedWords + " of " + mask.length + " words]";
    }
}
