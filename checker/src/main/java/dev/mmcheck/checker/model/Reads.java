package dev.mmcheck.checker.model;

import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.checker.state.Layout;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state fields an invariant reads ({@link Invariant#reading}). A search checks a new state's
 * invariant only when one of these fields differs from the state's parent, which held every
 * invariant: the rest of the state cannot change the verdict. A field the invariant reads and the
 * declaration misses would hide a violation, so a declaration must cover every field any
 * evaluation may read, including fields read only on some branches; {@link ReadsAudit} verifies
 * it against mixed states.
 *
 * <p>Fields of a part a model does not have may be passed as {@code null}: they are left out.
 */
public final class Reads {
    private final Set<Field> fields;

    private Reads(Set<Field> fields) {
        this.fields = fields;
    }

    /** No field yet: add them with {@link #and}. */
    public static Reads none() {
        return new Reads(Collections.emptySet());
    }

    public static Reads of(Field... fields) {
        return none().and(fields);
    }

    public static Reads of(FieldArray... arrays) {
        return none().and(arrays);
    }

    /** These reads and {@code more} fields (nulls left out). */
    public Reads and(Field... more) {
        Set<Field> union = new LinkedHashSet<>(fields);
        for (Field f : more) {
            if (f != null) {
                union.add(f);
            }
        }
        return new Reads(Collections.unmodifiableSet(union));
    }

    /** These reads and every element of {@code arrays} (nulls left out). */
    public Reads and(FieldArray... arrays) {
        Set<Field> union = new LinkedHashSet<>(fields);
        for (FieldArray a : arrays) {
            for (int i = 0; a != null && i < a.length(); i++) {
                union.add(a.element(i));
            }
        }
        return new Reads(Collections.unmodifiableSet(union));
    }

    /** These reads and those of {@code other}. */
    public Reads and(Reads other) {
        Set<Field> union = new LinkedHashSet<>(fields);
        union.addAll(other.fields);
        return new Reads(Collections.unmodifiableSet(union));
    }

    /**
     * The bits of {@code layout}'s state vectors these fields occupy, word by word (a field of one
     * value occupies none: it never changes). {@code declaredBy} names the declaring property in
     * the error for a field that is not {@code layout}'s.
     */
    public long[] bits(Layout layout, String declaredBy) {
        Set<Field> inLayout = Collections.newSetFromMap(new IdentityHashMap<>());
        inLayout.addAll(layout.fields());
        long[] bits = new long[layout.words()];
        for (Field f : fields) {
            if (!inLayout.contains(f)) {
                throw new IllegalArgumentException(declaredBy + " declares that it reads field '" + f.name()
                        + "', which is not a field of this model's state");
            }
            if (f.bits() > 0) {
                bits[f.word()] |= (f.bits() == 64 ? -1L : (1L << f.bits()) - 1) << f.shift();
            }
        }
        return bits;
    }

    /** The fields, in the order they were added. */
    public List<Field> fields() {
        return List.copyOf(fields);
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
