package dev.mmcheck.specs.catalogue;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.model.ReadsAudit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reads the kernel invariants declare (I1 to I10) cover every field they read: a search skips
 * an invariant in a state whose declared reads equal its parent's, so a missed field would hide
 * a violation. Audited ({@link ReadsAudit}) on the models of every check of the catalogue.
 */
public class InvariantReadsTest {
    @TestFactory
    Stream<DynamicTest> everyKernelInvariantDeclaresAllItReads() {
        return Catalogue.all().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Model model = c.model().get();
                    List<String> problems = ReadsAudit.audit(model, c.name().hashCode());
                    assertEquals(List.of(), problems, c.name());
                }));
    }
}
