package dev.mmcheck.specs.scenario;

import dev.mmcheck.checker.program.Effect;
import dev.mmcheck.checker.program.Procedure;
import dev.mmcheck.checker.program.Process;
import dev.mmcheck.checker.program.StepRef;
import dev.mmcheck.model.Kernel;
import dev.mmcheck.model.KernelParts;
import dev.mmcheck.model.faults.Migration;
import dev.mmcheck.model.faults.Userfaultfd;
import dev.mmcheck.model.gather.Reclaim;
import dev.mmcheck.model.machine.Access;
import dev.mmcheck.model.machine.Machine;
import dev.mmcheck.model.syscalls.ChangeProtection;
import dev.mmcheck.model.syscalls.Madvise;
import dev.mmcheck.model.syscalls.Mlock;
import dev.mmcheck.model.syscalls.Mremap;
import dev.mmcheck.model.syscalls.Syscalls;
import dev.mmcheck.model.syscalls.Truncate;
import dev.mmcheck.model.syscalls.UffdRegister;
import dev.mmcheck.model.syscalls.UnmapMappingRange;
import dev.mmcheck.model.versions.Feature;
import dev.mmcheck.specs.algorithms.MmapFixed;
import dev.mmcheck.specs.algorithms.Munmap;

import java.util.Objects;
import java.util.Optional;

/**
 * One operation of a thread's program: an {@link Operation} (a built-in {@link Kind} or one a
 * user wrote) on a page range, or a memory access.
 *
 * @param kind  what to do
 * @param start first page (or the accessed page; or the child thread for CLONE)
 * @param end   page after the last (unused for ACCESS and CLONE)
 * @param target the new address of MREMAP and MREMAP_DONTUNMAP (0 otherwise)
 */
public record Op(Operation kind, int start, int end, int target) {
    public Op {
        Objects.requireNonNull(kind, "operation");
    }

    public Op(Operation kind, int start, int end) {
        this(kind, start, end, 0);
    }

    /** {@code operation} on the pages {@code [start, end)}: how a scenario runs a user's operation. */
    public static Op of(Operation operation, int start, int end) {
        return new Op(operation, start, end);
    }

