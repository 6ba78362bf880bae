package dev.mmcheck.reports.kernel;

import dev.mmcheck.checker.model.Actor;
import dev.mmcheck.checker.model.Transition;
import dev.mmcheck.checker.program.ProgramModel;
import dev.mmcheck.checker.state.Field;
import dev.mmcheck.checker.state.FieldArray;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.machine.MachineConfig;
import dev.mmcheck.model.mm.Mm;
import dev.mmcheck.model.mm.PageCache;
import dev.mmcheck.reports.GenericStateView;
import dev.mmcheck.reports.StateView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Kernel words for a kernel model's states: {@code PTE 0x3000: frame 2 -> none},
 * {@code CPU1 TLB +0x3000 -> frame 2}, {@code mmap_sem: write(T0) -> read(T0)}, the VMA tree
 * next to the VMA list, the page tables and every CPU's TLB. One column per CPU: a thread and
 * the hardware of the CPU it runs on share it. Fields it does not know (thread locals, program
 * counters) are left to a {@link GenericStateView}.
 */
public final class KernelView implements StateView {
    private final Kernel k;
    private final Machine m;
    private final Mm mm;
    private final MachineConfig cfg;
    private final GenericStateView generic;
    private final Set<String> kernelFields = new HashSet<>();

    public KernelView(ProgramModel model, Kernel kernel) {
        this.k = kernel;
        this.m = kernel.machine;
        this.mm = kernel.mm;
        this.cfg = kernel.config;
        this.generic = new GenericStateView(model);
        // The VMA set's fields of the release: list and vmacache up to v5.19, the side tree from v6.1.
        for (FieldArray a : Arrays.asList(m.frameKind, m.frameOwner, m.pmd, m.pte, m.ptl, m.loaded, m.lazy, m.inCpumask,
                m.irqsDisabled, m.ipiPages, m.tlb, m.psc, mm.vmaStart, mm.vmaEnd, mm.vmaLocked,
                mm.vmaGrowsDown, mm.vmaAllocated, mm.vmaInTree, mm.vmaNext, mm.vmaInSideTree, mm.vmacache, mm.vmacacheTaskSeq)) {
            for (int i = 0; a != null && i < a.length(); i++) {
                kernelFields.add(a.element(i).name());
            }
        }
        for (Field f : Arrays.asList(mm.semWriter, mm.semReaders, mm.semWritersWaiting, mm.listHead,
                mm.mapCount, mm.lockedVm, mm.tlbFlushPending, mm.vmacacheSeqnum, mm.mmUsers)) {
            if (f != null) {
                kernelFields.add(f.name());
            }
        }
        PageCache pc = kernel.pageCache;
        if (pc.present()) {
            for (FieldArray a : List.of(pc.cache, pc.pageLocked)) {
                for (int i = 0; i < a.length(); i++) {
                    kernelFields.add(a.element(i).name());
                }
            }
            kernelFields.add(pc.iSize.name());
        }
    }

    @Override
    public String actorColumn(Transition t) {
        Actor actor = t.actor();
        // Thread t runs on CPU t: its steps and its CPU's hardware steps share a lane.
        if ((actor.is("T") || actor.is("CPU")) && actor.index() != Actor.ONLY) {
            return lane(actor.index());
        }
        return actor.toString();
    }

    /** CPU {@code c}'s lane: {@code CPU0 (T0)} where thread c runs, else {@code CPU2}. */
    private String lane(int c) {
        return c < cfg.threads() ? "CPU" + c + " (T" + c + ")" : "CPU" + c;
    }

    /** Every CPU of the machine, whether or not it takes a step. */
    @Override
    public List<String> lanes() {
        List<String> lanes = new ArrayList<>();
        for (int c = 0; c < cfg.cpus(); c++) {
            lanes.add(lane(c));
        }
        return lanes;
    }

    @Override
    public String laneState(String lane, long[] state) {
        int c = lanes().indexOf(lane);
        return c < 0 ? "" : cpuMode(state, c) + "  " + cpuLine(state, c);
    }

    @Override
    public List<String> laneChanges(String lane, long[] before, long[] after) {
        int c = lanes().indexOf(lane);
        List<String> out = new ArrayList<>();
        if (c >= 0) {
            cpuChanges(out, c, before, after);
        }
        return out;
    }

    @Override
    public boolean interesting(int stepIndex, long[] before, long[] after) {
        for (int t = 0; t < cfg.tables(); t++) {
            if (m.pmd.get(before, t) != m.pmd.get(after, t)) {
                return true;
            }
        }
        return !vmas(before).equals(vmas(after)) || !list(before).equals(list(after));
    }

