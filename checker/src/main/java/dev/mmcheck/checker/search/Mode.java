package dev.mmcheck.checker.search;

/** How to explore. */
public enum Mode {
    /** Level-exact parallel breadth-first search: shortest counterexamples, exhaustive. */
    BFS,
    /** Depth-first search with a depth bound: deep paths, little queue memory. */
    DFS,
    /** Seeded random walks: bug hunting where exhaustion is out of reach; never says HOLDS. */
    SIMULATE
}
