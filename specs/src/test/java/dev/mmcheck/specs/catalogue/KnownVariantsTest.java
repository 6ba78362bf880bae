package dev.mmcheck.specs.catalogue;

import dev.mmcheck.specs.variants.Bug;
import dev.mmcheck.specs.variants.Bugs;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every variant, bug entry and check has one unique name that resolves back to it. */
class KnownVariantsTest {
    @Test
    void everyBugEntryHasItsOwnKeyAndVariantIds() {
        Set<String> keys = new HashSet<>();
        for (Bug b : Bugs.all()) {
            assertTrue(keys.add(b.key()), "two entries share the key " + b.key());
            assertEquals(b.buggyId(), KnownVariants.find(b.buggyId()).id());
            assertEquals(b.fixedId(), KnownVariants.find(b.fixedId()).id());
            assertEquals(b.buggyId(), KnownVariants.find(b.buggyId()).variant().name());
            assertEquals(KnownVariant.Kind.BUG, KnownVariants.find(b.fixedId()).kind());
        }
    }

    @Test
    void b6HasTwoFixesSoItsShortNameIsAmbiguous() {
        assertEquals(2, Bugs.matching("B6").size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownVariants.find("B6-buggy"));
        assertTrue(e.getMessage().contains("B6-20841405940e-buggy") && e.getMessage().contains("B6-16af97dc5a89-buggy"),
                e.getMessage());
        assertEquals("B6-16af97dc5a89-buggy", KnownVariants.find("16af97dc5a89-buggy").id());
        assertEquals("B6-20841405940e-fixed", KnownVariants.find("B6-20841405940e-fixed").id());
        assertThrows(IllegalArgumentException.class, () -> Bugs.find("B6"));
    }

    @Test
    void aBugWithOneFixKeepsItsShortAliases() {
        assertEquals("B3-7a30df49f63a-buggy", KnownVariants.find("B3-buggy").id());
        assertEquals("B2-246c320a8cfe-fixed", KnownVariants.find("CVE-2020-29369-fixed").id());
        assertEquals("B3-7a30df49f63a-fixed", KnownVariants.find("7a30df49f63a-fixed").id());
    }

    @Test
    void everyCatalogueRunNameResolvesBackToTheSameRun() {
        for (Check c : Catalogue.all()) {
            KernelRun run = c.kernel();
            if (run == null) {
                assertEquals("example", c.group(), c.name());
                continue;
            }
            String[] parts = c.name().split("@", -1);
            assertEquals(2, parts.length, c.name());
            KnownVariant v = KnownVariants.find(parts[1]);
            assertTrue(KnownVariants.sameAlgorithm(run.variant(), v.variant()), c.name() + " resolves to another variant");
            assertSame(KnownScenarios.find(parts[0]), KnownScenarios.find(run.scenarioName()));
            assertEquals(c.name(), new KernelRun(KnownScenarios.find(parts[0]), v.variant()).name());
        }
    }

    @Test
    void mutantsAndBugsAreTaggedByWhatTheyAre() {
        for (KnownVariant v : KnownVariants.all().values()) {
            if (v.kind() == KnownVariant.Kind.KERNEL) {
                assertNull(v.home(), v.id());
            } else {
                assertTrue(v.home() != null, v.id());
            }
        }
        for (Bug b : Bugs.all()) {
            assertEquals(KnownVariant.Kind.BUG, KnownVariants.all().get(b.buggyId()).kind(), b.key());
        }
        assertEquals(KnownVariant.Kind.MUTANT, KnownVariants.all().get("mutant-skip-ipi").kind());
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownVariants.find("v9.9"));
        assertTrue(e.getMessage().contains("valid names: v4.12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KnownScenarios.find("nope"));
    }
}
