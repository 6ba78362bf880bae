package dev.mmcheck.reports;

import dev.mmcheck.checker.trace.Trace;

/**
 * The outcome of re-executing a trace file against a model.
 *
 * @param file      what the file says
 * @param trace     the re-executed trace, or null when a step could not be taken
 * @param confirmed true when every step was enabled and the last state shows what the file
 *                  claims (the named invariant broken, or a deadlock)
 * @param message   one sentence saying what was confirmed or what went wrong
 */
public record ReplayCheck(TraceFile file, Trace trace, boolean confirmed, String message) {
}
