package dev.mmcheck.checker.store;

/**
 * The set of states seen so far, shared by all search workers. Every stored state gets a slot
 * index in {@code [0, capacity())}, stable for the run, which the search uses to index its parent
 * log. Implementations are lock-free and never grow: their size is fixed from a memory budget
 * at construction, and a full set answers {@link #FULL} instead of failing.
 */
public interface VisitedSet {
    /** Returned by {@link #insert} when the set has reached its maximum load. */
    int FULL = Integer.MIN_VALUE;

    /**
     * Adds {@code state} if absent. Returns its new slot index ({@code >= 0}) when this call
     * added it, {@code ~index} ({@code < 0}) when it was present already, or {@link #FULL}.
     * Exactly one of any number of concurrent inserts of the same state sees it as new.
     *
     * @param state a vector of the layout's words, reserved bits clear; not retained
     * @param hash  {@link StateHash#hash} of the state (computed once by the caller)
     */
    int insert(long[] state, long hash);

    /**
     * {@link #insert(long[], long)} with a vector of the layout's words that the set may overwrite
     * (a set that stores states in another form builds that form there): lets a caller that
     * inserts many states spare the set an allocation per call. By default the scratch is unused.
     */
    default int insert(long[] state, long hash, long[] scratch) {
        return insert(state, hash);
    }

    /**
     * Reads the memory an {@link #insert} of a state with this hash looks at first, and returns
     * what it read (any value): a caller about to insert several states touches all of them first,
     * so that their cache and TLB misses overlap instead of coming one after the other. Changes
     * nothing; by default reads nothing.
     */
    default long touch(long hash) {
        return 0;
    }

    /** True when the set keeps whole vectors (so {@link #read} works and no collision is possible). */
    boolean isLossless();

    /** Copies the vector stored at {@code index} into {@code into} (lossless sets only). */
    void read(int index, long[] into);

    /**
     * The fingerprint of the state stored at {@code index}, as {@link FingerprintTable#fingerprint}
     * gives it for that state's {@link StateHash#hash}. A lossless set reads the state into
     * {@code scratch} (a vector of the layout's words) and hashes it; a fingerprint set returns the
     * stored value. The index must be one an insert returned.
     */
    long fingerprintAt(int index, long[] scratch);

    /** Number of slots. */
    int capacity();

    /** Number of states stored. */
    long size();

    /** The most states this set accepts (its load limit); by default its capacity. */
    default long maxSize() {
        return capacity();
    }

    /**
     * Inserts the states held in slots {@code [from, to)} of this set into {@code target}, a set of
     * the same kind, and writes each slot's new index to {@code newIndex[slot]} ({@code -1} for an
     * empty slot). Used to grow a search's set between BFS levels, when no insert is in flight on
     * this set; calls on disjoint ranges may run at once (the target's inserts are thread-safe).
     * The states go in by {@link #moveIn}: the caller passes the sum of what the calls return to
     * the target's {@link #settleMoves}.
     *
     * @return the number of states moved
     * @throws IllegalStateException         if the target fills up or already held one of the states
     * @throws UnsupportedOperationException if this set cannot be copied into {@code target}
     */
    default long transferTo(VisitedSet target, int from, int to, int[] newIndex) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be transferred");
    }

    /**
     * Stores a state this set does not hold and that no concurrent call stores: one being moved
     * here by {@link #transferTo}. Unlike {@link #insert} it compares with no stored state, waits
     * for no other mover, and leaves the count of states to {@link #settleMoves}, so that movers
     * share nothing but the slots they claim (a shared counter would be a locked write a state).
     * Returns the new slot index, or {@link #FULL} when there is no empty slot. By default an
     * {@link #insert}.
     */
    default int moveIn(long[] state, long hash, long[] scratch) {
        return insert(state, hash, scratch);
    }

    /**
     * Counts the {@code moved} states that {@link #moveIn} stored (as {@link #transferTo} calls
     * returned them, summed); called once every mover has finished, before the set is used again.
     * By default nothing (the default {@code moveIn} counts as it inserts).
     *
     * @throws IllegalStateException if the moves took the set past its load limit
     */
    default void settleMoves(long moved) {
    }

    /** Bytes this set allocated. */
    long allocatedBytes();

    /**
     * Upper bound of the probability that some distinct state was wrongly taken for a seen one,
     * after {@code generated} insert calls; 0 for lossless sets.
     */
    double collisionProbabilityBound(long generated);
}
