package dev.mmcheck.checker.model;

/**
 * A {@link Successors} sink whose {@link #begin} copies the source state into one reusable
 * vector, {@link #scratch}: for sinks that look at each successor in turn in {@link #emit}.
 */
public abstract class CopyingSuccessors implements Successors {
    /** The successor being built; valid in {@link #emit} until the next {@link #begin}. */
    protected final long[] scratch;

    protected CopyingSuccessors(int words) {
        scratch = new long[words];
    }

    @Override
    public final long[] begin(long[] from) {
        System.arraycopy(from, 0, scratch, 0, scratch.length);
        return scratch;
    }
}
