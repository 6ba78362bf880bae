package dev.mmcheck.checker.search;

import dev.mmcheck.checker.model.Invariant;

/** The first invariant a state breaks, in declaration order; null when all hold. */
final class InvariantCheck {
    private InvariantCheck() {
    }

    static Invariant firstBroken(Invariant[] invariants, long[] state) {
        for (Invariant inv : invariants) {
            if (!inv.holds(state)) {
                return inv;
            }
        }
        return null;
    }
}
