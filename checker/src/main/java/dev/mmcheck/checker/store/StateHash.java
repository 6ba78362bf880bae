package dev.mmcheck.checker.store;

/**
 * The 64-bit hash of a state vector, used both for slot placement and as the fingerprint.
 * A per-word multiply-xorshift mix (the finaliser of SplitMix64/Murmur3), chained so that word
 * order matters; strong enough that 64-bit fingerprints behave like random values.
 */
public final class StateHash {
    private StateHash() {
    }

    public static long hash(long[] state) {
        long h = 0x9E3779B97F4A7C15L * (state.length + 1);
        for (long w : state) {
            h = mix(h ^ mix(w + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values with full avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
