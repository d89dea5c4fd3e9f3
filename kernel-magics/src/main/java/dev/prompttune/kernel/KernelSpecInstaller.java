package dev.prompttune.kernel;

import com.google.gson.GsonBuilder;

import dev.prompttune.core.io.AtomicFiles;
import dev.prompttune.core.io.PathProblems;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the kernelspec ({@code kernels/<name>/kernel.json}) that makes Jupyter start this kernel:
 * <pre>
 * java -cp &lt;jar or classes&gt;:&lt;lib&gt;/* dev.prompttune.kernel.KernelMain install [--user | --prefix DIR]
 *      [--name prompttune-java] [--display-name "prompttune (Java)"] [--classpath CP] [--java PATH]
 *      [--jvm-opt OPT]... [--launcher PATH]
 * </pre>
 * {@code --user} (default) installs into the user's Jupyter data dir ({@code $JUPYTER_DATA_DIR}, else
 * {@code ~/.local/share/jupyter}); {@code --prefix DIR} into {@code DIR/share/jupyter} (what
 * {@code jupyter kernelspec install --prefix} does; point {@code JUPYTER_PATH} at it). The class path in argv
 * is absolute: the kernel runs from where it was built/unpacked. {@code --launcher PATH} puts a command before
 * {@code java} that starts the JVM command given as its arguments: {@code bin/prompttune kernel install} gives
 * {@code bin/lib/kernel-start.sh}, which holds the checkout's run lock for the kernel's life.
 */
public final class KernelSpecInstaller {

    public static final String DEFAULT_NAME = "prompttune-java";
    public static final String DEFAULT_DISPLAY_NAME = "prompttune (Java)";
    /** Same defaults as bin/prompttune: headless AWT for charts, DJL never downloads. */
    public static final List<String> DEFAULT_JVM_OPTS = List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true");

    /**
     * A JVM fatal error (a crash in native code) writes its report to {@code dir/prompttune-kernel-hs_err-PID.log},
     * and the kernel's stderr (the Jupyter server's console) says where. No ';' in the message: the JVM splits
     * {@code -XX:OnError} at semicolons.
     */
    static List<String> crashOpts(Path dir) {
        String log = dir.resolve("prompttune-kernel-hs_err-%p.log").toString();
        return List.of("-XX:ErrorFile=" + log, "-XX:OnError=echo prompttune kernel: the JVM crashed, its log is at " + log + " >&2");
    }

    private String name = DEFAULT_NAME;
    private String displayName = DEFAULT_DISPLAY_NAME;
    private Path prefix;
    private String classpath;
    private String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private String launcher;
    private final List<String> jvmOpts = new ArrayList<>(DEFAULT_JVM_OPTS);
    {
        jvmOpts.addAll(crashOpts(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    public KernelSpecInstaller name(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kernel name must match [A-Za-z0-9._-]+: " + name);
        }
        this.name = name;
        return this;
    }

    public KernelSpecInstaller displayName(String displayName) {
        this.displayName = displayName;
        return this;
    }

    /** Install under {@code prefix/share/jupyter/kernels}; null = the user's Jupyter data dir. */
    public KernelSpecInstaller prefix(Path prefix) {
        this.prefix = prefix;
        return this;
    }

    public KernelSpecInstaller classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    public KernelSpecInstaller java(String java) {
        this.java = java;
        return this;
    }

    /** A command that starts the JVM command given as its arguments (exec'ing it); null = Jupyter starts java itself. */
    public KernelSpecInstaller launcher(String launcher) {
        this.launcher = launcher;
        return this;
    }

    public KernelSpecInstaller jvmOpt(String opt) {
        jvmOpts.add(opt);
        return this;
    }

    /** The kernelspec directory this installer writes. */
    public Path kernelDir() {
        Path data = prefix != null ? prefix.resolve("share").resolve("jupyter") : userDataDir();
        return data.resolve("kernels").resolve(name);
    }

    /** kernel.json's content. */
    public Map<String, Object> spec() {
        List<String> argv = new ArrayList<>();
        if (launcher != null) {
            argv.add(launcher);
        }
        argv.add(java);
        argv.addAll(jvmOpts);
        argv.add("-cp");
        argv.add(classpath != null ? classpath : defaultClasspath());
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        // PyTorch's OpenMP threads spin while they wait for work by default; when anything else needs the CPU
        // (the notebook server, a browser, another kernel) that made training steps ~10x slower (measured on 2
        // cores: 2.4 s instead of 0.2 s). Passive waiting costs little when the machine is idle.
        spec.put("env", Map.of("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE")));
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /** Writes kernel.json (replacing an existing one); returns the kernelspec directory. */
    public Path install() throws IOException {
        Path dir = kernelDir();
        Files.createDirectories(dir);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec());
        AtomicFiles.write(dir.resolve("kernel.json"), (json + "\n").getBytes(StandardCharsets.UTF_8));
        return dir;
    }

    /**
     * Where this kernel's classes live plus its libraries: {@code <jar or classes dir>:<sibling lib>/*} when a
     * {@code lib} directory sits beside them (the Maven layout: target/*.jar or target/classes, and
     * target/lib), else this JVM's class path, made absolute.
     */
    public static String defaultClasspath() {
        Path code = codeLocation();
        if (code != null) {
            Path lib = code.getParent() == null ? null : code.getParent().resolve("lib");
            if (lib != null && Files.isDirectory(lib)) {
                return code + File.pathSeparator + lib + File.separator + "*";
            }
        }
        List<String> abs = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                abs.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, abs);
    }

