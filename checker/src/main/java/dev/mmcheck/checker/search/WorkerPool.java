package dev.mmcheck.checker.search;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The threads of a parallel search: runs one task per worker and waits for all of them (a level
 * of BFS, a chunk of random walks). A task that throws stops the run as a model failure; one that
 * runs out of heap stops it INCOMPLETE (memory), so a too-small heap never ends in an
 * {@link OutOfMemoryError}. One worker runs on the calling thread, with the same outcomes.
 */
final class WorkerPool implements AutoCloseable {
    private final int workers;
    private final ExecutorService pool;

    WorkerPool(int workers, String threadName) {
        this.workers = workers;
        this.pool = workers > 1 ? Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Runs {@code task.accept(id)} for every worker id and waits until all have returned. */
    void runAll(IntConsumer task, Exploration run) {
        if (pool == null) {
            guarded(task, 0, run);
            return;
        }
        Future<?>[] futures = new Future<?>[workers];
        for (int i = 0; i < workers; i++) {
            int id = i;
            futures[i] = pool.submit(() -> guarded(task, id, run));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.stop(Limit.TIME, "interrupted");
            } catch (ExecutionException e) {
                run.fail(e.getCause());
            }
        }
    }

    /** One worker's task; whatever it throws ends the run the same way with one worker or many. */
    private static void guarded(IntConsumer task, int id, Exploration run) {
        try {
            task.accept(id);
        } catch (OutOfMemoryError e) {
            run.stop(Limit.MEMORY, Exploration.heapExhausted());
        } catch (RuntimeException | Error e) {
            run.fail(e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
