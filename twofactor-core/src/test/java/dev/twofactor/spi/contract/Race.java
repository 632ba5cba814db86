package dev.twofactor.spi.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs tasks on their own threads, all released at the same moment by a barrier, so that they really overlap in the
 * store. The pool is bounded (one thread per task) and shut down afterwards; a generous time-out only guards against
 * a store that deadlocks.
 */
final class Race {

    /**
     * How many times each race is run. A read-then-write store loses a race only when two threads interleave in a
     * window of microseconds; repeating the race makes missing such a bug very unlikely.
     */
    static final int ROUNDS = 8;

    private static final long TIMEOUT_SECONDS = 60;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private Race() {
    }

    /**
     * @param parties how many threads
     * @param task what thread {@code i} does, given {@code i}
     * @return the results, in thread order
     */
    static <T> List<T> run(int parties, IntFunction<T> task) {
        List<Callable<T>> tasks = new ArrayList<>(parties);
        for (int i = 0; i < parties; i++) {
            int index = i;
            tasks.add(() -> task.apply(index));
        }
        return run(tasks);
    }

    /**
     * @param tasks the tasks, each on its own thread
     * @return their results, in order
     */
    static <T> List<T> run(List<? extends Callable<T>> tasks) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size(), runnable -> {
            Thread thread = new Thread(runnable, "contract-race-" + pool + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(() -> {
                    start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>(tasks.size());
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new AssertionError("A racing task failed", cause);
        } catch (TimeoutException e) {
            throw new AssertionError("Racing tasks did not finish within " + TIMEOUT_SECONDS + " s (deadlock?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while racing", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * @param results racing calls' results
     * @return how many were {@code true}
     */
    static long winners(List<Boolean> results) {
        return results.stream().filter(Boolean::booleanValue).count();
    }
}
