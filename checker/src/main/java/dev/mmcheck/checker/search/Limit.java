package dev.mmcheck.checker.search;

/** The bound that made a run {@link Verdict#INCOMPLETE}. */
public enum Limit {
    STATES("the distinct-state limit"),
    DEPTH("the depth limit"),
    TIME("the time limit"),
    MEMORY("the memory budget"),
    NOT_EXHAUSTIVE("random simulation, which samples paths and cannot prove that a property holds");

    private final String description;

    Limit(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
