package dev.mmcheck.checker.model;

import dev.mmcheck.checker.examples.CounterGrid;
import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Mode;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

/**
 * Declared reads ({@link Reads}): a search trusts them and checks an invariant only where its
 * reads changed, so a right declaration changes no verdict, count or counterexample, a wrong one
 * hides a violation, and {@link ReadsAudit} finds the wrong one and names the field it misses.
 */
class ReadsTest {
    private static final CounterGrid GRID = new CounterGrid(3, 4, 0);

    private static Field counter(int i) {
        return GRID.layout().field("counter[" + i + "]");
    }

    /** counter[1] never reaches {@code value}: it reads counter[1] only. */
    private static Invariant neverReaches(int value) {
        return Invariant.of("counter[1] != " + value, s -> counter(1).get(s) != value);
    }

    private static final List<SearchOptions> SEARCHES = List.of(
            SearchOptions.defaults().withWorkers(1),
            SearchOptions.defaults().withWorkers(2),
            SearchOptions.defaults().withWorkers(1).withMode(Mode.DFS).withMaxDepth(50));

    @Test
    void aRightDeclarationChangesNoVerdictCountOrCounterexample() {
        qt().withExamples(12).forAll(integers().between(0, 4)).checkAssert(value -> {
            Invariant whole = neverReaches(value);
            Invariant declared = whole.reading(Reads.of(counter(1)));
            for (SearchOptions options : SEARCHES) {
                Result expected = Checker.check(GRID.withInvariant(whole), options);
                Result got = Checker.check(GRID.withInvariant(declared), options);
                assertEquals(value < 4 ? Verdict.VIOLATED : Verdict.HOLDS, expected.verdict(), "value " + value);
                assertEquals(expected.verdict(), got.verdict(), "value " + value);
                assertEquals(expected.statistics().distinct(), got.statistics().distinct(), "value " + value);
                assertEquals(String.valueOf(expected.trace()), String.valueOf(got.trace()), "value " + value);
            }
        });
    }

    @Test
    void aWrongDeclarationHidesAViolationAndTheAuditNamesTheMissedField() {
        // The search trusts a declaration: one that reads nothing is checked in the initial state only.
        Model blind = GRID.withInvariant(neverReaches(2).reading(Reads.none()));
        assertEquals(Verdict.HOLDS, Checker.check(blind, SearchOptions.defaults().withWorkers(1)).verdict());
        Model model = GRID.withInvariant(neverReaches(2).reading(Reads.of(counter(0), counter(2))));
        // Here a state that breaks it is checked only when reached by a step of counter[0] or counter[2]: not by the shortest path.
        Result late = Checker.check(model, SearchOptions.defaults().withWorkers(1));
        assertEquals(Verdict.VIOLATED, late.verdict());
        assertTrue(late.trace().length() > 2, late.trace().toString());

        List<String> problems = ReadsAudit.audit(model, 20, 30, 200, 7);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'counter[1] != 2' reads a field its declared reads leave out"), problems.get(0));
        assertTrue(problems.get(0).contains("changing only 'counter[1]'"), problems.get(0));

        assertEquals(List.of(), ReadsAudit.audit(GRID.withInvariant(neverReaches(2).reading(Reads.of(counter(1)))), 20, 30, 200, 7));
    }

    @Test
    void aReadOfAFieldOfAnotherModelIsRefused() {
        Field foreign = Layout.builder().field("elsewhere", 0, 3);
        Invariant inv = neverReaches(2).reading(Reads.of(foreign));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checker.check(GRID.withInvariant(inv), SearchOptions.defaults()));
        assertTrue(e.getMessage().contains("'counter[1] != 2'") && e.getMessage().contains("'elsewhere'"), e.getMessage());
    }

    @Test
    void fieldsOfAbsentPartsAreLeftOutAndDuplicatesCountOnce() {
        Reads reads = Reads.of(counter(0), null, counter(0)).and(GRID.layout().field("counter[2]"));
        assertEquals(List.of(counter(0), counter(2)), reads.fields());
        long[] bits = reads.bits(GRID.layout(), "test");
        long[] state = GRID.layout().newState();
        counter(0).set(state, 3);
        counter(2).set(state, 3);
        assertEquals(state[0], state[0] & bits[0]);
        counter(1).set(state, 3);
        assertTrue((state[0] & ~bits[0]) != 0);
    }

    @Test
    void auditArgumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadsAudit.audit(GRID, 0, 10, 10, 1));
        assertTrue(e.getMessage().contains("walks=0"), e.getMessage());
    }
}
