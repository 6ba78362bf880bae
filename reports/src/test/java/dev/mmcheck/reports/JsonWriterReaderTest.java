package dev.mmcheck.reports;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWriterReaderTest {

    @Test
    void stringsSurviveARoundTrip() {
        String nasty = "quote \" backslash \\ slash / newline \n tab \t nul \u0000 bell \u0007 sep \u2028 arrow \u2192 emoji \uD83D\uDE00";
        String json = new JsonWriter().beginObject().field("s", nasty).endObject().toString();
        assertTrue(json.chars().noneMatch(ch -> ch < 0x20 && ch != '\n'), "no raw control characters: " + json);
        assertTrue(json.contains("\\u2028"), json);
        assertEquals(Map.of("s", nasty), JsonReader.parse(json));
    }

    @Test
    void unpairedSurrogatesAreEscaped() {
        assertEquals("\"a\\ud800b\"", JsonWriter.quote("a\uD800b"));
        assertEquals("\"\\udc00\"", JsonWriter.quote("\uDC00"));
        assertEquals("\"\uD83D\uDE00\"", JsonWriter.quote("\uD83D\uDE00"));
    }

    @Test
    void writesNestedAndInlineValues() {
        String json = new JsonWriter().beginObject()
                .name("a").beginArray().value(1).value(2.5).value(true).nullValue().endArray()
                .name("b").beginInlineObject().field("x", 1).field("y", "z").endObject()
                .name("nan").value(Double.NaN)
                .endObject().toString();
        assertTrue(json.contains("\"b\": {\"x\": 1, \"y\": \"z\"}"), json);
        Object back = JsonReader.parse(json);
        Map<?, ?> m = (Map<?, ?>) back;
        assertEquals(Arrays.asList(new BigDecimal("1"), new BigDecimal("2.5"), Boolean.TRUE, null), m.get("a"));
        assertEquals(null, m.get("nan"));
        assertTrue(m.containsKey("nan"));
    }

    @Test
    void misuseOfTheWriterIsAnError() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value(1));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json)).getMessage();
    }

    @Test
    void badJsonIsRejectedWithAPosition() {
        assertTrue(error("").contains("empty input"));
        assertTrue(error("{").contains("line 1, column 2"), error("{"));
        assertTrue(error("{\n  \"a\": 1,\n  \"b\" 2}").contains("line 3, column 7: expected ':'"), error("{\n  \"a\": 1,\n  \"b\" 2}"));
        assertTrue(error("[1, 2,]").contains("expected a value"), error("[1, 2,]"));
        assertTrue(error("{\"a\": 1} x").contains("after the JSON document"));
        assertTrue(error("{\"a\": 1, \"a\": 2}").contains("appears twice"));
        assertTrue(error("\"tab\there\"").contains("control character"));
        assertTrue(error("01").contains("after the JSON document"));
        assertTrue(error("-").contains("expected a digit"));
        assertTrue(error("\"\\x\"").contains("unknown escape"));
        assertTrue(error("\"\\u12g4\"").contains("bad hex digit"));
        assertTrue(error("tru").contains("expected true"));
        assertTrue(error("[".repeat(100_000)).contains("nested deeper than"));
    }
}
