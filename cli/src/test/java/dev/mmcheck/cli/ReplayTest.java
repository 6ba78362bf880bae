package dev.mmcheck.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, items 3 and 10: replay checks every recorded state, and says what a file that is no trace is. */
class ReplayTest {
    @Test
    void aTraceWithAnEditedStateIsRefutedAtTheFirstStepAndFieldThatDiffer(@TempDir Path dir) throws Exception {
        assertEquals(1, Cli.run("check", "B4-buggy", "--quiet", "--report", "json", "--out", dir.toString()).code());
        Path trace = dir.resolve("parallel-madv-dontneed@B4-99baac21e458-buggy.json");
        String json = Files.readString(trace);
        assertEquals(0, Cli.run("replay", trace.toString()).code());

        // The state after step 5: change its first field; steps and the final violation are untouched.
        Matcher m = Pattern.compile("\"index\": 5,(?s:.*?)\"state\": \\{\"([^\"]+)\": (\\d+)").matcher(json);
        assertTrue(m.find(), json);
        String edited = json.substring(0, m.start(2)) + (Integer.parseInt(m.group(2)) + 1) + json.substring(m.end(2));
        Path tampered = Files.writeString(dir.resolve("tampered.json"), edited);
        Cli.Run r = Cli.run("replay", tampered.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("REFUTED: step 5: field '" + m.group(1) + "' is " + (Integer.parseInt(m.group(2)) + 1)
                + " in the file but " + m.group(2) + " when re-executed"), r.out());

        // The last state: the claim is still reproduced, but the file's record of it is wrong.
        Matcher last = Pattern.compile("(?s).*\"state\": \\{\"([^\"]+)\": (\\d+)").matcher(json);
        assertTrue(last.find());
        String lastEdited = json.substring(0, last.start(2)) + (Integer.parseInt(last.group(2)) + 1) + json.substring(last.end(2));
        Cli.Run rl = Cli.run("replay", Files.writeString(dir.resolve("last.json"), lastEdited).toString());
        assertEquals(1, rl.code(), rl.out());
        assertTrue(rl.out().contains("REFUTED: step "), rl.out());
    }

    @Test
    void aBinaryOrNonJsonFileIsAOneLineErrorSayingWhatItIs(@TempDir Path dir) throws Exception {
        Path binary = Files.write(dir.resolve("trace.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3});
        Cli.Run r = Cli.run("replay", binary.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("not a text file (not UTF-8); expected a JSON trace (mmcheck-trace/1)"), r.err());

        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Cli.Run t = Cli.run("replay", text.toString());
        assertEquals(2, t.code());
        assertEquals(1, t.err().lines().count(), t.err());
        assertTrue(t.err().contains("not valid JSON"), t.err());
    }
}
