package dev.mmcheck.checker.trace;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.DiningPhilosophers;
import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

public class SwitchMinimizerTest {

    /** Replays the result independently: it must be a path of the model from the same initial state. */
    private static Trace replayed(Trace t) {
        return Replayer.replay(t.model(), t.initialOrdinal(), t.transitionIds());
    }

    private static int distinctActors(Trace t) {
        Set<Actor> a = new HashSet<>();
        for (int i = 1; i < t.steps().size(); i++) {
            a.add(t.steps().get(i).transition().actor());
        }
        return a.size();
    }

    @Test
    void independentCountersEndWithOneRunPerActor() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 5), integers().between(0, 40))
                .checkAssert((seed, actors, length) -> {
                    CounterActors m = CounterActors.independent(seed, actors);
                    Trace before = m.randomTrace(seed ^ 0x5DEECE66DL, length);
                    Trace after = SwitchMinimizer.minimize(before);
                    Trace again = replayed(after);
                    assertEquals(before.length(), again.length());
                    assertArrayEquals(before.lastState(), again.lastState());
                    assertEquals(Math.max(0, distinctActors(before) - 1), after.contextSwitches(),
                            () -> "from " + Arrays.toString(before.transitionIds()) + " got " + Arrays.toString(after.transitionIds()));
                });
    }

    @Test
    void entangledCountersKeepAValidPathToTheSameState() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 5), integers().between(0, 40))
                .checkAssert((seed, actors, length) -> {
                    CounterActors m = CounterActors.entangled(seed, actors);
                    Trace before = m.randomTrace(seed * 31 + 7, length);
                    Trace after = SwitchMinimizer.minimize(before);
                    Trace again = replayed(after);
                    assertEquals(before.length(), again.length());
                    assertArrayEquals(before.lastState(), again.lastState());
                    assertTrue(after.contextSwitches() <= before.contextSwitches());
                    assertArrayEquals(after.transitionIds(), SwitchMinimizer.minimize(before).transitionIds(),
                            "deterministic");
                });
    }

    @Test
    void aTargetAllowsAnotherLastStateThatSatisfiesIt() {
        qt().withExamples(300).forAll(longs().all(), integers().between(2, 5), integers().between(1, 40))
                .checkAssert((seed, actors, length) -> {
                    CounterActors m = CounterActors.entangled(seed, actors);
                    Trace before = m.randomTrace(seed + 1, length);
                    int n = before.length();
                    int c0 = m.counter.get(before.lastState(), 0);
                    // Only states at depth n can satisfy it (the counters sum to the depth), and
                    // the last writer is free, so the last pair may swap to another end state.
                    Predicate<long[]> target = s -> m.sum(s) == n && m.counter.get(s, 0) == c0;
                    Trace after = replayed(SwitchMinimizer.minimize(before, target));
                    assertEquals(n, after.length());
                    assertTrue(target.test(after.lastState()));
                    for (int i = 0; i < n; i++) {
                        assertFalse(target.test(after.steps().get(i).state()), "a target is reached only at the end");
                    }
                    assertTrue(after.contextSwitches() <= before.contextSwitches());
                });
    }

    @Test
    void brokenMutexLosesASwitchAndStillViolates() {
        Result r = Checker.check(new BrokenMutex(2), SearchOptions.defaults().withWorkers(1).withMemoryBytes(16L << 20));
        assertEquals(Verdict.VIOLATED, r.verdict());
        Invariant mutex = r.trace().model().invariants().get(0);
        Trace before = r.trace();
        Trace after = SwitchMinimizer.minimize(before, s -> !mutex.holds(s));
        assertEquals(4, after.length());
        assertFalse(mutex.holds(after.lastState()));
        // Both must test before either sets, so two switches is the least possible.
        assertEquals(2, after.contextSwitches(), after.toString());
        assertTrue(before.contextSwitches() >= 2);
    }

    @Test
    void aTraceThatCannotImproveStaysAsItIs() {
        Result r = Checker.check(new DiningPhilosophers(3), SearchOptions.defaults().withWorkers(1).withMemoryBytes(16L << 20));
        assertEquals(Verdict.DEADLOCK, r.verdict());
        Trace after = SwitchMinimizer.minimize(r.trace());
        assertArrayEquals(r.trace().transitionIds(), after.transitionIds());
    }

    @Test
    void noEffortMeansNoChange() {
        CounterActors m = CounterActors.independent(42, 3);
        Trace before = m.randomTrace(1, 20);
        assertTrue(before.contextSwitches() > 2, "the example must have room to improve");
        Trace after = SwitchMinimizer.minimize(before, s -> Arrays.equals(s, before.lastState()), 0);
        assertArrayEquals(before.transitionIds(), after.transitionIds());
        assertTrue(SwitchMinimizer.minimize(before).contextSwitches() < before.contextSwitches());
    }

    @Test
    void theTargetMustHoldAtTheEnd() {
        CounterActors m = CounterActors.independent(1, 2);
        Trace t = m.randomTrace(1, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SwitchMinimizer.minimize(t, s -> false));
        assertTrue(e.getMessage().contains("target"), e.getMessage());
    }
}
