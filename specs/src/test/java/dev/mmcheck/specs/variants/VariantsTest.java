package dev.mmcheck.specs.variants;

import dev.mmcheck.model.Variant;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.model.versions.KernelVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The releases offered by name, and composites named by what they are. */
class VariantsTest {
    @Test
    void releasesAreEveryVersionAndTheConfigurationBuildsThatChangeFeatures() {
        assertEquals(List.of("v4.12", "v4.13", "v4.14", "v4.19", "v4.19-paravirt", "v4.20", "v5.2", "v5.4", "v5.8", "v5.10",
                "v5.15", "v5.17", "v5.19", "v6.1", "v6.6", "v6.12", "v6.18"), Variants.releases().stream().map(Variant::name).toList());
        assertTrue(Variants.releases().stream().allMatch(Variant::isRelease));
    }

    @Test
    void aCompositeIsFoundByItsName() {
        Variant cs1 = Variants.find("v5.15+6db2526c1d69+fea4e317f9e7");
        assertEquals("v5.15+6db2526c1d69+fea4e317f9e7", cs1.name());
        assertEquals(KernelVersion.V5_15, cs1.base());
        assertTrue(cs1.has(Feature.SHOULD_FLUSH_TLB) && cs1.has(Feature.SHOULD_FLUSH_SWITCHING));
        assertFalse(cs1.isRelease());
        Variant removed = Variants.find("v4.19-paravirt-d86564a2f085");
        assertTrue(removed.has(Feature.RCU_TABLE_FREE) && !removed.has(Feature.RCU_TABLE_FREE_INVALIDATES));
        assertTrue(Variants.composite("v4.19-paravirt").orElseThrow().isRelease());
        assertTrue(Variants.composite("v6.13").isEmpty(), "v6.13 is not offered");
        assertTrue(Variants.composite("v5.15+000000000000").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variants.find("v6.13"));
        assertTrue(e.getMessage().startsWith("unknown variant 'v6.13'; valid names: v4.12"), e.getMessage());
    }
}