    @Override
    public List<String> changes(long[] b, long[] a) {
        List<String> out = new ArrayList<>();
        if (!sem(b).equals(sem(a))) {
            out.add("mmap_sem: " + sem(b) + " -> " + sem(a));
        }
        for (int v = 0; v < cfg.vmaSlots(); v++) {
            String was = vma(b, v);
            String now = vma(a, v);
            if (!was.equals(now)) {
                out.add("VMA " + v + ": " + was + " -> " + now);
            }
        }
        if (!list(b).equals(list(a))) {
            out.add((mm.maple() ? "munmap's side tree: " : "VMA list: ") + list(b) + " -> " + list(a));
        }
        num(out, "map_count", mm.mapCount, b, a);
        num(out, "locked_vm", mm.lockedVm, b, a);
        num(out, "tlb_flush_pending", mm.tlbFlushPending, b, a);
        num(out, "mm_users", mm.mmUsers, b, a);
        if (mm.hasVmacache() && !mm.u64Seqnum()) {
            num(out, "vmacache_seqnum", mm.vmacacheSeqnum, b, a);
        }
        for (int t = 0; mm.hasVmacache() && t < cfg.threads(); t++) {
            String was = vmacache(b, t);
            String now = vmacache(a, t);
            if (!was.equals(now)) {
                out.add("T" + t + " vmacache: " + was + " -> " + now);
            }
        }
        for (int t = 0; t < cfg.tables(); t++) {
            if (m.pmd.get(b, t) != m.pmd.get(a, t)) {
                out.add("PMD " + Machine.addr(t * cfg.pagesPerTable()) + ": " + table(m.pmd.get(b, t)) + " -> " + table(m.pmd.get(a, t)));
            }
            if (m.ptl.get(b, t) != m.ptl.get(a, t)) {
                out.add("PTL " + Machine.addr(t * cfg.pagesPerTable()) + ": " + holder(m.ptl.get(b, t)) + " -> " + holder(m.ptl.get(a, t)));
            }
        }
        for (int p = 0; p < cfg.pages(); p++) {
            if (m.pte.get(b, p) != m.pte.get(a, p)) {
                out.add("PTE " + Machine.addr(p) + ": " + frame(m.pte.get(b, p)) + " -> " + frame(m.pte.get(a, p)));
            }
        }
        for (int f = 0; f < cfg.frames(); f++) {
            String was = frameUse(b, f);
            String now = frameUse(a, f);
            if (!was.equals(now)) {
                out.add("frame " + f + ": " + was + " -> " + now);
            }
        }
        PageCache pc = k.pageCache;
        if (pc.present()) {
            if (pc.iSize.get(b) != pc.iSize.get(a)) {
                out.add("i_size: " + Machine.addr(pc.iSize.get(b)) + " -> " + Machine.addr(pc.iSize.get(a)));
            }
            for (int i = 0; i < cfg.pages(); i++) {
                if (pc.cache.get(b, i) != pc.cache.get(a, i)) {
                    out.add("page cache index " + i + ": " + frame(pc.cache.get(b, i)) + " -> " + frame(pc.cache.get(a, i)));
                }
            }
            for (int f = 0; f < cfg.frames(); f++) {
                if (pc.pageLocked.get(b, f) != pc.pageLocked.get(a, f)) {
                    out.add("page lock of frame " + f + ": " + holder(pc.pageLocked.get(b, f)) + " -> "
                            + holder(pc.pageLocked.get(a, f)));
                }
            }
        }
        for (int c = 0; c < cfg.cpus(); c++) {
            cpuChanges(out, c, b, a);
        }
        for (String line : generic.changes(b, a)) {
            String name = line.substring(0, line.indexOf(':'));
            // The step's label already says where the thread went; its pc and return stack are noise.
            if (!isKernelField(name) && !name.endsWith(".pc") && !name.endsWith(".sp") && !name.contains(".ret[")) {
                out.add(line);
            }
        }
        return out;
    }

    /** A set of pages (a bit per page) as addresses: "0x0, 0x1000", or "every page". */
    private String pages(int set) {
        if (set == m.allPages()) {
            return "every page";
        }
        StringBuilder sb = new StringBuilder();
        for (int p = 0; set >> p != 0; p++) {
            if ((set >> p & 1) == 1) {
                sb.append(sb.length() == 0 ? "" : ", ").append(Machine.addr(p));
            }
        }
        return sb.toString();
    }

