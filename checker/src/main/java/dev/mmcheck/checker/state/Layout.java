package dev.mmcheck.checker.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a state vector: named fields with value ranges, packed into a fixed number of
 * 64-bit words. Built once per model; states are plain {@code long[]} of {@link #words()}.
 *
 * <p>The top {@value #RESERVED_BITS} bits of word 0 belong to the engine (the visited set marks
 * its slots with them), so fields never use them and every state has them clear.
 *
 * <p>Packing is first-fit in declaration order, largest-first would pack tighter but would make
 * the word a field lands in depend on fields declared after it; declaration order keeps a
 * layout stable while a model grows.
 */
public final class Layout {
    /** Bits of word 0 the engine keeps for itself (bits 62 and 63). */
    public static final int RESERVED_BITS = 2;

    private final List<Field> fields;
    private final Map<String, Field> byName;
    private final int words;
    private final int bitsUsed;

    private Layout(List<Field> fields, int words) {
        this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
        Map<String, Field> map = new LinkedHashMap<>();
        int used = 0;
        for (Field f : fields) {
            map.put(f.name(), f);
            used += f.bits();
        }
        this.byName = Collections.unmodifiableMap(map);
        this.words = words;
        this.bitsUsed = used;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of 64-bit words in a state vector (at least 1). */
    public int words() { return words; }

    /** Bytes of one state vector. */
    public int bytes() { return words * Long.BYTES; }

    public int bitsUsed() { return bitsUsed; }

    public List<Field> fields() { return fields; }

    /** The field called {@code name}; an error naming the known fields if there is none. */
    public Field field(String name) {
        Field f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field '" + name + "' in this layout; fields: " + byName.keySet());
        }
        return f;
    }

    public boolean hasField(String name) {
        return byName.containsKey(name);
    }

    public long[] newState() {
        return new long[words];
    }

    /**
     * A state vector in which every field holds its minimum (all bits zero), so that fresh
     * states are in range whatever the fields' minimums are.
     */
    public long[] minimumState() {
        return new long[words];
    }

    /** Checks that no reserved or unused bit is set (every value was written through a field). */
    public void validate(long[] state) {
        if (state.length != words) {
            throw new IllegalArgumentException("state has " + state.length + " words, layout has " + words);
        }
        long[] rebuilt = new long[words];
        for (Field f : fields) {
            int v = f.get(state);
            if (!f.inRange(v)) {
                throw f.outOfRange(v);
            }
            f.set(rebuilt, v);
        }
        for (int i = 0; i < words; i++) {
            if (rebuilt[i] != state[i]) {
                throw new IllegalArgumentException("state word " + i + " has bits set outside every field: "
                        + Long.toHexString(state[i] ^ rebuilt[i]));
            }
        }
    }

    /** {@code name=value} for every field: for debugging and trace fallbacks, not the hot path. */
    public String format(long[] state) {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(f.name()).append('=').append(f.get(state));
        }
        return sb.toString();
    }

    /** Declares fields in order and packs them. Names must be unique. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();
        private final Map<String, Boolean> names = new LinkedHashMap<>();
        /** Bits used in each word so far, from bit 0 upwards. */
        private final List<Integer> used = new ArrayList<>();

        private Builder() {
            used.add(0);
        }

        /** Word 0 ends below the reserved top bits. */
        private static int capacity(int word) {
            return word == 0 ? 64 - RESERVED_BITS : 64;
        }

        /** A field holding values in {@code [min, max]}. */
        public Field field(String name, int min, int max) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("field name must be non-empty");
            }
            if (names.containsKey(name)) {
                throw new IllegalArgumentException("field '" + name + "' is declared twice");
            }
            if (min > max) {
                throw new IllegalArgumentException("field '" + name + "': min " + min + " is greater than max " + max);
            }
            long span = (long) max - (long) min;
            int bits = span == 0 ? 0 : 64 - Long.numberOfLeadingZeros(span);
            if (bits > 32) {
                throw new IllegalArgumentException("field '" + name + "': range [" + min + ", " + max + "] is wider than 32 bits");
            }
            int word = -1;
            for (int w = 0; w < used.size(); w++) {
                if (used.get(w) + bits <= capacity(w)) {
                    word = w;
                    break;
                }
            }
            if (word < 0) {
                used.add(0);
                word = used.size() - 1;
            }
            int shift = used.get(word);
            used.set(word, shift + bits);
            Field f = new Field(name, min, max, bits, word, shift == 64 ? 0 : shift);
            fields.add(f);
            names.put(name, Boolean.TRUE);
            return f;
        }

        /** A boolean field: 0 or 1. */
        public Field flag(String name) {
            return field(name, 0, 1);
        }

        /** {@code length} fields named {@code name[i]}, each in {@code [min, max]}. */
        public FieldArray array(String name, int length, int min, int max) {
            if (length < 0) {
                throw new IllegalArgumentException("array '" + name + "': length " + length + " must be >= 0");
            }
            Field[] elements = new Field[length];
            for (int i = 0; i < length; i++) {
                elements[i] = field(name + "[" + i + "]", min, max);
            }
            return new FieldArray(name, elements);
        }

        public Layout build() {
            return new Layout(fields, used.size());
        }
    }
}