    /**
     * The built-in operations, written as any other {@link Operation}: each constant declares, in
     * one place, its entry source, its return-to-user check ({@link Return}), the feature and the
     * kernel parts it needs and whether it refuses page-cache pages (its constructor's arguments),
     * and its procedure with any arguments, title or further steps (its body). A new one is one
     * constant.
     */
    public enum Kind implements Operation {
        /** munmap(start, len): the variant's munmap algorithm; userfaultfd_unmap_complete; I2 at the return. */
        MUNMAP("mm/mmap.c:SYSCALL_DEFINE2(munmap)", Return.I2) {
            @Override
            public Procedure procedure(Kernel k) {
                return Munmap.procedure(k);
            }

            /** vm_munmap's userfaultfd_unmap_complete after mmap_sem is released, then I2. */
            @Override
            public void afterCall(Kernel k, Process p, int thread, Op op, String prefix) {
                callUnmapComplete(k, p, prefix, "mm/mmap.c:vm_munmap");
                super.afterCall(k, p, thread, op, prefix);
            }
        },
        /**
         * mmap(start, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) over
         * mapped VMAs, in v6.12's form (gather with splits, clear, merge or store, complete:
         * {@code MmapFixed}); I2 for the old translations at the return. Needs {@link
         * Feature#MUNMAP_GATHER_COMPLETE}: older releases' mmap_region, which munmaps first, is not
         * modelled.
         */
        MMAP_FIXED("mm/mmap.c:SYSCALL_DEFINE6(mmap_pgoff), mm/util.c:vm_mmap_pgoff", Return.I2, Feature.MUNMAP_GATHER_COMPLETE,
                KernelParts.NONE, false) {
            @Override
            public Procedure procedure(Kernel k) {
                return MmapFixed.procedure(k);
            }

            @Override
            public String title(Op op) {
                return Operation.call("mmap_fixed", op);
            }

            /** vm_mmap_pgoff's userfaultfd_unmap_complete after mmap_write_unlock, then I2. */
            @Override
            public void afterCall(Kernel k, Process p, int thread, Op op, String prefix) {
                callUnmapComplete(k, p, prefix, "mm/util.c:vm_mmap_pgoff");
                super.afterCall(k, p, thread, op, prefix);
            }

            /**
             * The model's mmap splits and merges: one MMAP_FIXED a scenario, the VMAs it overlaps
             * private anonymous (mlocked or not) or mappings of the file (shared or VM_PFNMAP), a merge on both sides only with the two parts of
             * one VMA (whose anon_vma is one), no other operation that changes VMA bounds, and a
             * VMA object free for each split and the new VMA.
             */
            @Override
            public void validate(Scenario scenario, int thread, Op op, String where) {
                super.validate(scenario, thread, op, where);
                String what = where + "T" + thread + ": MMAP_FIXED [" + Machine.addr(op.start()) + ", " + Machine.addr(op.end()) + ")";
                int below = -1;
                int above = -1;
                for (int i = 0; i < scenario.vmas().size(); i++) {
                    Scenario.VmaSpec v = scenario.vmas().get(i);
                    boolean overlaps = v.start() < op.end() && v.end() > op.start();
                    if (overlaps && v.growsDown()) {
                        throw new IllegalArgumentException(what + " must cover private anonymous VMAs (mlocked or not) or mappings"
                                + " of the file, not a stack VMA, but overlaps " + v.range());
                    }
                    // What is left of v beside the new VMA, or v itself when it ends at addr or
                    // starts at end: vma_merge_new_range expands a plain one over the range.
                    boolean plain = !v.locked() && !v.growsDown() && !scenario.isSharedFile(i) && !scenario.isPfnmap(i)
                            && !scenario.isUffdRegistered(i);
                    below = plain && v.start() < op.start() && v.end() >= op.start() ? i : below;
                    above = plain && v.end() > op.end() && v.start() <= op.end() ? i : above;
                }
                if (below >= 0 && above >= 0 && below != above) {
                    throw new IllegalArgumentException(what + " would merge with both " + scenario.vmas().get(below).range() + " and "
                            + scenario.vmas().get(above).range() + ": whether two VMAs' anon_vmas are compatible"
                            + " (are_anon_vmas_compatible) is not modelled; leave a gap beside one of them, or mlock it");
                }
                int mmaps = 0;
                int splits = 0;
                for (int t = 0; t < scenario.config().threads(); t++) {
                    for (Op o : scenario.program(t)) {
                        if (o.kind() == MMAP_FIXED) {
                            mmaps++;
                            for (Scenario.VmaSpec v : scenario.vmas()) { // the VMAs holding its start and end split
                                splits += (v.start() < o.start() && v.end() > o.start() ? 1 : 0)
                                        + (v.start() < o.end() && v.end() > o.end() ? 1 : 0);
                            }
                        } else if (o.kind() != ACCESS && o.kind() != RECLAIM && o.kind() != TRUNCATE && o.kind() != UNMAP_MAPPING_RANGE) {
                            // Other operations change VMA bounds, which the model's mmap does not
                            // handle; MADV_DONTNEED's I2 at its return cannot tell a translation
                            // made after its zap (which mmap then clears) from one it left.
                            throw new IllegalArgumentException(what + ": the model's mmap runs beside ACCESS, RECLAIM,"
                                    + " TRUNCATE and UNMAP_MAPPING_RANGE only, but T" + t + " runs " + o.kind());
                        }
                    }
                }
                if (mmaps > 1) {
                    // A second mmap would meet VMAs the first one made, whose anon_vmas may differ:
                    // a merge on both sides the model cannot decide (are_anon_vmas_compatible).
                    throw new IllegalArgumentException(what + ": the model runs one MMAP_FIXED in a scenario, but it has " + mmaps);
                }
                if (scenario.vmas().size() + splits + 1 > scenario.config().vmaSlots()) {
                    throw new IllegalArgumentException(what + ": " + scenario.vmas().size() + " VMAs, " + splits + " split(s) and"
                            + " the new VMA need more than the machine's " + scenario.config().vmaSlots() + " VMA slots");
                }
            }
        },
        /** madvise(start, len, MADV_DONTNEED); I2 at the return. */
        MADV_DONTNEED("mm/madvise.c:SYSCALL_DEFINE3(madvise)", Return.I2) {
            @Override
            public Procedure procedure(Kernel k) {
                return Madvise.dontneed(k);
            }

            @Override
            public String title(Op op) {
                return Operation.call("madvise_dontneed", op);
            }
        },
        /** mlock(start, len). */
        MLOCK("mm/mlock.c:SYSCALL_DEFINE2(mlock)") {
            @Override
            public Procedure procedure(Kernel k) {
                return Mlock.mlock(k);
            }
        },
        /** munlock(start, len). */
        MUNLOCK("mm/mlock.c:SYSCALL_DEFINE2(munlock)") {
            @Override
            public Procedure procedure(Kernel k) {
                return Mlock.munlock(k);
            }
        },
        /** A user store to the page: through the TLB, else a page walk, else a page fault. */
        ACCESS("user store (arch/x86/mm/fault.c on a miss)") {
            @Override
            public Procedure procedure(Kernel k) {
                return Access.procedure(k);
            }

            @Override
            public String title(Op op) {
                return "store to " + Machine.addr(op.start());
            }
        },
        /** clone(CLONE_VM): start thread {@code start} (which waits until then); one step of the cloning thread. */
        CLONE("kernel/fork.c:_do_fork") {
            @Override
            public Procedure procedure(Kernel k) {
                throw new IllegalStateException("operation CLONE has no procedure; ScenarioModel runs it inline");
            }

            @Override
            public String title(Op op) {
                return "clone T" + op.start();
            }
        },
        /** mremap(start, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, target) of one whole VMA into a hole. */
        MREMAP("mm/mremap.c:SYSCALL_DEFINE5(mremap)", Return.I2, null, KernelParts.NONE.withMoves(), true) {
            @Override
            public Procedure procedure(Kernel k) {
                return mremapProcedure(k);
            }

            @Override
            public Effect arguments(Kernel k, Process p, Op op) {
                return mremapArguments(k, p, op, 0);
            }

            @Override
            public String title(Op op) {
                return mremapTitle(op, "");
            }
        },
        /** The same with MREMAP_DONTUNMAP: needs {@link Feature#MREMAP_DONTUNMAP}. */
        MREMAP_DONTUNMAP("mm/mremap.c:SYSCALL_DEFINE5(mremap)", Return.I2, Feature.MREMAP_DONTUNMAP, KernelParts.NONE.withMoves(), true) {
            @Override
            public Procedure procedure(Kernel k) {
                return mremapProcedure(k);
            }

            @Override
            public Effect arguments(Kernel k, Process p, Op op) {
                return mremapArguments(k, p, op, 1);
            }

            @Override
            public String title(Op op) {
                return mremapTitle(op, ", MREMAP_DONTUNMAP");
            }
        },
        /** A driver's unmap_mapping_range over its whole device file, then reuse of its pfns (start/end unused). */
        UNMAP_MAPPING_RANGE("mm/memory.c:unmap_mapping_range", Return.NONE, null, KernelParts.NONE.withFiles(), false) {
            @Override
            public Procedure procedure(Kernel k) {
                return UnmapMappingRange.procedure(k);
            }

            @Override
            public String title(Op op) {
                return "unmap_mapping_range(device file), reuse its pfns";
            }
        },
        /** mprotect(start, len, PROT_READ); I2 for permissions at the return. */
        MPROTECT_READ("mm/mprotect.c:SYSCALL_DEFINE3(mprotect)", Return.I2_READ_ONLY) {
            @Override
            public Procedure procedure(Kernel k) {
                return ChangeProtection.mprotectRead(k);
            }
        },
        /** task_numa_work: change_prot_numa(start, len) makes the PTEs PROT_NONE. */
        NUMA_SCAN("kernel/sched/fair.c:task_numa_work") {
            @Override
            public Procedure procedure(Kernel k) {
                return ChangeProtection.changeProtNuma(k);
            }
        },
        /** Reclaim of the page mapped at {@code start}, with the deferred (batched) TLB flush. */
        RECLAIM("mm/vmscan.c:shrink_page_list", Return.NONE, null, KernelParts.NONE, true) {
            @Override
            public Procedure procedure(Kernel k) {
                return Reclaim.procedure(k);
            }

            @Override
            public String title(Op op) {
                return "reclaim " + Machine.addr(op.start());
            }
        },
        /** Migration of the page mapped at {@code start} to a new frame (NUMA balancing, compaction). */
        MIGRATE("mm/migrate.c:migrate_pages", Return.NONE, null, KernelParts.NONE, true) {
            @Override
            public Procedure procedure(Kernel k) {
                return Migration.procedure(k);
            }

            @Override
            public String title(Op op) {
                return "migrate " + Machine.addr(op.start());
            }
        },
        /** truncate(file, start pages) of the regular file that shared file VMAs map (end unused). */
        TRUNCATE("fs/open.c:do_sys_truncate, do_truncate", Return.NONE, null, KernelParts.NONE.withPageCache(), false) {
            @Override
            public Procedure procedure(Kernel k) {
                return Truncate.procedure(k);
            }

            @Override
            public String title(Op op) {
                return "truncate(file, " + Machine.addr(op.start()) + ")";
            }

            /** The model only shrinks the file. */
            @Override
            public void validate(Scenario scenario, int thread, Op op, String where) {
                int size = ScenarioModel.fileSize(scenario);
                if (op.start() >= size) {
                    throw new IllegalArgumentException(where + "T" + thread + " truncates the file to "
                            + Machine.addr(op.start()) + ", which is not below its size " + Machine.addr(size)
                            + " (the model only shrinks files; a file needs a fileVma)");
                }
            }
        },
        /** ioctl(uffd, UFFDIO_REGISTER) of [start, end) in missing mode (needs the scenario's userfaultfd monitor). */
        UFFD_REGISTER("fs/userfaultfd.c:userfaultfd_ioctl") {
            @Override
            public Procedure procedure(Kernel k) {
                return UffdRegister.procedure(k);
            }

            @Override
            public String title(Op op) {
                return Operation.call("UFFDIO_REGISTER", op);
            }

            @Override
            public void validate(Scenario scenario, int thread, Op op, String where) {
                if (!scenario.hasUserfaultfd()) {
                    throw new IllegalArgumentException(where + "T" + thread + ": UFFD_REGISTER [" + op.start() + ", " + op.end()
                            + ") needs a userfaultfd, but the scenario declares no monitor (uffdMonitor)");
                }
            }
        };

