package dev.mmcheck.checker.store;

/**
 * Builds the visited set of a run from its memory budget.
 *
 * <p>The budget pays for the table and for the search's parent log, which keeps one {@code int}
 * per slot, the parent's index ({@link #PARENT_LOG_BYTES_PER_SLOT}).
 * So {@code capacity = budget / (tableBytesPerSlot + PARENT_LOG_BYTES_PER_SLOT)}, where a slot of
 * the table is 8 bytes (fingerprints) or {@code words * 8} bytes (lossless).
 *
 * <p>The capacity is capped so that the table's one array has at most {@link #MAX_ARRAY_LENGTH}
 * longs ({@code capacity * words <= Integer.MAX_VALUE - 8}, the largest array length every JVM
 * allocates); a bigger budget is not an error, the excess simply goes unused.
 */
public final class VisitedSets {
    /** Bytes the search's parent log takes per slot: one int, the parent's index and an open bit. */
    public static final int PARENT_LOG_BYTES_PER_SLOT = 4;
    /** Maximum load of a lossless table: linear probing degrades quickly beyond this. */
    public static final double LOSSLESS_MAX_LOAD = 0.85;
    /** Maximum load of a fingerprint table (slots are 8 bytes, so probing is cheap). */
    public static final double FINGERPRINT_MAX_LOAD = 0.9;
    /** Overflow slots of a {@link ProjectedTable}, as a share of its packed slots: room for one level's misfits. */
    public static final double OVERFLOW_SHARE = 0.125;
    /**
     * The overflow's share once the projection is stable (the search saw no misfit in the last
     * level): whole vectors cost several packed slots each, so a large overflow that stays empty
     * would be a good part of the set's memory.
     */
    public static final double STABLE_OVERFLOW_SHARE = 1.0 / 64;
    /** The smallest table {@link #create} builds. */
    public static final int MIN_CAPACITY = 16;
    /** The largest Java array length that is safe on every JVM. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private VisitedSets() {
    }

    /** Budget bytes one slot costs: the table's slot plus the parent log's entry. */
    public static long bytesPerSlot(int words, boolean fingerprints) {
        return (fingerprints ? Long.BYTES : (long) words * Long.BYTES) + PARENT_LOG_BYTES_PER_SLOT;
    }

    /**
     * A visited set for states of {@code words} words, as large as {@code memoryBudgetBytes}
     * allows (see the class comment).
     *
     * @throws IllegalArgumentException if the budget is too small for {@link #MIN_CAPACITY} slots
     * @throws IllegalStateException    if the JVM heap cannot hold the table (raise {@code -Xmx})
     */
    public static VisitedSet create(int words, boolean fingerprints, long memoryBudgetBytes) {
        int capacity = capacityFor(words, fingerprints, memoryBudgetBytes);
        int arrayLength = fingerprints ? capacity : capacity * words;
        long[] slots = allocate(arrayLength, memoryBudgetBytes);
        return fingerprints
                ? new FingerprintTable(capacity, FINGERPRINT_MAX_LOAD, slots)
                : new LosslessTable(words, capacity, LOSSLESS_MAX_LOAD, slots);
    }

    /**
     * A lossless set storing states through {@code projection} ({@link ProjectedTable}), as large
     * as {@code memoryBudgetBytes} allows: each packed slot also pays for its parent-log entry and
     * for its share of the overflow ({@link #OVERFLOW_SHARE} of the packed slots, whole vectors).
     *
     * @throws IllegalArgumentException if the budget is too small for {@link #MIN_CAPACITY} slots
     * @throws IllegalStateException    if the JVM heap cannot hold the tables (raise {@code -Xmx})
     */
    public static ProjectedTable createProjected(Projection projection, long memoryBudgetBytes) {
        return createProjected(projection, memoryBudgetBytes, OVERFLOW_SHARE);
    }

    /** {@link #createProjected(Projection, long)} with an overflow of {@code overflowShare} of the packed slots. */
    public static ProjectedTable createProjected(Projection projection, long memoryBudgetBytes, double overflowShare) {
        if (!(overflowShare > 0 && overflowShare <= 1)) {
            throw new IllegalArgumentException("overflow share " + overflowShare + " must be in (0, 1]");
        }
        int words = projection.words();
        int packedWords = projection.packedWords();
        double perSlot = bytesPerSlot(packedWords, false) + overflowShare * bytesPerSlot(words, false);
        long bySlots = (long) (memoryBudgetBytes / perSlot);
        if (bySlots < MIN_CAPACITY) {
            throw new IllegalArgumentException("memory budget of " + memoryBudgetBytes + " bytes is too small: at "
                    + perSlot + " bytes per slot the minimum of " + MIN_CAPACITY + " slots needs "
                    + (long) (MIN_CAPACITY * perSlot) + " bytes");
        }
        long packedCapacity = Math.min(bySlots, Math.min(MAX_ARRAY_LENGTH / packedWords,
                (long) (MAX_ARRAY_LENGTH / (1 + overflowShare))));
        long overflowCapacity = Math.min(MAX_ARRAY_LENGTH / words,
                Math.max(MIN_CAPACITY, (long) (packedCapacity * overflowShare)));
        long[] packedSlots = allocate((int) (packedCapacity * packedWords), memoryBudgetBytes);
        long[] overflowSlots = allocate((int) (overflowCapacity * words), memoryBudgetBytes);
        return new ProjectedTable(projection,
                new LosslessTable(packedWords, (int) packedCapacity, LOSSLESS_MAX_LOAD, packedSlots),
                new LosslessTable(words, (int) overflowCapacity, LOSSLESS_MAX_LOAD, overflowSlots));
    }

    /** The capacity {@link #create} gives a table for this budget (validating the arguments). */
    static int capacityFor(int words, boolean fingerprints, long memoryBudgetBytes) {
        if (words < 1) {
            throw new IllegalArgumentException("words " + words + " must be >= 1");
        }
        long perSlot = bytesPerSlot(words, fingerprints);
        long maxByArray = MAX_ARRAY_LENGTH / (fingerprints ? 1 : words);
        if (maxByArray < MIN_CAPACITY) {
            throw new IllegalArgumentException("states of " + words + " words are too large: " + MIN_CAPACITY
                    + " slots would exceed the Java array limit of " + MAX_ARRAY_LENGTH + " longs");
        }
        long bySlots = memoryBudgetBytes / perSlot;
        if (bySlots < MIN_CAPACITY) {
            throw new IllegalArgumentException("memory budget of " + memoryBudgetBytes + " bytes is too small: at "
                    + perSlot + " bytes per slot (table and parent log) the minimum of " + MIN_CAPACITY
                    + " slots needs " + MIN_CAPACITY * perSlot + " bytes");
        }
        return (int) Math.min(bySlots, maxByArray);
    }

    private static long[] allocate(int length, long memoryBudgetBytes) {
        try {
            return new long[length];
        } catch (OutOfMemoryError e) {
            // The one allocation sized by the user: a clear message beats a bare OOM, and nothing
            // else was allocated in between, so the heap is in a known state.
            IllegalStateException ex = new IllegalStateException("the memory budget of " + memoryBudgetBytes
                    + " bytes exceeds what the JVM heap can give (max heap " + Runtime.getRuntime().maxMemory()
                    + " bytes): the visited set needs " + (long) length * Long.BYTES
                    + " bytes; lower the budget or raise the heap with -Xmx");
            ex.initCause(e);
            throw ex;
        }
    }
}
