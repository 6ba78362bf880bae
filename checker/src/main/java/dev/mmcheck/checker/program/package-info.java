/**
 * Programs of concurrent actors, written like PlusCal (or the C they model) and compiled into a
 * {@link dev.mmcheck.checker.model.Model}.
 *
 * <p>A {@link dev.mmcheck.checker.program.Program} has shared variables (fields of the packed
 * state vector) and {@link dev.mmcheck.checker.program.Process processes}; each process is a
 * sequence of labelled atomic steps with an optional guard ({@code await}) and an effect over
 * the state vector. Steps fall through, jump ({@code goTo}, {@code ifGoTo}), choose
 * ({@code either}/{@code or}, {@code with}), call {@link dev.mmcheck.checker.program.Procedure
 * procedures} and terminate ({@code done}). Peterson's mutual exclusion:
 *
 * <pre>{@code
 * Program prog = new Program("peterson");
 * Field turn = prog.field("turn", 0, 1);
 * FieldArray flag = prog.array("flag", 2, 0, 1);
 * List<Process> ps = prog.processes("P", 2, (p, me) -> {
 *     int other = 1 - me;
 *     p.step("set_flag", "", s -> flag.set(s, me, 1))
 *      .step("set_turn", "", s -> turn.set(s, other))
 *      .await("wait", "", s -> flag.get(s, other) == 0 || turn.get(s) == me)
 *      .step("cs", "")
 *      .step("unset_flag", "", s -> flag.set(s, me, 0)).goTo("set_flag");
 * });
 * prog.invariant("mutual exclusion", ps.get(0).at("cs").and(ps.get(1).at("cs")).negate());
 * ProgramModel model = prog.build();
 * }</pre>
 *
 * <p>A procedure shared by several callers, and a daemon (its code repeats forever):
 *
 * <pre>{@code
 * Procedure zap = prog.procedure("zap_pte_range", z -> {
 *     Field addr = z.local("addr", 0, PAGES);           // the caller's local of that name
 *     z.await("lock", "mm/memory.c:zap_pte_range", s -> ptl.get(s) == 0, s -> ptl.set(s, 1))
 *      .step("clear", "mm/memory.c:zap_pte_range", s -> pte.set(s, addr.get(s), 0))
 *      .step("unlock", "mm/memory.c:zap_pte_range", s -> ptl.set(s, 0));
 * });
 * Process t = prog.process("T0");
 * Field addr = t.local("addr", 0, PAGES);
 * t.call("unmap", "mm/mmap.c:unmap_region", zap, s -> addr.set(s, 2))
 *  .step("up_write", "mm/mmap.c:vm_munmap", s -> writer.set(s, 0));
 *
 * prog.processes("CPU", 2, (cpu, c) -> cpu.daemon()
 *     .either("hw", "")
 *         .or("walk", s -> pte.get(s, 2) != 0, s -> tlb.set(s, c, pte.get(s, 2)))
 *         .or("flush", s -> ipi.get(s, c) == 1, s -> { tlb.set(s, c, 0); ipi.set(s, c, 0); }));
 * }</pre>
 *
 * <p>Each (process, step, alternative, value) is one transition id, so a transition is
 * deterministic as the engine requires; its {@link dev.mmcheck.checker.model.Transition} carries
 * the process name, the label (with the choice: {@code "hw [walk]"}, {@code "pick [cpu=2]"})
 * and the step's source reference. {@link dev.mmcheck.checker.program.ProgramModel#pcLabel}
 * tells which step each process is at, for traces.
 *
 * <p>A {@link dev.mmcheck.checker.program.Patch} is a proposed change written as a diff against
 * the steps, each edit naming its step by a {@link dev.mmcheck.checker.program.StepRef}: replace
 * an effect or a guard, skip a step, insert steps before or after one, call another procedure.
 * {@link dev.mmcheck.checker.program.Program#apply} installs it before the code is written; the
 * edits take effect as the targeted steps are written and mark them in traces.
 *
 * <p>State added per process: {@code <name>.pc} (one value per step, plus {@code Done}),
 * its locals {@code <name>.<local>}, and when it calls procedures {@code <name>.sp} and
 * {@code <name>.ret[i]}.
 */
package dev.mmcheck.checker.program;