        /** The check a thread makes on its way back to user space after the operation. */
        enum Return {
            /** None: the operation leaves no translation it must have removed. */
            NONE,
            /** I2: no CPU keeps a translation of the range that differs from its PTE. */
            I2,
            /** I2 for permissions: no CPU keeps a writable translation of the range. */
            I2_READ_ONLY
        }

        private final String entrySource;
        private final Return ret;
        private final Feature needs;
        private final KernelParts parts;
        private final boolean anonymousOnly;

        Kind(String entrySource) {
            this(entrySource, Return.NONE);
        }

        Kind(String entrySource, Return ret) {
            this(entrySource, ret, null, KernelParts.NONE, false);
        }

        /**
         * @param needs         the feature without which the kernel has no such operation, or null
         * @param parts         the kernel parts its procedure needs
         * @param anonymousOnly the model does not do it to a page of the page-cache file
         */
        Kind(String entrySource, Return ret, Feature needs, KernelParts parts, boolean anonymousOnly) {
            this.entrySource = entrySource;
            this.ret = ret;
            this.needs = needs;
            this.parts = parts;
            this.anonymousOnly = anonymousOnly;
        }

        @Override
        public String entrySource() {
            return entrySource;
        }

        /** The feature without which the kernel has no such operation (the flag is -EINVAL), if any. */
        @Override
        public Optional<Feature> needs() {
            return Optional.ofNullable(needs);
        }

