package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/proposing-a-change.md shows the external project's code, which the build compiles and
 * runs (module it): the guide's examples are that code, byte for byte.
 */
class GuideTest {
    private static final Path ROOT = Path.of("..");
    private static final Path PROPOSALS = ROOT.resolve("it/src/it/external-project/src/test/java/org/example/proposals");

    @Test
    void theGuidesExamplesAreTheProjectTheBuildRuns() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/proposing-a-change.md"));
        for (String file : new String[] {"ExampleDriverZap.java", "ProposingAChangeTest.java"}) {
            String code = Files.readString(PROPOSALS.resolve(file));
            assertTrue(guide.contains("```java\n" + code + "```"), "the guide's " + file + " differs from " + PROPOSALS.resolve(file));
        }
    }
}
