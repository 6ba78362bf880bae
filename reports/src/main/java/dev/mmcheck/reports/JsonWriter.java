package dev.mmcheck.reports;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer, so that the reports need no JSON library. Output is indented
 * two spaces per level; an object or array opened as inline stays on one line (used for
 * state maps, which would otherwise take a line per field per step).
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private boolean afterName;

    private static final class Frame {
        final boolean object;
        final boolean inline;
        boolean empty = true;

        Frame(boolean object, boolean inline) {
            this.object = object;
            this.inline = inline;
        }
    }

    JsonWriter beginObject() {
        return open(true, false);
    }

    JsonWriter beginInlineObject() {
        return open(true, true);
    }

    JsonWriter beginArray() {
        return open(false, false);
    }

    JsonWriter beginInlineArray() {
        return open(false, true);
    }

    JsonWriter endObject() {
        return close(true);
    }

    JsonWriter endArray() {
        return close(false);
    }

    JsonWriter name(String name) {
        Frame f = stack.peek();
        if (f == null || !f.object || afterName) {
            throw new IllegalStateException("a name belongs directly inside an object");
        }
        separate(f);
        out.append(quote(name)).append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        return s == null ? nullValue() : raw(quote(s));
    }

    JsonWriter value(long v) {
        return raw(Long.toString(v));
    }

    /** Non-finite numbers have no JSON form; they are written as null. */
    JsonWriter value(double v) {
        return Double.isFinite(v) ? raw(Double.toString(v)) : nullValue();
    }

    JsonWriter value(boolean v) {
        return raw(Boolean.toString(v));
    }

    JsonWriter nullValue() {
        return raw("null");
    }

    /** Convenience: a name and a string value (null allowed). */
    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        if (!stack.isEmpty()) {
            throw new IllegalStateException("unclosed object or array");
        }
        return out.toString();
    }

    private JsonWriter open(boolean object, boolean inline) {
        Frame parent = stack.peek();
        beforeValue();
        out.append(object ? '{' : '[');
        stack.push(new Frame(object, inline || (parent != null && parent.inline)));
        return this;
    }

    private JsonWriter close(boolean object) {
        Frame f = stack.peek();
        if (f == null || f.object != object || afterName) {
            throw new IllegalStateException("mismatched end of " + (object ? "object" : "array"));
        }
        stack.pop();
        if (!f.empty && !f.inline) {
            newline();
        }
        out.append(object ? '}' : ']');
        if (stack.isEmpty()) {
            out.append('\n');
        }
        return this;
    }

    private JsonWriter raw(String token) {
        beforeValue();
        out.append(token);
        return this;
    }

    private void beforeValue() {
        Frame f = stack.peek();
        if (f == null) {
            if (out.length() > 0) {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            return;
        }
        if (f.object) {
            if (!afterName) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            afterName = false;
        } else {
            separate(f);
        }
    }

    private void separate(Frame f) {
        if (!f.empty) {
            out.append(f.inline ? ", " : ",");
        }
        if (!f.inline) {
            newline();
        }
        f.empty = false;
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(stack.size()));
    }

    /**
     * A JSON string literal. Escapes quotes, backslashes and control characters, plus U+2028
     * and U+2029 (so the text can be embedded in a script) and unpaired surrogates (which have
     * no UTF-8 encoding); everything else stays as it is.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                            : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || !paired) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
