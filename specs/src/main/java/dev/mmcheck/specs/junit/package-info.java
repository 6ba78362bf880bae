/**
 * Checking a kernel variant from a JUnit 5 test: start from a kernel version, replace named
 * steps with a proposed change, run it on scenarios, and assert that it holds (the failure
 * message is the run summary and the counterexample as a text trace in kernel words) or that it
 * breaks a given invariant (returning the counterexample for further assertions).
 *
 * <pre>{@code
 * VariantCheck.of(KernelVersion.V4_20)
 *         .with(Feature.NESTED_FLUSH_KEEPS_FREED_TABLES)
 *         .replaceEffect(MmuGather.FINISH_NESTED, "always flush everything", ...)
 *         .on(Scenarios::parallelDontneed, Scenarios::nestedFlushWithLazyCpu)
 *         .assertHolds();
 * }</pre>
 */
package dev.mmcheck.specs.junit;

