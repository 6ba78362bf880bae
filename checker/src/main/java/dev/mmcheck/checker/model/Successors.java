package dev.mmcheck.checker.model;

/**
 * The sink a model writes successors into, without allocating: {@link #begin} hands out a
 * scratch vector holding a copy of the source state, the model edits it, {@link #emit} takes it.
 * The scratch vector is only valid until the next {@code begin}.
 */
public interface Successors {
    long[] begin(long[] from);

    void emit(int transition);
}
