package dev.mmcheck.reports;

import dev.mmcheck.checker.model.InvariantId;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.trace.Trace;
import dev.mmcheck.checker.trace.TraceStep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A counterexample as a JSON document of schema {@value #SCHEMA}, described in
 * {@code docs/trace-json.md}. The transition ids and the initial state's ordinal are what
 * replay needs; the labels, changes and full states are for people and other tools.
 */
public final class JsonTrace {
    public static final String SCHEMA = "mmcheck-trace/1";

    private JsonTrace() {
    }

    public static String write(Counterexample c, StateView view) {
        Trace trace = c.trace();
        List<Field> fields = trace.model().layout().fields();
        JsonWriter w = new JsonWriter().beginObject();
        w.field("schema", SCHEMA);
        w.name("tool").beginInlineObject().field("name", ToolVersion.NAME).field("version", ToolVersion.version()).endObject();
        w.field("model", trace.model().name());
        w.name("metadata").beginObject();
        c.metadata().forEach(w::field);
        w.endObject();
        w.field("verdict", c.finding().verdict().name());
        w.field("invariantId", c.finding().invariantId() == null ? null : c.finding().invariantId().code());
        w.field("invariant", c.finding().invariant());
        w.field("explanation", c.finding().explanation());
        w.field("sentence", c.finding().sentence());
        w.field("initialOrdinal", trace.initialOrdinal());
        w.field("length", trace.length());
        w.field("contextSwitches", trace.contextSwitches());
        w.field("contextSwitchesBeforeReordering", c.originalSwitches());
        w.name("fields").beginInlineArray();
        for (Field f : fields) {
            w.value(f.name());
        }
        w.endArray();
        w.name("initialState");
        state(w, fields, trace.steps().get(0).state());
        w.name("steps").beginArray();
        for (int i = 1; i < trace.steps().size(); i++) {
            TraceStep st = trace.steps().get(i);
            long[] before = trace.steps().get(i - 1).state();
            w.beginObject()
                    .field("index", i)
                    .field("transition", st.transition().id())
                    .field("actor", st.transition().actor().toString())
                    .field("column", view.actorColumn(st.transition()))
                    .field("label", st.transition().label())
                    .field("source", st.transition().source());
            w.name("changes").beginArray();
            for (String change : view.changes(before, st.state())) {
                w.value(change);
            }
            w.endArray();
            w.name("state");
            state(w, fields, st.state());
            w.endObject();
        }
        w.endArray();
        w.name("statistics");
        StatisticsJson.write(w, c.statistics());
        return w.endObject().toString();
    }

    private static void state(JsonWriter w, List<Field> fields, long[] state) {
        w.beginInlineObject();
        for (Field f : fields) {
            w.field(f.name(), f.get(state));
        }
        w.endObject();
    }

    /**
     * Reads back what replay needs. Only the members listed in {@link TraceFile} are checked;
     * others are ignored, so later minor additions stay readable.
     *
     * @throws IllegalArgumentException naming the JSON path of the first problem: not JSON, not
     *                                  an mmcheck trace, another schema version, a missing or
     *                                  mistyped member
     */
    public static TraceFile read(String json) {
        Object doc = JsonReader.parse(json);
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("$: expected an object (an " + SCHEMA + " document), found " + kind(doc));
        }
        Map<?, ?> root = (Map<?, ?>) doc;
        if (!root.containsKey("schema")) {
            throw new IllegalArgumentException("$.schema is missing: this is not an mmcheck trace (" + SCHEMA + ")");
        }
        String schema = string(root, "schema", "$");
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("$.schema: \"" + schema + "\" is not supported; this version of mmcheck reads "
                    + SCHEMA);
        }
        String version = "unknown";
        if (root.get("tool") != null) {
            Map<?, ?> tool = object(root, "tool", "$");
            if (tool.get("version") != null) {
                version = string(tool, "version", "$.tool");
            }
        }
        String model = string(root, "model", "$");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (root.get("metadata") != null) {
            Map<?, ?> m = object(root, "metadata", "$");
            for (Object k : m.keySet()) {
                metadata.put((String) k, string(m, (String) k, "$.metadata"));
            }
        }
        String verdictName = string(root, "verdict", "$");
        Verdict verdict;
        if (verdictName.equals(Verdict.VIOLATED.name())) {
            verdict = Verdict.VIOLATED;
        } else if (verdictName.equals(Verdict.DEADLOCK.name())) {
            verdict = Verdict.DEADLOCK;
        } else {
            throw new IllegalArgumentException("$.verdict: \"" + verdictName + "\" is not a counterexample verdict; "
                    + "expected VIOLATED or DEADLOCK");
        }
        String invariant = root.get("invariant") == null ? null : string(root, "invariant", "$");
        if (verdict == Verdict.VIOLATED && invariant == null) {
            throw new IllegalArgumentException("$.invariant: a VIOLATED trace must name the broken invariant");
        }
        // Files written before invariants had ids name them only; those match by name.
        InvariantId invariantId = null;
        if (root.get("invariantId") != null) {
            String code = string(root, "invariantId", "$");
            try {
                invariantId = InvariantId.of(code);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("$.invariantId: " + e.getMessage(), e);
            }
        }
        String explanation = root.get("explanation") == null ? "" : string(root, "explanation", "$");
        int initial = integer(root, "initialOrdinal", "$");
        List<?> steps = array(root, "steps", "$");
        if (root.get("length") != null) {
            int length = integer(root, "length", "$");
            if (length != steps.size()) {
                throw new IllegalArgumentException("$.length: says " + length + " steps but $.steps holds " + steps.size());
            }
        }
        int[] ids = new int[steps.size()];
        List<Map<String, Long>> states = new ArrayList<>();
        states.add(state(object(root, "initialState", "$"), "$.initialState"));
        for (int i = 0; i < steps.size(); i++) {
            String at = "$.steps[" + i + "]";
            if (!(steps.get(i) instanceof Map)) {
                throw new IllegalArgumentException(at + ": expected an object, found " + kind(steps.get(i)));
            }
            Map<?, ?> step = (Map<?, ?>) steps.get(i);
            if (step.get("index") != null && integer(step, "index", at) != i + 1) {
                throw new IllegalArgumentException(at + ".index: expected " + (i + 1) + ", found "
                        + step.get("index") + " (steps out of order or missing)");
            }
            ids[i] = integer(step, "transition", at);
            states.add(state(object(step, "state", at), at + ".state"));
        }
        return new TraceFile(version, model, metadata, verdict, invariantId, invariant, explanation, initial, ids, states);
    }

    /** A recorded state: field name to integer value. */
    private static Map<String, Long> state(Map<?, ?> obj, String at) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : obj.entrySet()) {
            String name = (String) e.getKey();
            if (!(e.getValue() instanceof BigDecimal)) {
                throw new IllegalArgumentException(at + "." + name + ": expected an integer, found " + kind(e.getValue()));
            }
            try {
                values.put(name, ((BigDecimal) e.getValue()).longValueExact());
            } catch (ArithmeticException ex) {
                throw new IllegalArgumentException(at + "." + name + ": expected an integer, found " + e.getValue());
            }
        }
        return values;
    }

    private static Object member(Map<?, ?> obj, String name, String at) {
        if (!obj.containsKey(name)) {
            throw new IllegalArgumentException(at + "." + name + " is missing");
        }
        return obj.get(name);
    }

    private static String string(Map<?, ?> obj, String name, String at) {
        Object v = member(obj, name, at);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(at + "." + name + ": expected a string, found " + kind(v));
        }
        return (String) v;
    }

    private static int integer(Map<?, ?> obj, String name, String at) {
        Object v = member(obj, name, at);
        if (!(v instanceof BigDecimal)) {
            throw new IllegalArgumentException(at + "." + name + ": expected a non-negative integer, found " + kind(v));
        }
        try {
            int i = ((BigDecimal) v).intValueExact();
            if (i < 0) {
                throw new ArithmeticException();
            }
            return i;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(at + "." + name + ": expected a non-negative integer, found " + v);
        }
    }

    private static Map<?, ?> object(Map<?, ?> obj, String name, String at) {
        Object v = member(obj, name, at);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(at + "." + name + ": expected an object, found " + kind(v));
        }
        return (Map<?, ?>) v;
    }

    private static List<?> array(Map<?, ?> obj, String name, String at) {
        Object v = member(obj, name, at);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(at + "." + name + ": expected an array, found " + kind(v));
        }
        return new ArrayList<>((List<?>) v);
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof BigDecimal) {
            return "the number " + v;
        }
        return "a boolean";
    }
}