    static Path codeLocation() {
        try {
            var src = KernelSpecInstaller.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    static Path userDataDir() {
        return userDataDir(System.getenv(), System.getProperty("user.home"), System.getProperty("os.name", ""));
    }

    /**
     * Where Jupyter looks for a user's kernels, found as jupyter_core finds it: {@code $JUPYTER_DATA_DIR}, else under
     * the home folder. The home is {@code $HOME} as Python's {@code expanduser} reads it, not Java's {@code user.home}
     * (the password file's entry): where the two differ (a container, {@code sudo -E}, a HOME set for a job) the
     * kernel was installed where Jupyter never looked.
     */
    static Path userDataDir(Map<String, String> env, String userHome, String osName) {
        String dataDir = env.get("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir);
        }
        Path home = dev.prompttune.core.model.UserHome.asPythonSeesIt(env, userHome);
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Jupyter");
        }
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return (appData != null ? Path.of(appData) : home).resolve("jupyter");
        }
        String xdg = env.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("jupyter");
    }

    /** Command line: returns the exit status. */
    static int run(List<String> args) {
        KernelSpecInstaller installer = new KernelSpecInstaller();
        List<String> places = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (List.of("--user", "--prefix", "--sys-prefix").contains(a)) {
                    places.add(a);
                }
                switch (a) {
                    case "--user" -> installer.prefix(null);
                    case "--prefix" -> installer.prefix(Path.of(value(args, ++i, a)).toAbsolutePath());
                    case "--sys-prefix" -> installer.prefix(Path.of(System.getProperty("prompttune.sysPrefix", "/usr/local")));
                    case "--name" -> installer.name(value(args, ++i, a));
                    case "--display-name" -> installer.displayName(value(args, ++i, a));
                    case "--classpath", "-cp" -> installer.classpath(value(args, ++i, a));
                    case "--java" -> installer.java(executable(value(args, ++i, a), a, "a java command (JDK 17 or later)"));
                    case "--jvm-opt" -> installer.jvmOpt(value(args, ++i, a));
                    case "--launcher" -> installer.launcher(executable(value(args, ++i, a), a,
                            "a command that starts the JVM command given as its arguments, such as bin/lib/kernel-start.sh"));
                    case "-h", "--help" -> {
                        System.out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (places.size() > 1) {
                throw new IllegalArgumentException("give one of --user, --prefix DIR and --sys-prefix, not " + String.join(" and ", places));
            }
            installer.checkStarts();
        } catch (IllegalArgumentException e) {
            System.err.println("install: " + e.getMessage() + "\n" + usage());
            return 2;
        }
        Path dir = installer.kernelDir();
        try {
            installer.install();
        } catch (IOException e) {
            // A prefix that cannot hold the kernelspec is a bad argument: say which folder, in words.
            System.err.println("install: cannot write the kernelspec to " + dir + ": " + PathProblems.describe(dir, e));
            return 2;
        }
        System.out.println("Installed kernelspec " + installer.name + " in " + dir);
        return 0;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** {@code path} made absolute, when it names an executable file. */
    private static String executable(String path, String option, String allowed) {
        Path p = Path.of(path).toAbsolutePath();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new IllegalArgumentException(option + " " + path + " is not an executable file"
                    + (Files.exists(p) ? "" : " (it does not exist)") + "; allowed: " + allowed);
        }
        return p.toString();
    }

    /**
     * Refuses a kernelspec whose JVM could not start (it was written, and every start then died with "Kernel died
     * before replying to kernel_info"): a class path entry that is not there, or JVM options the java command refuses
     * ({@code -Xmx1q}, an empty option), found by starting it once with {@code -version}.
     */
    void checkStarts() {
        String cp = classpath != null ? classpath : defaultClasspath();
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry);
            if (entry.isEmpty() || !Files.exists(p)) {
                throw new IllegalArgumentException("class path entry '" + entry + "' does not exist; allowed: the kernel's "
                        + "jar or classes folder and its lib/* (the default when --classpath is not given)");
            }
        }
        for (String opt : jvmOpts) {
            if (opt.isBlank()) {
                throw new IllegalArgumentException("--jvm-opt is empty; allowed: a JVM option such as -Xmx8g");
            }
        }
        List<String> probe = new ArrayList<>();
        probe.add(java);
        probe.addAll(jvmOpts);
        probe.add("-version");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + p.exitValue());
                throw new IllegalArgumentException("the kernel's JVM does not start with its options: " + first
                        + "; allowed: --jvm-opt options that " + java + " accepts");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot start " + java + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while checking that the kernel's JVM starts");
        }
    }

    static String usage() {
        return "usage: java -cp <kernel jar>:<lib>/* " + KernelMain.class.getName() + " install"
                + " [--user | --prefix DIR | --sys-prefix] [--name NAME] [--display-name TEXT]"
                + " [--classpath CP] [--java PATH] [--jvm-opt OPT]... [--launcher PATH]";
    }
}
