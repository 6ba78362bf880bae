package dev.mmcheck.model.versions;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fact types and the derivation rule at their boundaries; every feature's facts are complete. */
class FeatureFactsTest {
    private static final Set<Config> NONE = EnumSet.noneOf(Config.class);
    private static final Set<Config> PV = EnumSet.of(Config.PARAVIRT);

    @Test
    void firstUntilAndConfigurationBoundTheReleasesThatHaveAFeature() {
        FeatureFacts f = FeatureFacts.first("v4.14").commit("9e52fc2b50de", "a title").until("v6.5").requires(Config.PARAVIRT, "v4.19")
                .source("read");
        assertFalse(f.in(Release.parse("v4.13"), PV), "before first");
        assertTrue(f.in(Release.parse("v4.14"), NONE), "before the configuration is needed");
        assertTrue(f.in(Release.parse("v4.18"), NONE));
        assertFalse(f.in(Release.parse("v4.19"), NONE), "needs the configuration from v4.19");
        assertTrue(f.in(Release.parse("v4.19"), PV));
        assertTrue(f.in(Release.parse("v6.4"), PV));
        assertFalse(f.in(Release.parse("v6.5"), PV), "gone from until on");
    }

    @Test
    void everyFeatureHasACommitAndEvidence() {
        Set<String> ids = new HashSet<>();
        for (Feature f : Feature.values()) {
            FeatureFacts x = f.facts();
            assertFalse(x.commits().isEmpty(), f.name());
            assertFalse(x.evidence().isEmpty(), f.name());
            assertTrue(ids.add(f.commit()), f + ": two features cite " + f.commit());
            assertTrue(x.evidence().stream().anyMatch(e -> e.kind() != Evidence.Kind.MEMORY),
                    f + " rests on memory alone");
        }
        assertEquals("v6.14", Feature.SHOULD_FLUSH_TLB.since().label());
        assertTrue(Feature.SHOULD_FLUSH_TLB.facts().backports().stream().anyMatch(b -> b.label().equals("5.15.y from 5.15.179")));
        assertEquals("UFFD_UNMAP_PREP_AFTER_SPLIT", Feature.UFFD_UNMAP_PREP_AFTER_SPLIT.commit(), "no id found: named by the feature");
    }

    @Test
    void releasesParseOrderAndRejectBadText() {
        assertEquals(new Release(6, 14), Release.parse("v6.14"));
        assertEquals(new Release(6, 14), Release.parse("6.14"));
        assertTrue(Release.parse("v5.4").compareTo(Release.parse("v5.10")) < 0, "numeric, not text, order");
        assertEquals("v5.10", Release.parse("5.10").label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Release.parse("6.14.2"));
        assertEquals("release '6.14.2': expected vMAJOR.MINOR, e.g. v6.14", e.getMessage());
    }

    @Test
    void backportsAndCommitsValidateTheirText() {
        assertEquals("5.15.y from 5.15.179", Backport.parse("5.15.179").label());
        assertEquals("5.1.y (in 5.1.15)", Backport.parse("5.1.15", false).label());
        assertThrows(IllegalArgumentException.class, () -> Backport.parse("5.15"));
        assertThrows(IllegalArgumentException.class, () -> new Commit("7A30DF49F63A", "upper case"));
        assertThrows(IllegalArgumentException.class, () -> new Commit("7a30df49f63", "eleven digits"));
        assertEquals("(id not found) \"a title\"", Commit.titled("a title").label());
    }
}