        @Override
        public KernelParts parts() {
            return parts;
        }

        /** The return-to-user check ({@link Return}), labelled {@code "<n>: return to user"}. */
        @Override
        public void afterCall(Kernel k, Process p, int thread, Op op, String prefix) {
            if (ret == Return.I2) {
                Syscalls.returnToUser(k, p, thread, prefix + "return to user");
            } else if (ret == Return.I2_READ_ONLY) {
                Syscalls.returnToUserReadOnly(k, p, thread, prefix + "return to user");
            }
        }

        /** The page-cache file's pages are not reclaimed, migrated or moved in the model. */
        @Override
        public void validate(Scenario scenario, int thread, Op op, String where) {
            if (anonymousOnly && scenario.usesPageCache() && ScenarioModel.fileCovered(scenario, op.start())) {
                throw new IllegalArgumentException(where + "T" + thread + ": " + op.kind() + " of the page-cache file"
                        + " mapping at " + Machine.addr(op.start()) + " is not modelled");
            }
        }

        @Override
        public String title(Op op) {
            return Operation.call(name().toLowerCase(), op);
        }

        /** The one mremap procedure of a model, shared by MREMAP and MREMAP_DONTUNMAP. */
        private static Procedure mremapProcedure(Kernel k) {
            return k.shared(MremapProcedure.class, k2 -> new MremapProcedure(Mremap.procedure(k2))).procedure();
        }

