package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.search.Checker;
import dev.mmcheck.checker.search.Result;
import dev.mmcheck.checker.search.SearchOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check catalogue as JUnit tests: every default check gives its expected verdict. With
 * {@code -Pexhaustive} ({@code -Dmmcheck.exhaustive=true}) the exhaustive-only checks run too.
 */
public class CatalogueTest {
    private static final boolean EXHAUSTIVE = Boolean.getBoolean("mmcheck.exhaustive");
    /** The pinned distinct-state count of every default check (scripts/catalogue-states.sh writes it). */
    private static final Map<String, Long> STATES = pinnedStates();

    @TestFactory
    Stream<DynamicTest> everyCheckGivesItsExpectedVerdict() {
        return Catalogue.all().stream()
                .filter(c -> EXHAUSTIVE || !c.exhaustiveOnly())
                .map(c -> DynamicTest.dynamicTest(c.name() + " is " + c.expected(), () -> {
                    Result r = Checker.check(c.model().get(), SearchOptions.defaults().withWorkers(2));
                    assertTrue(c.accepts(r), c.name() + ": expected " + c.expected()
                            + (c.invariants().isEmpty() ? "" : " by " + c.invariants()) + ", got " + r.summary()
                            + (r.trace() == null ? "" : "\n" + r.trace()));
                    if (!c.exhaustiveOnly()) {
                        assertEquals(STATES.get(c.name()), r.statistics().distinct(), c.name()
                                + ": the distinct-state count moved (a refactor keeps it; a change that moves it"
                                + " says why and updates catalogue-states.tsv with scripts/catalogue-states.sh)");
                    }
                }));
    }

    @Test
    void everyDefaultCheckHasAPinnedStateCount() {
        Set<String> defaults = new HashSet<>();
        Catalogue.all().stream().filter(c -> !c.exhaustiveOnly()).forEach(c -> defaults.add(c.name()));
        assertEquals(defaults, STATES.keySet(), "catalogue-states.tsv lists exactly the default checks");
    }

    private static Map<String, Long> pinnedStates() {
        Map<String, Long> states = new HashMap<>();
        try (InputStream in = CatalogueTest.class.getResourceAsStream("/catalogue-states.tsv")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .forEach(line -> {
                        String[] f = line.split("\t");
                        states.put(f[0], Long.parseLong(f[1]));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return states;
    }

    @Test
    void theReleaseMatrixReplacesTheAreasReleaseChecksWithTheSameExpectation() {
        List<Check> release = ReleaseMatrix.checks();
        Set<String> kept = new HashSet<>();
        Catalogue.withoutReleaseCells(Catalogue.areaChecks(), release).forEach(c -> kept.add(c.name()));
        for (Check area : Catalogue.areaChecks()) {
            if (kept.contains(area.name())) {
                assertTrue(area.variant() == null || !area.variant().isRelease(), area.name() + ": a release outside the matrix");
                continue;
            }
            Check cell = Catalogue.find(area.name());
            assertEquals(ReleaseMatrix.GROUP, cell.group(), area.name());
            assertEquals(area.expected(), cell.expected(), area.name() + ": the area and the matrix disagree");
        }
    }

    @Test
    void namesAreUniqueAndFindable() {
        Set<String> names = new HashSet<>();
        for (Check c : Catalogue.all()) {
            assertTrue(names.add(c.name()), "duplicate check " + c.name());
            assertEquals(c, Catalogue.find(c.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalogue.find("no-such-check"));
        assertTrue(e.getMessage().contains("valid names"), e.getMessage());
    }
}
