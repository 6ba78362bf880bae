package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.Layout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a written {@link Program} into a {@link ProgramModel}: numbers each process's pcs (its
 * own code first, then its procedure copies; {@code DONE} last), declares the pc and return-stack
 * fields, resolves every label, and numbers the transitions.
 */
final class Linker {
    private Linker() { }

    static ProgramModel link(Program program, Layout.Builder layout, List<Process> processes) {
        if (processes.isEmpty()) {
            throw new IllegalArgumentException("program " + program.name() + " has no processes");
        }
        int n = processes.size();
        Field[] pcs = new Field[n];
        Field[] sps = new Field[n];
        Field[][] stacks = new Field[n][];
        List<Map<Code, Integer>> bases = new ArrayList<>();
        for (Process p : processes) {
            bases.add(declareFields(program, layout, p, pcs, sps, stacks));
        }
        checkSources(program, processes);
        Layout built = layout.build();

        List<Transition> transitions = new ArrayList<>();
        List<Integer> processOf = new ArrayList<>();
        Action[][][] table = new Action[n][][];
        String[][] labels = new String[n][];
        for (Process p : processes) {
            int i = p.index();
            Map<Code, Integer> base = bases.get(i);
            int done = pcs[i].max();
            table[i] = new Action[done][];
            labels[i] = new String[done + 1];
            labels[i][done] = Code.DONE;
            for (Code block : p.blocks()) {
                for (int k = 0; k < block.steps.size(); k++) {
                    Step step = block.steps.get(k);
                    int pc = base.get(block) + k;
                    String label = block.qualify(step.label);
                    labels[i][pc] = label;
                    Action[] actions = new Action[step.alternatives.size()];
                    for (int a = 0; a < actions.length; a++) {
                        Alternative alt = step.alternatives.get(a);
                        String source = alt.source != null ? alt.source : step.source;
                        String[] titles = new String[alt.hi - alt.lo + 1];
                        int firstId = transitions.size();
                        for (int v = alt.lo; v <= alt.hi; v++) {
                            Transition t = new Transition(transitions.size(), p.actor(),
                                    step.transitionLabel(label, alt, v), source);
                            transitions.add(t);
                            processOf.add(i);
                            titles[v - alt.lo] = t.title();
                        }
                        actions[a] = link(p, block, k, alt, base, done, pcs[i], sps[i], stacks[i], firstId, titles);
                    }
                    table[i][pc] = actions;
                }
            }
        }
        return new ProgramModel(program, built, pcs, table, labels,
                transitions.toArray(new Transition[0]), processOf.stream().mapToInt(Integer::intValue).toArray(),
                processes);
    }

    /** Declares pc (and stack) fields of {@code p}; returns each block's first pc. */
    private static Map<Code, Integer> declareFields(Program program, Layout.Builder layout, Process p,
                                                    Field[] pcs, Field[] sps, Field[][] stacks) {
        Map<Code, Integer> base = new IdentityHashMap<>();
        Map<String, Integer> pcByLabel = new LinkedHashMap<>();
        int total = 0;
        for (Code block : p.blocks()) {
            if (block.steps.isEmpty()) {
                throw new IllegalArgumentException(block.where() + " has no steps");
            }
            base.put(block, total);
            for (Step step : block.steps) {
                if (step.alternatives.isEmpty()) {
                    throw block.error(step.label, "either has no alternatives; add them with or(...)");
                }
                pcByLabel.put(block.qualify(step.label), total++);
            }
            // Labels of steps a patch skipped name the step written after them.
            int first = base.get(block);
            block.labels.forEach((label, k) -> {
                if (k < block.steps.size()) {
                    pcByLabel.putIfAbsent(block.qualify(label), first + k);
                }
            });
        }
        pcByLabel.put(Code.DONE, total);
        int i = p.index();
        pcs[i] = layout.field(p.name() + ".pc", 0, total);
        int depth = stackDepth(program, p);
        stacks[i] = new Field[depth];
        if (depth > 0) {
            sps[i] = layout.field(p.name() + ".sp", 0, depth);
            for (int d = 0; d < depth; d++) {
                stacks[i][d] = layout.field(p.name() + ".ret[" + d + "]", 0, total);
            }
        }
        p.linked(pcs[i], pcByLabel);
        return base;
    }