        /** {@code "mremap(0x0, 1 page -> 0x2000)"}, with {@code flag} before the parenthesis. */
        private static String mremapTitle(Op op, String flag) {
            int pages = op.end() - op.start();
            return "mremap(" + Machine.addr(op.start()) + ", " + pages + (pages == 1 ? " page" : " pages")
                    + " -> " + Machine.addr(op.target()) + flag + ")";
        }

        /** mremap's new address and flags, as locals of the thread. */
        private static Effect mremapArguments(Kernel k, Process p, Op op, int dontunmap) {
            Mremap.Locals r = Mremap.Locals.of(p, k);
            return s -> {
                r.newAddr.set(s, op.target());
                r.dontunmap.set(s, dontunmap);
            };
        }
    }

    /**
     * The call of userfaultfd_unmap_complete after a munmap operation in a model with a
     * userfaultfd, a step of the thread's own code; {@code prefix} is the operation's number and
     * colon, as in its own step ({@code "1: "} for a thread's first operation).
     */
    public static StepRef unmapComplete(String prefix) {
        return StepRef.step(prefix + "userfaultfd_unmap_complete");
    }

    /**
     * With a userfaultfd, the caller's ({@code caller}, a source reference) userfaultfd_unmap_complete,
     * which delivers the UNMAP events its operation prepped, after the mmap lock is released.
     */
    private static void callUnmapComplete(Kernel k, Process p, String prefix, String caller) {
        Userfaultfd uffd = k.userfaultfd;
        if (uffd.present()) {
            p.call(unmapComplete(prefix).label(), k.src(caller + ", fs/userfaultfd.c:userfaultfd_unmap_complete"), uffd.eventWait);
        }
    }

    /** The one mremap procedure of a model, shared by MREMAP and MREMAP_DONTUNMAP. */
    private record MremapProcedure(Procedure procedure) {
    }

    public static Op munmap(int start, int end) { return new Op(Kind.MUNMAP, start, end); }
    /** mmap(MAP_FIXED) of a fresh anonymous mapping over the whole VMAs in [start, end). */
    public static Op mmapFixed(int start, int end) { return new Op(Kind.MMAP_FIXED, start, end); }
    public static Op madviseDontneed(int start, int end) { return new Op(Kind.MADV_DONTNEED, start, end); }
    public static Op mlock(int start, int end) { return new Op(Kind.MLOCK, start, end); }
    public static Op munlock(int start, int end) { return new Op(Kind.MUNLOCK, start, end); }
    public static Op access(int page) { return new Op(Kind.ACCESS, page, page + 1); }
    public static Op clone(int thread) { return new Op(Kind.CLONE, thread, thread); }
    public static Op mremap(int start, int end, int target) { return new Op(Kind.MREMAP, start, end, target); }
    public static Op mremapDontunmap(int start, int end, int target) { return new Op(Kind.MREMAP_DONTUNMAP, start, end, target); }
    public static Op unmapMappingRange() { return new Op(Kind.UNMAP_MAPPING_RANGE, 0, 1); }
    public static Op mprotectRead(int start, int end) { return new Op(Kind.MPROTECT_READ, start, end); }
    public static Op numaScan(int start, int end) { return new Op(Kind.NUMA_SCAN, start, end); }
    public static Op reclaim(int page) { return new Op(Kind.RECLAIM, page, page + 1); }
    public static Op migrate(int page) { return new Op(Kind.MIGRATE, page, page + 1); }
    /** truncate the mapped regular file to {@code newSize} pages (smaller than its size). */
    public static Op truncate(int newSize) { return new Op(Kind.TRUNCATE, newSize, newSize + 1); }
    public static Op uffdRegister(int start, int end) { return new Op(Kind.UFFD_REGISTER, start, end); }

    /**
     * The step label of this operation: {@code "munmap(0x2000, 2 pages)"}, {@code "store to
     * 0x1000"}, {@code "clone T1"}.
     */
    public String title() {
        return kind.title(this);
    }
}
