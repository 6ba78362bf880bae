package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;

/** The first invariant a state breaks, in declaration order. */
final class InvariantCheck {
    private InvariantCheck() {
    }

    /** The position of the first broken invariant, or -1 when all hold. */
    static int firstBroken(Invariant[] invariants, long[] state) {
        for (int i = 0; i < invariants.length; i++) {
            if (!invariants[i].holds(state)) {
                return i;
            }
        }
        return -1;
    }
}
