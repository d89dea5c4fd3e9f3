package dev.prompttune.spark;

import org.apache.spark.TaskContext;

/**
 * Failures injected into tasks, for the tests of retries in local mode (driver and executor share the JVM there).
 * Off (null) unless a test sets a plan.
 */
final class FaultInjection {

    /** Whether the attempt {@code attempt} of partition {@code partition} of training step {@code step} fails. */
    @FunctionalInterface
    interface Plan {
        boolean fails(int step, int partition, int attempt);
    }

    static volatile Plan plan;

    private FaultInjection() {}

    static void maybeFail(int step) {
        Plan p = plan;
        TaskContext task = TaskContext.get();
        if (p != null && task != null && p.fails(step, task.partitionId(), task.attemptNumber())) {
            throw new IllegalStateException("injected failure: step " + (step + 1) + ", partition " + task.partitionId()
                    + ", attempt " + task.attemptNumber());
        }
    }
}
