package dev.prompttune.kernel;

import dev.prompttune.core.testing.TinyWorld;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prompttune magics in real kernels driven by jupyter_client (src/test/python/test_magics.py): live progress,
 * bound runs, compare/save/load/predict/nearest/exportPeft, %%groovy, errors, interrupt during %%promptTune, and
 * loading the magics as an Extension without the kernel's built-in registration. The kernels see a tiny home (random
 * d_model-32 model 'tiny', task 'markers'), so every run takes seconds. Skipped when Debian's Jupyter is missing.
 */
class MagicsIntegrationTest {

    @Test
    void magicsWorkInTheRealKernel() throws Exception {
        Path basedir = Path.of(System.getProperty("prompttune.kernel.basedir", ".")).toAbsolutePath();
        Path build = Path.of(System.getProperty("prompttune.kernel.builddir", basedir.resolve("target").toString()));
        Assumptions.assumeTrue(Files.isExecutable(Path.of(KernelIntegrationTest.PYTHON)), "install Jupyter (bin/test does)");
        KernelIntegrationTest.Result probe = KernelIntegrationTest.run(
                List.of(KernelIntegrationTest.PYTHON, "-c", "import jupyter_client"), 60, null, Map.of());
        Assumptions.assumeTrue(probe.exit() == 0, "Debian's jupyter-client is missing: " + probe.output());

        Path work = build.resolve("it-magics");
        deleteTree(work);
        Path home = TinyWorld.home(Files.createDirectories(work.resolve("home")));
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        Path prefix = work.resolve("prefix");
        String homeOpt = "-Dprompttune.home=" + home;
        new KernelSpecInstaller().name("pt-magics").prefix(prefix).jvmOpt(homeOpt).install();
        new KernelSpecInstaller().name("pt-magics-nobuiltin").prefix(prefix).jvmOpt(homeOpt)
                .jvmOpt("-Dprompttune.kernel.builtinMagics=false").install();
        new KernelSpecInstaller().name("pt-magics-noext").prefix(prefix).jvmOpt(homeOpt)
                .jvmOpt("-Dprompttune.kernel.builtinMagics=false").jvmOpt("-Dprompttune.kernel.extensions=false").install();
        Files.createDirectories(work.resolve("runtime"));
        Map<String, String> env = new HashMap<>();
        env.put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        env.put("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", Files.createDirectories(work.resolve("config")).toString());
        env.put("PROMPTTUNE_KERNEL_NAME", "pt-magics");
        env.put("PROMPTTUNE_KERNEL_NO_BUILTIN", "pt-magics-nobuiltin");
        env.put("PROMPTTUNE_KERNEL_NO_EXTENSIONS", "pt-magics-noext");
        env.put("PROMPTTUNE_WORK", cwd.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");

        KernelIntegrationTest.Result r = KernelIntegrationTest.run(List.of(KernelIntegrationTest.PYTHON, "-B",
                basedir.resolve("src/test/python/test_magics.py").toString()), 900, basedir.resolve("src/test/python"), env);
        System.out.println(r.output());
        assertEquals(0, r.exit(), "test_magics.py failed:\n" + KernelIntegrationTest.tail(r.output()));
        assertTrue(r.output().contains("OK"), KernelIntegrationTest.tail(r.output()));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