    private static Action link(Process p, Code block, int k, Alternative alt, Map<Code, Integer> base, int done,
                               Field pc, Field sp, Field[] stack, int firstId, String[] titles) {
        Step step = block.steps.get(k);
        int here = base.get(block);
        int fallThrough;
        if (k + 1 < block.steps.size()) {
            fallThrough = here + k + 1;
        } else if (block.procedure != null) {
            fallThrough = Action.RETURN;
        } else {
            fallThrough = p.isDaemon() ? 0 : done;
        }
        int next = alt.next == null ? fallThrough : resolve(block, step, alt.next, here, done);
        if (alt.callee != null && next == Action.RETURN) {
            throw block.error(step.label, "a call cannot return directly; add a step after it");
        }
        Guard[] jumpIf = alt.jumpIf.toArray(new Guard[0]);
        int[] jumpTo = new int[jumpIf.length];
        for (int j = 0; j < jumpTo.length; j++) {
            jumpTo[j] = resolve(block, step, alt.jumpTo.get(j), here, done);
        }
        int callEntry = alt.callee == null ? -1 : base.get(p.instances.get(alt.callee));
        return new Action(alt.lo, alt.hi, alt.guard, alt.effect, jumpIf, jumpTo, next, callEntry,
                pc, sp, stack, firstId, titles);
    }

    /** The pc of a jump target; labels are local to their block (no jumping into procedures). */
    private static int resolve(Code block, Step from, String label, int here, int done) {
        if (Code.DONE.equals(label)) {
            return done;
        }
        if (Code.RETURN.equals(label)) {
            return Action.RETURN;
        }
        Integer k = block.labels.get(label);
        if (k == null) {
            throw block.error(from.label, "goto '" + label + "' names no step; known labels: "
                    + String.join(", ", block.labels.keySet()) + " (and " + Code.DONE
                    + (block.procedure != null ? ", " + Code.RETURN : "") + ")");
        }
        if (k == block.steps.size()) { // a skipped last step: where falling off the block goes
            return block.procedure != null ? Action.RETURN : block.process.isDaemon() ? here : done;
        }
        return here + k;
    }

    /**
     * The return stack {@code p} needs: the deepest nesting of calls, or maxCallDepth when
     * procedures recurse (then overflow is checked at run time).
     */
    private static int stackDepth(Program program, Process p) {
        List<Code> chain = deepestCalls(p, p, new HashSet<>(), new IdentityHashMap<>());
        if (chain == null) {
            return program.maxCallDepth();
        }
        int depth = chain.size() - 1;
        if (depth > program.maxCallDepth()) {
            List<String> names = new ArrayList<>();
            for (Code c : chain) {
                names.add(c.procedure == null ? p.name() : c.procedure.name());
            }
            throw new IllegalArgumentException("process " + p.name() + ": calls nest " + depth + " deep ("
                    + String.join(" → ", names) + ") but maxCallDepth is " + program.maxCallDepth()
                    + "; raise it with Program.maxCallDepth");
        }
        return depth;
    }

    /** The longest chain of nested calls starting at {@code block}, or null if it can recurse. */
    private static List<Code> deepestCalls(Process p, Code block, Set<Code> onPath, Map<Code, List<Code>> memo) {
        if (onPath.contains(block)) {
            return null;
        }
        List<Code> known = memo.get(block);
        if (known != null) {
            return known;
        }
        onPath.add(block);
        List<Code> best = List.of(block);
        for (Step step : block.steps) {
            for (Alternative alt : step.alternatives) {
                if (alt.callee == null) {
                    continue;
                }
                List<Code> sub = deepestCalls(p, p.instances.get(alt.callee), onPath, memo);
                if (sub == null) {
                    return null;
                }
                if (sub.size() + 1 > best.size()) {
                    List<Code> longer = new ArrayList<>();
                    longer.add(block);
                    longer.addAll(sub);
                    best = longer;
                }
            }
        }
        onPath.remove(block);
        memo.put(block, best);
        return best;
    }

    private static void checkSources(Program program, List<Process> processes) {
        if (!program.sourcesRequired()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (Process p : processes) {
            for (Code block : p.blocks()) {
                for (Step step : block.steps) {
                    for (Alternative alt : step.alternatives) {
                        String source = alt.source != null ? alt.source : step.source;
                        if (source.isBlank()) {
                            missing.add(p.name() + ": " + block.qualify(step.label)
                                    + (alt.choice != null && step.kind == Step.Kind.EITHER ? " [" + alt.choice + "]" : ""));
                        }
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("program " + program.name()
                    + " requires a source reference on every step; missing on: " + String.join(", ", missing));
        }
    }
}
