package dev.mmcheck.reports;

import dev.mmcheck.checker.model.CopyingSuccessors;
import dev.mmcheck.checker.model.Invariant;
import dev.mmcheck.checker.model.Model;
import dev.mmcheck.checker.search.Verdict;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.trace.ReplayException;
import dev.mmcheck.checker.trace.Replayer;
import dev.mmcheck.checker.trace.Trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Trace documents on disk, and replay: re-executing a trace file to confirm its claim. */
public final class TraceFiles {
    private TraceFiles() {
    }

    /** Writes {@code c} as {@value JsonTrace#SCHEMA} JSON (UTF-8) to {@code file}. */
    public static void write(Path file, Counterexample c, StateView view) {
        try {
            Files.writeString(file, JsonTrace.write(c, view), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file, e);
        }
    }

    /**
     * Reads a trace file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TraceFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a text file (not UTF-8); expected a JSON trace ("
                    + JsonTrace.SCHEMA + ") as mmcheck check and catalogue write", e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return JsonTrace.read(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #replay(TraceFile, Model)} of the document {@code json}. */
    public static ReplayCheck replay(String json, Model model) {
        return replay(JsonTrace.read(json), model);
    }

    /**
     * Re-executes {@code file}'s steps against {@code model}, compares every state it records with
     * the state re-executed (the first step and field that differ refute it), and checks that its
     * last state shows what the file claims: the invariant it identifies broken (VIOLATED; matched by id, or by name in a file without one) or no enabled
     * step in a state that is not final (DEADLOCK).
     *
     * @throws IllegalArgumentException if the file belongs to another model (a usage error, not a
     *                                  failed replay)
     */
    public static ReplayCheck replay(TraceFile file, Model model) {
        if (!file.model().equals(model.name())) {
            throw new IllegalArgumentException("$.model: the trace is for model '" + file.model() + "', not '"
                    + model.name() + "'");
        }
        Trace trace;
        try {
            trace = Replayer.replay(model, file.initialOrdinal(), file.transitions());
        } catch (ReplayException e) {
            return new ReplayCheck(file, null, false, "the trace does not replay: " + e.getMessage());
        }
        String difference = firstDifference(file, trace);
        if (difference != null) {
            return new ReplayCheck(file, trace, false, difference);
        }
        long[] last = trace.lastState();
        String where = "the last state (after step " + trace.length() + ")";
        if (file.verdict() == Verdict.DEADLOCK) {
            if (hasSuccessor(model, last)) {
                return new ReplayCheck(file, trace, false, where + " is not a deadlock: a step is enabled");
            }
            if (model.isFinal(last)) {
                return new ReplayCheck(file, trace, false, where + " has no enabled step but is a proper final state");
            }
            return new ReplayCheck(file, trace, true, where + " is a deadlock, as the trace says");
        }
        for (Invariant inv : model.invariants()) {
            if (file.invariantId() != null ? inv.id().equals(file.invariantId()) : inv.name().equals(file.invariant())) {
                if (inv.holds(last)) {
                    return new ReplayCheck(file, trace, false, where + " satisfies \"" + inv.name()
                            + "\": the violation is not reproduced");
                }
                return new ReplayCheck(file, trace, true, where + " breaks \"" + inv.name() + "\": " + inv.explain(trace));
            }
        }
        return new ReplayCheck(file, trace, false, file.invariantId() != null
                ? "the model has no invariant with id " + file.invariantId() + " (\"" + file.invariant() + "\")"
                : "the model has no invariant named \"" + file.invariant() + "\"");
    }

    /** The first recorded state (in step order, then field order) that differs from the re-executed one, or null. */
    private static String firstDifference(TraceFile file, Trace trace) {
        List<Field> fields = trace.model().layout().fields();
        for (int i = 0; i < trace.steps().size(); i++) {
            Map<String, Long> recorded = file.states().get(i);
            long[] actual = trace.steps().get(i).state();
            String step = i == 0 ? "the initial state" : "step " + i;
            for (Field f : fields) {
                Long value = recorded.get(f.name());
                if (value == null) {
                    return step + ": the file records no field '" + f.name() + "'";
                }
                if (value != f.get(actual)) {
                    return step + ": field '" + f.name() + "' is " + value + " in the file but " + f.get(actual)
                            + " when re-executed";
                }
            }
            if (recorded.size() != fields.size()) {
                for (String name : recorded.keySet()) {
                    if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                        return step + ": the file records a field '" + name + "' the model does not have";
                    }
                }
            }
        }
        return null;
    }

    private static boolean hasSuccessor(Model model, long[] state) {
        boolean[] any = new boolean[1];
        model.successors(state, new CopyingSuccessors(model.layout().words()) {
            @Override
            public void emit(int transition) {
                any[0] = true;
            }
        });
        return any[0];
    }
}
