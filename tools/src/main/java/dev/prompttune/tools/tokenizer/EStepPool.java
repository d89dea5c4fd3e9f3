package dev.prompttune.tools.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs the trainer's per-chunk work on a fixed number of threads; chunk results are combined in chunk order, so the
 * result does not depend on the thread count.
 */
final class EStepPool implements AutoCloseable {

    private final ExecutorService executor;

    EStepPool(int threads) {
        this.executor = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "unigram-trainer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    <T> List<T> map(int chunks, IntFunction<T> work) {
        List<T> out = new ArrayList<>(chunks);
        if (executor == null) {
            for (int c = 0; c < chunks; c++) {
                out.add(work.apply(c));
            }
            return out;
        }
        List<Future<T>> futures = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            final int chunk = c;
            futures.add(executor.submit(() -> work.apply(chunk)));
        }
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** E-step over all sentences; fills {@code expected}, returns the total log-likelihood. */
    double expect(UnigramLattices l, double[] freq, UnigramModel model, double[] expected) {
        int n = freq.length;
        record Part(double[] expected, double objective) {}
        List<Part> parts = map(UnigramTrainer.CHUNKS, c -> {
            double[] e = new double[model.size()];
            double[] alpha = new double[256];
            double[] beta = new double[256];
            double obj = 0;
            for (int s = c * n / UnigramTrainer.CHUNKS; s < (c + 1) * n / UnigramTrainer.CHUNKS; s++) {
                int len = l.lengths[s];
                if (len + 1 > alpha.length) {
                    alpha = new double[len + 1];
                    beta = new double[len + 1];
                }
                obj += UnigramLattices.expectSentence(s, len, l, freq[s], model.scores, e, alpha, beta);
            }
            return new Part(e, obj);
        });
        double objective = 0;
        for (Part p : parts) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] += p.expected[i];
            }
            objective += p.objective;
        }
        return objective;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