    private void cpuChanges(List<String> out, int c, long[] b, long[] a) {
        String cpu = "CPU" + c;
        if (!cpuMode(b, c).equals(cpuMode(a, c))) {
            out.add(cpu + ": " + cpuMode(b, c) + " -> " + cpuMode(a, c));
        }
        if (m.inCpumask.get(b, c) != m.inCpumask.get(a, c)) {
            out.add(cpu + (m.inCpumask.get(a, c) == 1 ? " joins" : " leaves") + " mm_cpumask");
        }
        if (m.ipiPages.get(b, c) != m.ipiPages.get(a, c)) {
            out.add(cpu + (m.ipiPending(a, c) ? " flush IPI pending for " + pages(m.ipiPages.get(a, c)) : " handled the flush IPI"));
        }
        if (m.irqsDisabled.get(b, c) != m.irqsDisabled.get(a, c)) {
            out.add(cpu + " interrupts " + (m.irqsDisabled.get(a, c) == 1 ? "disabled" : "enabled"));
        }
        for (int p = 0; p < cfg.pages(); p++) {
            int was = m.tlb(b, c, p);
            int now = m.tlb(a, c, p);
            if (was != now) {
                out.add(cpu + " TLB " + (now == Machine.NONE ? "-" + Machine.addr(p) + " (was " + frame(was) + ")"
                        : "+" + Machine.addr(p) + " -> " + frame(now)));
            }
        }
        for (int t = 0; t < cfg.tables(); t++) {
            int was = m.psc(b, c, t);
            int now = m.psc(a, c, t);
            if (was != now) {
                out.add(cpu + " PDE cache " + (now == Machine.NONE ? "-" + Machine.addr(t * cfg.pagesPerTable())
                        : "+" + Machine.addr(t * cfg.pagesPerTable()) + " -> " + table(now)));
            }
        }
    }

    @Override
    public String picture(long[] s) {
        List<String> lines = new ArrayList<>();
        lines.add((mm.maple() ? "maple tree: " : "VMA tree:  ") + (vmas(s).isEmpty() ? "(empty)" : vmas(s)));
        lines.add((mm.maple() ? "side tree: " : "VMA list:  ") + list(s) + "   map_count " + mm.mapCount.get(s) + ", locked_vm " + mm.lockedVm.get(s)
                + ", mmap_sem " + sem(s) + ", tlb_flush_pending " + mm.tlbFlushPending.get(s));
        for (int t = 0; t < cfg.tables(); t++) {
            StringBuilder sb = new StringBuilder("PMD " + Machine.addr(t * cfg.pagesPerTable()) + ": " + table(m.pmd.get(s, t)));
            if (m.pmd.get(s, t) != Machine.NONE) {
                sb.append("  PTEs:");
                for (int p = t * cfg.pagesPerTable(); p < (t + 1) * cfg.pagesPerTable(); p++) {
                    sb.append(' ').append(Machine.addr(p)).append("->").append(frame(m.pte.get(s, p)));
                }
            }
            lines.add(sb.toString());
        }
        for (int c = 0; c < cfg.cpus(); c++) {
            lines.add(String.format("CPU%d %-8s %s", c, cpuMode(s, c), cpuLine(s, c)));
        }
        StringBuilder frames = new StringBuilder("frames:");
        for (int f = 0; f < cfg.frames(); f++) {
            frames.append("  ").append(f).append(' ').append(frameUse(s, f));
        }
        lines.add(frames.toString());
        PageCache pc = k.pageCache;
        if (pc.present()) {
            StringBuilder file = new StringBuilder("file:    i_size " + Machine.addr(pc.iSize.get(s)) + ", page cache:");
            int n = 0;
            for (int i = 0; i < cfg.pages(); i++) {
                if (pc.cache.get(s, i) != Machine.NONE) {
                    int f = pc.cache.get(s, i) - 1;
                    file.append(' ').append(i).append("->frame ").append(f)
                            .append(pc.pageLocked.get(s, f) != 0 ? " (locked by T" + (pc.pageLocked.get(s, f) - 1) + ")" : "");
                    n++;
                }
            }
            lines.add(n == 0 ? file.append(" (empty)").toString() : file.toString());
        }
        return String.join("\n", lines);
    }

    /** {@code TLB: 0x0000->frame 1  PDE cache: 0x0000->table frame 0}. */
    private String cpuLine(long[] s, int c) {
        StringBuilder sb = new StringBuilder("TLB:");
        int n = 0;
        for (int p = 0; p < cfg.pages(); p++) {
            if (m.tlb(s, c, p) != Machine.NONE) {
                sb.append(' ').append(Machine.addr(p)).append("->").append(frame(m.tlb(s, c, p)));
                n++;
            }
        }
        if (n == 0) {
            sb.append(" (empty)");
        }
        sb.append("  PDE cache:");
        n = 0;
        for (int t = 0; t < cfg.tables(); t++) {
            if (m.psc(s, c, t) != Machine.NONE) {
                sb.append(' ').append(Machine.addr(t * cfg.pagesPerTable())).append("->").append(table(m.psc(s, c, t)));
                n++;
            }
        }
        if (n == 0) {
            sb.append(" (empty)");
        }
        return sb.toString();
    }

