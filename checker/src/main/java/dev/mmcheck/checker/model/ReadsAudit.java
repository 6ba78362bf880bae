package dev.mmcheck.checker.model;

import dev.mmcheck.checker.state.Field;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Checks the {@link Reads} an invariant declares against the model's own states: a declaration
 * that misses a field the invariant reads would let a search skip the invariant where it breaks.
 *
 * <p>The audit collects states along random walks from the initial states (a walk stops, as a
 * search does, at a state that breaks an invariant or leaves the constraint), then mixes pairs: a
 * state keeps the declared fields of one and takes every other field from the other. An
 * invariant that reads only what it declares gives the mix the verdict it gives the first state
 * (it reads the same values); a different verdict, or an exception, shows an undeclared read, and
 * the audit names the one field whose change alone flips the verdict when there is one. A mix
 * need not be reachable: that is what makes the test strong, since every field's value is then
 * varied against every declared one.
 */
public final class ReadsAudit {
    private final Model model;
    private final int words;
    private final Random random;

    private ReadsAudit(Model model, long seed) {
        this.model = model;
        this.words = model.layout().words();
        this.random = new Random(seed);
    }

    /**
     * {@link #audit(Model, int, int, int, long)} with sizes that find every undeclared read of a
     * kernel invariant we planted on the default catalogue (40 walks of 120 steps, 800 mixes an
     * invariant), in milliseconds a model.
     */
    public static List<String> audit(Model model, long seed) {
        return audit(model, 40, 120, 800, seed);
    }

    /**
     * The undeclared reads found in {@code model}'s invariants, one sentence each (empty when none):
     * {@code walks} random walks of at most {@code walkLength} steps, then {@code mixes} mixes per
     * invariant that declares its reads. The same arguments give the same answer.
     */
    public static List<String> audit(Model model, int walks, int walkLength, int mixes, long seed) {
        if (walks < 1 || walkLength < 0 || mixes < 1) {
            throw new IllegalArgumentException("audit needs walks >= 1, walkLength >= 0 and mixes >= 1; got walks=" + walks
                    + ", walkLength=" + walkLength + ", mixes=" + mixes);
        }
        ReadsAudit audit = new ReadsAudit(model, seed);
        List<long[]> states = audit.sample(walks, walkLength);
        List<String> problems = new ArrayList<>();
        for (Invariant inv : states.isEmpty() ? List.<Invariant>of() : model.invariants()) { // no initial state: nothing to mix
            if (inv.reads().isPresent()) {
                String problem = audit.undeclaredRead(inv, states, mixes);
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    /** The distinct states of the walks, in the order first met. */
    private List<long[]> sample(int walks, int walkLength) {
        List<long[]> states = new ArrayList<>();
        Set<List<Long>> seen = new HashSet<>();
        List<long[]> initial = model.initialStates();
        List<long[]> next = new ArrayList<>();
        Successors collect = new CopyingSuccessors(words) {
            @Override public void emit(int transition) {
                next.add(scratch.clone());
            }
        };
        for (int w = 0; w < walks && !initial.isEmpty(); w++) {
            long[] s = initial.get(random.nextInt(initial.size()));
            for (int step = 0; ; step++) {
                if (seen.add(Arrays.stream(s).boxed().toList())) {
                    states.add(s);
                }
                next.clear();
                if (step == walkLength || !expandable(s)) {
                    break;
                }
                try {
                    model.successors(s, collect);
                } catch (RuntimeException e) {
                    break; // a model error: the search reports it, with its trace
                }
                if (next.isEmpty()) {
                    break;
                }
                s = next.get(random.nextInt(next.size()));
            }
        }
        return states;
    }

    /** As a search: a state outside the constraint or breaking an invariant is not expanded. */
    private boolean expandable(long[] state) {
        if (!model.withinConstraint(state)) {
            return false;
        }
        for (Invariant inv : model.invariants()) {
            if (!Boolean.TRUE.equals(verdict(inv, state))) {
                return false;
            }
        }
        return true;
    }

    private String undeclaredRead(Invariant inv, List<long[]> states, int mixes) {
        long[] declared = inv.reads().orElseThrow().bits(model.layout(), "invariant '" + inv.name() + "'");
        for (int m = 0; m < mixes; m++) {
            long[] kept = states.get(random.nextInt(states.size()));
            long[] donor = states.get(random.nextInt(states.size()));
            Boolean expected = verdict(inv, kept);
            if (expected == null) {
                continue; // the invariant fails on a state of the model: the search reports that, not this audit
            }
            long[] mix = new long[words];
            for (int w = 0; w < words; w++) {
                mix[w] = kept[w] & declared[w] | donor[w] & ~declared[w];
            }
            Boolean mixed = verdict(inv, mix);
            if (!expected.equals(mixed)) {
                return "invariant '" + inv.name() + "' reads a field its declared reads leave out: it " + describe(expected)
                        + " in a state, and " + describe(mixed) + " once fields outside its reads change"
                        + culprit(inv, kept, mix, expected);
            }
        }
        return null;
    }

    /** Which field, changed alone, flips the verdict: the undeclared read, when one field is enough. */
    private String culprit(Invariant inv, long[] kept, long[] mix, boolean expected) {
        for (Field f : model.layout().fields()) {
            if (f.get(kept) == f.get(mix)) {
                continue;
            }
            long[] one = kept.clone();
            f.set(one, f.get(mix));
            Boolean v = verdict(inv, one);
            if (v == null || v != expected) {
                return " (changing only '" + f.name() + "' from " + f.get(kept) + " to " + f.get(mix) + " is enough: it "
                        + describe(v) + ")";
            }
        }
        return " (no one field flips it alone)";
    }

    private static String describe(Boolean verdict) {
        return verdict == null ? "throws" : verdict ? "holds" : "fails";
    }

    /** Whether {@code inv} holds in {@code state}; null when evaluating it throws. */
    private static Boolean verdict(Invariant inv, long[] state) {
        try {
            return inv.holds(state);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
