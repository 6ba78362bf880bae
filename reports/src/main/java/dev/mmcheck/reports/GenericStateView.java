package dev.mmcheck.reports;

import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.state.Field;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StateView} for any model, read from its layout: a change is {@code name: old -> new};
 * the picture lists every field, grouped by name prefix ({@code T0.pc}, {@code T0.addr} under
 * {@code T0}; {@code pte[0]}, {@code pte[1]} under {@code pte}). For a {@link ProgramModel},
 * program counters show the step label instead of a number ({@code T0.pc: find_vma -> split_vma}).
 *
 * <p>Subclasses may override {@link #value} to name the values of some fields.
 */
public class GenericStateView implements StateView {
    /** Picture width used when none is given: fits a 100-column terminal with indentation. */
    public static final int DEFAULT_WIDTH = 88;

    private final List<Field> fields;
    private final Map<Field, List<String>> pcLabels;
    private final int width;

    public GenericStateView(Model model) {
        this(model, DEFAULT_WIDTH);
    }

    /** @param width the picture wraps its lines at this many characters */
    public GenericStateView(Model model, int width) {
        if (width < 20) {
            throw new IllegalArgumentException("width: " + width + " is too narrow; use at least 20");
        }
        this.fields = model.layout().fields();
        this.pcLabels = model instanceof ProgramModel ? programCounters((ProgramModel) model) : Map.of();
        this.width = width;
    }

    /**
     * Finds each process's pc field by asking the model rather than trusting a naming scheme:
     * {@link ProgramModel#pc} reads exactly one field, so the field whose change moves the pc is it.
     */
    private static Map<Field, List<String>> programCounters(ProgramModel m) {
        Map<Field, List<String>> found = new IdentityHashMap<>();
        long[] base = m.initialStates().get(0);
        for (Field f : m.layout().fields()) {
            if (f.bits() == 0) {
                continue;
            }
            long[] probe = base.clone();
            int v = f.get(base);
            f.set(probe, v == f.min() ? f.min() + 1 : f.min());
            for (int p = 0; p < m.processCount(); p++) {
                if (m.pc(probe, p) != m.pc(base, p)) {
                    found.put(f, m.stepLabels(p));
                }
            }
        }
        return found;
    }

    /** Whether {@code field} is a program counter shown as step labels. */
    public boolean isProgramCounter(Field field) {
        return pcLabels.containsKey(field);
    }

    /** The value {@code raw} of {@code field} in words: a step label for program counters, else the number. */
    public String value(Field field, int raw) {
        List<String> labels = pcLabels.get(field);
        if (labels != null && raw >= 0 && raw < labels.size()) {
            return labels.get(raw);
        }
        return Integer.toString(raw);
    }

    /** Every field's value in words, in layout order. */
    public Map<String, String> values(long[] state) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : fields) {
            out.put(f.name(), value(f, f.get(state)));
        }
        return out;
    }

    @Override
    public List<String> changes(long[] before, long[] after) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            int a = f.get(before);
            int b = f.get(after);
            if (a != b) {
                out.add(f.name() + ": " + value(f, a) + " -> " + value(f, b));
            }
        }
        return out;
    }

    @Override
    public String picture(long[] state) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> loose = new ArrayList<>();
        for (Field f : fields) {
            String name = f.name();
            int cut = prefixEnd(name);
            String v = value(f, f.get(state));
            if (cut <= 0) {
                loose.add(name + "=" + v);
            } else {
                String member = name.charAt(cut) == '.' ? name.substring(cut + 1) : name.substring(cut);
                groups.computeIfAbsent(name.substring(0, cut), k -> new ArrayList<>()).add(member + "=" + v);
            }
        }
        int pad = 0;
        for (String g : groups.keySet()) {
            pad = Math.max(pad, g.length());
        }
        List<String> lines = new ArrayList<>();
        if (!loose.isEmpty()) {
            lines.addAll(Wrap.items(loose, width, ""));
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            String head = Wrap.pad(g.getKey(), pad) + "  ";
            List<String> body = Wrap.items(g.getValue(), width - head.length(), "");
            for (int i = 0; i < body.size(); i++) {
                lines.add((i == 0 ? head : " ".repeat(head.length())) + body.get(i));
            }
        }
        return String.join("\n", lines);
    }

    /** Index of the first '.' or '[' (the group prefix ends there), or -1. */
    private static int prefixEnd(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '[') {
                return i;
            }
        }
        return -1;
    }
}