    private boolean isKernelField(String name) {
        return kernelFields.contains(name) || name.startsWith("ghost.") || name.startsWith("task.started");
    }

    private static void num(List<String> out, String name, Field f, long[] b, long[] a) {
        if (f.get(b) != f.get(a)) {
            out.add(name + ": " + f.get(b) + " -> " + f.get(a));
        }
    }

    private String sem(long[] s) {
        int w = mm.semWriter.get(s);
        int r = mm.semReaders.get(s);
        String base = w != 0 ? "write(T" + (w - 1) + ")" : r > 0 ? "read x" + r : "free";
        int q = mm.semWritersWaiting.get(s);
        return q > 0 ? base + ", " + q + " writer(s) waiting" : base;
    }

    /** The VMAs in the tree, sorted: "#0 [0x0000, 0x2000) locked". */
    private String vmas(long[] s) {
        List<int[]> in = new ArrayList<>();
        for (int v = 0; v < cfg.vmaSlots(); v++) {
            if (mm.vmaInTree.get(s, v) == 1) {
                in.add(new int[] {mm.vmaStart.get(s, v), v});
            }
        }
        in.sort((x, y) -> Integer.compare(x[0], y[0]));
        List<String> parts = new ArrayList<>();
        for (int[] e : in) {
            parts.add("#" + e[1] + " " + range(s, e[1]) + flags(s, e[1]));
        }
        return String.join("  ", parts);
    }

    /** The VMA list (to v5.19), or on the maple tree the VMAs of munmap's side tree. */
    private String list(long[] s) {
        StringBuilder sb = new StringBuilder();
        if (mm.maple()) {
            for (int v = 0; v < cfg.vmaSlots(); v++) {
                if (mm.vmaInSideTree.get(s, v) == 1) {
                    sb.append(sb.length() == 0 ? "" : " ").append('#').append(v);
                }
            }
            return sb.length() == 0 ? "(empty)" : sb.toString();
        }
        int steps = 0;
        for (int v = mm.listHead.get(s); v != Mm.NONE && steps++ <= cfg.vmaSlots(); v = mm.vmNext(s, v)) {
            sb.append(sb.length() == 0 ? "" : " -> ").append('#').append(v - 1);
        }
        return sb.length() == 0 ? "(empty)" : sb.toString();
    }

    private String vma(long[] s, int v) {
        if (mm.vmaAllocated.get(s, v) == 0) {
            return "free";
        }
        return range(s, v) + flags(s, v) + (mm.vmaInTree.get(s, v) == 1 ? "" : " detached");
    }

    private String range(long[] s, int v) {
        return "[" + Machine.addr(mm.vmaStart.get(s, v)) + ", " + Machine.addr(mm.vmaEnd.get(s, v)) + ")";
    }

    private String flags(long[] s, int v) {
        return (mm.vmaLocked.get(s, v) == 1 ? " locked" : "") + (mm.vmaGrowsDown.get(s, v) == 1 ? " growsdown" : "");
    }

    private String vmacache(long[] s, int t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Mm.VMACACHE_SIZE; i++) {
            int v = mm.cached(s, t, i);
            sb.append(i == 0 ? "[" : " ").append(v == Mm.NONE ? "-" : "#" + (v - 1));
        }
        return sb.append("] ").append(mm.vmacacheCurrent(s, t) ? "current" : "stale").toString();
    }

    private String cpuMode(long[] s, int c) {
        if (m.loaded.get(s, c) == Machine.INIT_MM) {
            return "init_mm";
        }
        return m.lazy.get(s, c) == 1 ? "lazy" : "mm";
    }

    private String frameUse(long[] s, int f) {
        switch (m.frameKind.get(s, f)) {
            case Machine.FREE: return "free";
            case Machine.ANON: return "page " + Machine.addr(m.frameOwner.get(s, f));
            case Machine.PFN: return "device page";
            case Machine.FILE: return "page cache, file index " + m.frameOwner.get(s, f);
            default: return "page table " + Machine.addr(m.frameOwner.get(s, f) * cfg.pagesPerTable());
        }
    }

    private static String frame(int ptr) {
        return ptr == Machine.NONE ? "none" : "frame " + (ptr - 1);
    }

    private static String table(int ptr) {
        return ptr == Machine.NONE ? "none" : "table frame " + (ptr - 1);
    }

    private static String holder(int h) {
        return h == 0 ? "free" : "T" + (h - 1);
    }
}
