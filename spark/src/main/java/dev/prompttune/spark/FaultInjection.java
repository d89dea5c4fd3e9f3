package dev.prompttune.spark;

import org.apache.spark.TaskContext;

/**
 * Faults injected into training tasks, for the tests of retries and cancellation in local mode (driver and executor
 * share the JVM there). Off (null) unless a test sets a plan.
 */
final class FaultInjection {

    /** Runs at the start of each attempt of each training task; throwing fails the attempt. */
    @FunctionalInterface
    interface Plan {
        void at(int step, int partition, int attempt) throws Exception;
    }

    static volatile Plan plan;

    private FaultInjection() {}

    static void maybeFail(int step) throws Exception {
        Plan p = plan;
        TaskContext task = TaskContext.get();
        if (p != null && task != null) {
            p.at(step, task.partitionId(), task.attemptNumber());
        }
    }

    /** A plan that fails the attempts {@code fails} says. */
    static Plan failing(java.util.function.IntPredicate steps, java.util.function.IntPredicate partitions,
                        java.util.function.IntPredicate attempts) {
        return (step, partition, attempt) -> {
            if (steps.test(step) && partitions.test(partition) && attempts.test(attempt)) {
                throw new IllegalStateException("injected failure: step " + (step + 1) + ", partition " + partition
                        + ", attempt " + attempt);
            }
        };
    }
}
