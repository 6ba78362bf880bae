package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.examples.BrokenMutex;
import dev.mmcheck.checker.examples.DiningPhilosophers;
import dev.mmcheck.checker.examples.Peterson;
import dev.mmcheck.checker.search.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The named checks that {@code mmcheck check --all} and {@code mvn verify} run. The engine's
 * example models come first; the kernel checks are added by the specs that define them.
 */
public final class Catalogue {
    private static final List<Check> CHECKS = build();

    private Catalogue() {
    }

    private static List<Check> build() {
        List<Check> list = new ArrayList<>();
        list.add(Check.of("peterson-2", "example", "Peterson's mutual exclusion, 2 processes: holds",
                () -> new Peterson(2), Verdict.HOLDS));
        list.add(Check.of("peterson-3", "example", "Peterson's filter lock, 3 processes: holds",
                () -> new Peterson(3), Verdict.HOLDS));
        list.add(Check.of("broken-mutex", "example", "test-then-set lock: mutual exclusion fails in 4 steps",
                () -> new BrokenMutex(2), Verdict.VIOLATED));
        list.add(Check.of("dining-philosophers-3", "example", "3 philosophers taking left then right: deadlock",
                () -> new DiningPhilosophers(3), Verdict.DEADLOCK));
        return Collections.unmodifiableList(list);
    }

    public static List<Check> all() {
        return CHECKS;
    }

    /** The checks of the default run (everything not marked exhaustive-only). */
    public static List<Check> defaults() {
        return CHECKS.stream().filter(c -> !c.exhaustiveOnly()).collect(Collectors.toList());
    }

    /** The check called {@code name}; an error that lists the valid names if there is none. */
    public static Check find(String name) {
        for (Check c : CHECKS) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "'; valid names: "
                + CHECKS.stream().map(Check::name).collect(Collectors.joining(", ")));
    }
}
