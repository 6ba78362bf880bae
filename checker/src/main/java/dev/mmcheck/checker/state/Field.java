package dev.mmcheck.checker.state;

/**
 * One named field of a packed state vector: an int in {@code [min, max]} stored as
 * {@code value - min} in {@code bits} bits of one word. A field never straddles two words,
 * so {@link #get} and {@link #set} are one shift and one mask: no allocation, no branch.
 *
 * <p>Range checks: {@link #set} checks the range when {@link #CHECKED} is on (assertions
 * enabled, as in every test run, or {@code -Dmmcheck.checkRanges=true}); the hot path of a
 * production run relies on the model being right. {@link #setChecked} always checks.
 */
public final class Field {
    /** True when every {@link #set} validates its value; folded away by the JIT when false. */
    public static final boolean CHECKED = Boolean.getBoolean("mmcheck.checkRanges") || assertionsEnabled();

    private final String name;
    private final int min;
    private final int max;
    private final int bits;
    private final int word;
    private final int shift;
    private final long mask;
    private final long clearMask;

    Field(String name, int min, int max, int bits, int word, int shift) {
        this.name = name;
        this.min = min;
        this.max = max;
        this.bits = bits;
        this.word = word;
        this.shift = shift;
        this.mask = bits == 0 ? 0L : (bits == 64 ? -1L : (1L << bits) - 1);
        this.clearMask = ~(mask << shift);
    }

    public int get(long[] state) {
        return (int) ((state[word] >>> shift) & mask) + min;
    }

    public void set(long[] state, int value) {
        if (CHECKED && (value < min || value > max)) {
            throw outOfRange(value);
        }
        state[word] = (state[word] & clearMask) | (((long) (value - min) & mask) << shift);
    }

    /** Like {@link #set} but always validates: for input read from users and files. */
    public void setChecked(long[] state, int value) {
        if (value < min || value > max) {
            throw outOfRange(value);
        }
        set(state, value);
    }

    public boolean inRange(int value) {
        return value >= min && value <= max;
    }

    public IllegalArgumentException outOfRange(int value) {
        return new IllegalArgumentException(
                "field '" + name + "': value " + value + " is outside its range [" + min + ", " + max + "]");
    }

    public String name() { return name; }
    public int min() { return min; }
    public int max() { return max; }
    public int bits() { return bits; }
    public int word() { return word; }
    public int shift() { return shift; }

    @Override
    public String toString() {
        return name + "[" + min + ".." + max + "]@" + word + ":" + shift + "+" + bits;
    }

    @SuppressWarnings({"AssertWithSideEffects", "java:S3346"})
    private static boolean assertionsEnabled() {
        boolean on = false;
        assert on = true;
        return on;
    }
}
