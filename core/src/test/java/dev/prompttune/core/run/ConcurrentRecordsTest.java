package dev.prompttune.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prompttune.core.spec.PromptTuneSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of the same name started in the same second (a sweep spread over threads, two notebooks sharing runs/) each
 * get their own record folder; none fails because another took the folder name between its check and its mkdir.
 */
class ConcurrentRecordsTest {

    @TempDir
    Path tmp;

    @Test
    void runsOfOneNameStartedTogetherGetAFolderEach() throws Exception {
        PromptTuneSpec spec = PromptTuneSpec.builder().data("spam").build();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 25; round++) {
                Path runs = tmp.resolve("runs-" + round);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Path>> made = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    made.add(pool.submit(() -> {
                        start.await();
                        try (RunRecord r = RunRecord.create(runs, spec)) {
                            return r.dir();
                        }
                    }));
                }
                Set<Path> dirs = new HashSet<>();
                for (Future<Path> f : made) {
                    dirs.add(f.get()); // a run that lost the race used to fail here: "cannot create a run record"
                }
                assertEquals(threads, dirs.size(), "one folder per run");
                for (Path d : dirs) {
                    assertEquals(true, Files.isRegularFile(d.resolve("spec.json")), d + " has its spec");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
