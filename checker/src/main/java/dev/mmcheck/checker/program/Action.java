package dev.mmcheck.checker.program;

import dev.mmcheck.checker.model.Successors;
import dev.mmcheck.checker.state.Field;

/**
 * One linked alternative of a step at one pc of one process: everything resolved to fields and
 * ints, so firing it touches no map and allocates nothing. Immutable, hence safe to fire from
 * several threads at once.
 */
final class Action {
    /** A jump target meaning "pop the return stack". */
    static final int RETURN = -1;

    private final int lo;
    private final int hi;
    private final ChoiceGuard guard;
    private final ChoiceEffect effect;
    private final Guard[] jumpIf;
    private final int[] jumpTo;
    private final int next;
    /** The callee's first pc, or -1 when this is not a call. */
    private final int callEntry;
    private final Field pc;
    private final Field sp;
    private final Field[] stack;
    /** The id of value {@code lo}; value {@code v} has id {@code firstId + v - lo}. */
    private final int firstId;
    /** "actor: label" per value, for error messages. */
    private final String[] titles;

    Action(int lo, int hi, ChoiceGuard guard, ChoiceEffect effect, Guard[] jumpIf, int[] jumpTo, int next,
           int callEntry, Field pc, Field sp, Field[] stack, int firstId, String[] titles) {
        this.lo = lo;
        this.hi = hi;
        this.guard = guard;
        this.effect = effect;
        this.jumpIf = jumpIf;
        this.jumpTo = jumpTo;
        this.next = next;
        this.callEntry = callEntry;
        this.pc = pc;
        this.sp = sp;
        this.stack = stack;
        this.firstId = firstId;
        this.titles = titles;
    }

    /** Emits one successor per enabled value. */
    void fire(long[] state, Successors out) {
        for (int v = lo; v <= hi; v++) {
            if (enabled(state, v)) {
                long[] t = out.begin(state);
                run(t, v);
                out.emit(firstId + v - lo);
            }
        }
    }

    private boolean enabled(long[] state, int v) {
        if (guard == null) {
            return true;
        }
        try {
            return guard.test(state, v);
        } catch (RuntimeException e) {
            throw failure(v, "guard", e);
        }
    }

    private void run(long[] t, int v) {
        try {
            if (effect != null) {
                effect.apply(t, v);
            }
            pc.set(t, target(t));
        } catch (RuntimeException e) {
            throw failure(v, "effect", e);
        }
    }

    /** Where the process goes after the effect; pushes or pops the return stack as needed. */
    private int target(long[] t) {
        for (int i = 0; i < jumpIf.length; i++) {
            if (jumpIf[i].test(t)) {
                return jumpTo[i] == RETURN ? pop(t) : jumpTo[i];
            }
        }
        if (callEntry >= 0) {
            push(t, next);
            return callEntry;
        }
        return next == RETURN ? pop(t) : next;
    }

    private void push(long[] t, int returnPc) {
        int depth = sp.get(t);
        if (depth == stack.length) {
            throw new IllegalStateException("return stack overflow: calls nest deeper than maxCallDepth "
                    + stack.length + " (a recursion the program does not bound)");
        }
        stack[depth].set(t, returnPc);
        sp.set(t, depth + 1);
    }

    private int pop(long[] t) {
        int depth = sp.get(t) - 1;
        if (depth < 0) {
            throw new IllegalStateException("return with an empty return stack");
        }
        int returnPc = stack[depth].get(t);
        stack[depth].set(t, 0); // keep free slots zero, so equal stacks mean equal states
        sp.set(t, depth);
        return returnPc;
    }

    private IllegalStateException failure(int v, String part, RuntimeException cause) {
        return new IllegalStateException("model error in " + part + " of " + titles[v - lo] + ": "
                + cause.getMessage(), cause);
    }
}
