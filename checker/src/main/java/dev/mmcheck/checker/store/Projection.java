package dev.mmcheck.checker.store;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a {@link ProjectedTable} stores a state: which fields it keeps, and how it encodes each.
 * Every other field is taken to equal the base state's, so a state that differs there does not
 * {@link #fits fit}. A kept field is stored either
 * <ul>
 *   <li>raw: its bits as they are (every value fits), or</li>
 *   <li>coded: as the index of its value in a sorted table of the values it was seen to take,
 *       in {@code ceil(log2(values))} bits; a state with a value outside the table does not fit.</li>
 * </ul>
 * A field is coded when that takes fewer bits than the field has and the field is at most
 * {@link #MAX_CODED_BITS} wide (its table is then an array indexed by the raw value); otherwise
 * it is raw. Coded fields next to each other are looked up together, a group of at most
 * {@link #MAX_CODED_BITS} bits at a time. The packed form holds the raw fields' bits in order, then the codes, in as few
 * words as they need (word 0 keeps the {@link Layout#RESERVED_BITS} top bits free, as the table
 * needs); a kernel model's vector holds many fields that no step of a scenario changes, and many
 * that take few of their values, so the stored form is a fraction of the vector.
 *
 * <p>A state that does not fit is stored whole elsewhere (the table's overflow), and the search
 * moves the set into a {@link #widened wider} projection, learnt from such states
 * ({@link #addMisfit}), the way it was learnt in the first place: the mask grows a whole field at
 * a time, and a coded field's table by the values seen. Packing is a bijection between fitting
 * states and packed forms, so a set of packed forms is a set of states. Immutable.
 */
public final class Projection {
    /** The widest field that may be coded: its table is an {@code int[]} of {@code 2^bits} entries. */
    public static final int MAX_CODED_BITS = 12;

    private final Layout layout;
    /** The base state with the masked bits cleared: what every fitting state has outside the mask. */
    private final long[] base;
    private final long[] mask;
    /** Per field of the layout: the values a coded field may take (a bit set over its raw values), null otherwise. */
    private final long[][] valueSets;
    private final int packedWords;
    private final int bitsPacked;
    /** One piece per run of raw bits that lands in one packed word: from, to, bit count. */
    private final int[] fromWord;
    private final int[] fromShift;
    private final int[] toWord;
    private final int[] toShift;
    private final long[] pieceMask;
    /** Groups of coded fields: where their raw bits are, where their codes go, and where their tables start. */
    private final int[] codedWord;
    private final int[] codedShift;
    private final long[] codedMask;
    private final int[] codedToWord;
    private final int[] codedToShift;
    private final long[] codeMask;
    private final int[] codeBase;
    private final int[] valueBase;
    /** Per group, {@code 2^span} entries from {@code codeBase}: raw bits to concatenated codes, -1 if a value is not in its table. */
    private final int[] codes;
    /** Per group, {@code 2^width} entries from {@code valueBase}: concatenated codes to the fields' raw bits. */
    private final long[] values;
    private final int codedFieldCount;

    private Projection(Layout layout, long[] base, long[] mask, long[][] valueSets, boolean coding) {
        this.layout = layout;
        this.mask = mask;
        this.base = new long[mask.length];
        for (int w = 0; w < mask.length; w++) {
            this.base[w] = base[w] & ~mask[w];
        }
        List<Field> fields = layout.fields();
        long[][] sets = new long[fields.size()][];
        long[] rawMask = mask.clone();
        List<Integer> coded = new ArrayList<>();
        int codeLength = 0;
        int valueLength = 0;
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            long m = fieldMask(f);
            if (m == 0 || (mask[f.word()] & m) == 0 || !coding || f.bits() > MAX_CODED_BITS || valueSets[i] == null) {
                continue;
            }
            int n = count(valueSets[i]);
            if (codeWidth(n) >= f.bits()) {
                continue; // as wide as the field: raw, and every value fits from now on
            }
            sets[i] = valueSets[i].clone();
            rawMask[f.word()] &= ~m;
            coded.add(i);
            codeLength += 1 << f.bits();
            valueLength += n;
        }
        this.valueSets = sets;

        // Raw runs first, split where they cross a packed word's end.
        int pieces = 0;
        for (long m : rawMask) {
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
        int bits = 0;
        for (int w = 0; w < rawMask.length; w++) {
            long m = rawMask[w];
            bits += Long.bitCount(m);
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
        this.fromWord = Arrays.copyOf(fw, n);
        this.fromShift = Arrays.copyOf(fs, n);
        this.toWord = Arrays.copyOf(tw, n);
        this.toShift = Arrays.copyOf(ts, n);
        this.pieceMask = Arrays.copyOf(pm, n);

        // Then the codes. Coded fields next to each other in a word (with only unkept bits between
        // them, which equal the base's in a fitting state) form a group of at most MAX_CODED_BITS
        // bits, looked up at once: its table maps the group's bits to the concatenated codes of
        // its fields. Groups go widest first, each into the first word with room (a group's code
        // never straddles words).
        coded.sort((a, b) -> {
            Field fa = fields.get(a);
            Field fb = fields.get(b);
            return fa.word() != fb.word() ? Integer.compare(fa.word(), fb.word()) : Integer.compare(fa.shift(), fb.shift());
        });
        List<int[]> groups = new ArrayList<>();
        for (int k = 0; k < coded.size(); ) {
            Field first = fields.get(coded.get(k));
            int end = k + 1;
            while (end < coded.size()) {
                Field f = fields.get(coded.get(end));
                Field prev = fields.get(coded.get(end - 1));
                int gapFrom = prev.shift() + prev.bits();
                long gap = f.shift() > gapFrom ? ((1L << (f.shift() - gapFrom)) - 1) << gapFrom : 0;
                if (f.word() != first.word() || f.shift() + f.bits() - first.shift() > MAX_CODED_BITS
                        || (rawMask[f.word()] & gap) != 0) {
                    break;
                }
                end++;
            }
            int[] group = new int[end - k];
            for (int j = k; j < end; j++) {
                group[j - k] = coded.get(j);
            }
            groups.add(group);
            k = end;
        }
        int c = groups.size();
        int[] groupWidth = new int[c];
        codeLength = 0;
        valueLength = 0;
        for (int g = 0; g < c; g++) {
            int[] group = groups.get(g);
            for (int i : group) {
                groupWidth[g] += codeWidth(count(sets[i]));
            }
            Field first = fields.get(group[0]);
            Field last = fields.get(group[group.length - 1]);
            codeLength += 1 << (last.shift() + last.bits() - first.shift());
            valueLength += 1 << groupWidth[g];
        }
        Integer[] order = new Integer[c];
        for (int g = 0; g < c; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (a, b) -> groupWidth[a] != groupWidth[b] ? Integer.compare(groupWidth[b], groupWidth[a]) : Integer.compare(a, b));
        List<Integer> used = new ArrayList<>(); // bits used of packed words to, to + 1, ...
        used.add(at);
        this.codedWord = new int[c];
        this.codedShift = new int[c];
        this.codedMask = new long[c];
        this.codedToWord = new int[c];
        this.codedToShift = new int[c];
        this.codeMask = new long[c];
        this.codeBase = new int[c];
        this.valueBase = new int[c];
        this.codes = new int[codeLength];
        this.values = new long[valueLength];
        this.codedFieldCount = coded.size();
        Arrays.fill(codes, -1);
        int nextCode = 0;
        int nextValue = 0;
        for (int k = 0; k < c; k++) {
            int[] group = groups.get(order[k]);
            int width = groupWidth[order[k]];
            int word = 0;
            while (word < used.size() && used.get(word) + width > capacity(to + word)) {
                word++;
            }
            if (word == used.size()) {
                used.add(0);
            }
            Field first = fields.get(group[0]);
            Field last = fields.get(group[group.length - 1]);
            int span = last.shift() + last.bits() - first.shift();
            codedWord[k] = first.word();
            codedShift[k] = first.shift();
            codedMask[k] = (1L << span) - 1;
            codedToWord[k] = to + word;
            codedToShift[k] = used.get(word);
            codeMask[k] = (1L << width) - 1;
            used.set(word, used.get(word) + width);
            bits += width;
            codeBase[k] = nextCode;
            valueBase[k] = nextValue;
            // Every combination of the fields' values, in mixed radix: raw bits (with the base's
            // bits between the fields) to concatenated codes, and back (without the base's bits).
            long gapBits = (this.base[first.word()] >>> first.shift()) & codedMask[k];
            int[][] vals = new int[group.length][];
            for (int j = 0; j < group.length; j++) {
                Field f = fields.get(group[j]);
                long[] set = sets[group[j]];
                vals[j] = new int[count(set)];
                int count = 0;
                for (int v = 0; v < (1 << f.bits()); v++) {
                    if ((set[v >>> 6] & (1L << v)) != 0) {
                        vals[j][count++] = v;
                    }
                }
            }
            int[] digit = new int[group.length];
            while (true) {
                long raw = 0;
                long code = 0;
                int codeShift = 0;
                for (int j = 0; j < group.length; j++) {
                    Field f = fields.get(group[j]);
                    raw |= (long) vals[j][digit[j]] << (f.shift() - first.shift());
                    code |= (long) digit[j] << codeShift;
                    codeShift += codeWidth(vals[j].length);
                }
                codes[nextCode + (int) (raw | gapBits)] = (int) code;
                values[nextValue + (int) code] = raw;
                int j = 0;
                while (j < group.length && ++digit[j] == vals[j].length) {
                    digit[j++] = 0;
                }
                if (j == group.length) {
                    break;
                }
            }
            nextCode += 1 << span;
            nextValue += 1 << width;
        }
        int last = used.size() - 1;
        while (last > 0 && used.get(last) == 0) {
            last--;
        }
        this.packedWords = Math.max(1, used.get(last) == 0 ? to + last : to + last + 1);
        this.bitsPacked = bits;
    }

    /** Bits a code of a table of {@code n} values takes. */
    private static int codeWidth(int n) {
        return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    }

    private static int count(long[] set) {
        int n = 0;
        for (long b : set) {
            n += Long.bitCount(b);
        }
        return n;
    }

    private static long fieldMask(Field f) {
        return f.bits() == 0 ? 0 : (f.bits() == 64 ? -1L : (1L << f.bits()) - 1) << f.shift();
    }

    /** Bits packed word {@code w} holds: word 0 leaves the reserved bits free. */
    private static int capacity(int w) {
        return w == 0 ? 64 - Layout.RESERVED_BITS : 64;
    }

    /** A projection with these tables, coding fields where it packs no wider than the vector (else all raw). */
    private static Projection build(Layout layout, long[] base, long[] mask, long[][] valueSets) {
        Projection p = new Projection(layout, base, mask, valueSets, true);
        return p.packedWords <= mask.length ? p : new Projection(layout, base, mask, valueSets, false);
    }

    /**
     * The projection that keeps the fields in which the initial states differ (none, for one
     * initial state), coding each over the values the initial states give it.
     */
    public static Projection of(Layout layout, List<long[]> initialStates) {
        long[] base = initialStates.get(0);
        long[] diff = new long[layout.words()];
        for (long[] s : initialStates) {
            for (int w = 0; w < diff.length; w++) {
                diff[w] |= s[w] ^ base[w];
            }
        }
        long[][] sets = new long[layout.fields().size()][];
        for (long[] s : initialStates) {
            addValues(layout, s, sets, null);
        }
        return build(layout, base, wholeFields(layout, diff), sets);
    }

    /** A projection that keeps every field raw: every state fits. */
    public static Projection everything(Layout layout) {
        long[] all = new long[layout.words()];
        Arrays.fill(all, -1L);
        return new Projection(layout, new long[layout.words()], wholeFields(layout, all),
                new long[layout.fields().size()][], false);
    }

    /** The masks of the fields that have a bit set in {@code bits}. */
    private static long[] wholeFields(Layout layout, long[] bits) {
        long[] mask = new long[layout.words()];
        for (Field f : layout.fields()) {
            long m = fieldMask(f);
            if ((bits[f.word()] & m) != 0) {
                mask[f.word()] |= m;
            }
        }
        return mask;
    }

    /**
     * Adds to {@code sets} the value {@code state} has in each field of at most
     * {@link #MAX_CODED_BITS} bits, except those {@code raw} (a projection's) keeps raw.
     */
    private static void addValues(Layout layout, long[] state, long[][] sets, Projection raw) {
        List<Field> fields = layout.fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (f.bits() == 0 || f.bits() > MAX_CODED_BITS || (raw != null && raw.isRaw(i, f))) {
                continue;
            }
            if (sets[i] == null) {
                sets[i] = new long[((1 << f.bits()) + 63) >>> 6];
            }
            int v = (int) ((state[f.word()] & fieldMask(f)) >>> f.shift());
            sets[i][v >>> 6] |= 1L << v;
        }
    }

    /** True when field {@code i} ({@code f}) is kept, and kept raw. */
    private boolean isRaw(int i, Field f) {
        return (mask[f.word()] & fieldMask(f)) != 0 && valueSets[i] == null;
    }

    /** What states that do not fit a projection show it lacks: collect with {@link #addMisfit}, use with {@link #widened}. */
    public static final class Misfits {
        final long[] diff;
        final long[][] values;

        private Misfits(Layout layout) {
            this.diff = new long[layout.words()];
            this.values = new long[layout.fields().size()][];
        }
    }

    /** An empty collection of misfits for this projection. */
    public Misfits misfits() {
        return new Misfits(layout);
    }

    /**
     * Records in {@code into} what {@code state} needs that this projection lacks: the bits in
     * which it differs from the base outside the mask, and its values of the fields that are not
     * kept raw. Not for the hot path.
     */
    public void addMisfit(long[] state, Misfits into) {
        for (int w = 0; w < mask.length; w++) {
            into.diff[w] |= (state[w] & ~mask[w]) ^ base[w];
        }
        addValues(layout, state, into.values, this);
    }

    /**
     * This projection, also keeping every field in which a recorded misfit differs from the
     * base, and with every recorded value in the tables of the coded fields: every state
     * recorded in {@code misfits} fits it, and so does every state that fits this one.
     */
    public Projection widened(Misfits misfits) {
        long[] more = new long[mask.length];
        for (int w = 0; w < more.length; w++) {
            more[w] = mask[w] | misfits.diff[w];
        }
        long[] newMask = wholeFields(layout, more);
        List<Field> fields = layout.fields();
        long[][] sets = new long[fields.size()][];
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            long m = fieldMask(f);
            if ((newMask[f.word()] & m) == 0 || f.bits() > MAX_CODED_BITS || isRaw(i, f)) {
                continue; // not kept, or raw (a raw field stays raw: its values are not known)
            }
            long[] set = valueSets[i] != null ? valueSets[i].clone() : new long[((1 << f.bits()) + 63) >>> 6];
            if ((mask[f.word()] & m) == 0) {
                int v = (int) ((base[f.word()] & m) >>> f.shift()); // newly kept: its base value too
                set[v >>> 6] |= 1L << v;
            }
            long[] seen = misfits.values[i];
            if (seen != null) {
                for (int k = 0; k < set.length; k++) {
                    set[k] |= seen[k];
                }
            }
            sets[i] = set;
        }
        return build(layout, base, newMask, sets);
    }

    /** Words of a state vector. */
    public int words() {
        return mask.length;
    }

    /** Words of the packed form. */
    public int packedWords() {
        return packedWords;
    }

    /** Bits of the vector the projection keeps (raw or coded). */
    public int bitsKept() {
        int n = 0;
        for (long m : mask) {
            n += Long.bitCount(m);
        }
        return n;
    }

    /** Bits the packed form uses: the raw fields' and the codes'. */
    public int bitsPacked() {
        return bitsPacked;
    }

    /** Fields that are coded over a table of their values. */
    public int codedFields() {
        return codedFieldCount;
    }

    /** True when {@code state} equals the base outside the mask and has a value in every coded field's table. */
    public boolean fits(long[] state) {
        for (int w = 0; w < mask.length; w++) {
            if ((state[w] & ~mask[w]) != base[w]) {
                return false;
            }
        }
        for (int k = 0; k < codeBase.length; k++) {
            if (codes[codeBase[k] + (int) ((state[codedWord[k]] >>> codedShift[k]) & codedMask[k])] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the packed form of {@code state} into {@code out[0 .. packedWords())} and returns
     * true, or returns false (leaving {@code out} in any state) if the state does not fit.
     */
    public boolean pack(long[] state, long[] out) {
        final long[] mask = this.mask;
        final long[] base = this.base;
        for (int w = 0; w < mask.length; w++) {
            if ((state[w] & ~mask[w]) != base[w]) {
                return false;
            }
        }
        for (int w = 0; w < packedWords; w++) {
            out[w] = 0;
        }
        final int[] codes = this.codes;
        final int[] codeBase = this.codeBase;
        for (int k = 0; k < codeBase.length; k++) {
            int code = codes[codeBase[k] + (int) ((state[codedWord[k]] >>> codedShift[k]) & codedMask[k])];
            if (code < 0) {
                return false;
            }
            out[codedToWord[k]] |= (long) code << codedToShift[k];
        }
        final long[] pieceMask = this.pieceMask;
        for (int i = 0; i < pieceMask.length; i++) {
            out[toWord[i]] |= ((state[fromWord[i]] >>> fromShift[i]) & pieceMask[i]) << toShift[i];
        }
        return true;
    }

    /**
     * Rebuilds the state whose packed form is {@code packed[offset .. offset + packedWords())}
     * into {@code out}. Bits of the packed form outside the pieces and codes (the reserved ones) are ignored.
     */
    public void unpack(long[] packed, int offset, long[] out) {
        System.arraycopy(base, 0, out, 0, base.length);
        for (int i = 0; i < pieceMask.length; i++) {
            out[fromWord[i]] |= ((packed[offset + toWord[i]] >>> toShift[i]) & pieceMask[i]) << fromShift[i];
        }
        for (int k = 0; k < codeBase.length; k++) {
            int code = (int) ((packed[offset + codedToWord[k]] >>> codedToShift[k]) & codeMask[k]);
            out[codedWord[k]] |= values[valueBase[k] + code] << codedShift[k];
        }
    }

    @Override
    public String toString() {
        return "Projection[" + bitsKept() + " bits kept, " + codedFieldCount + " fields coded in " + codeBase.length
                + " groups, " + bitsPacked
                + " bits in " + packedWords + " of " + mask.length + " words]";
    }
}
