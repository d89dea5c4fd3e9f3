package dev.prompttune.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The user's home folder, and a usable one for the libraries that cache under it. Java reads {@code user.home} from the
 * password file; a container user without an entry there (OpenShift runs images as an arbitrary UID; {@code docker run
 * --user 12345}) gets {@code "?"}, and DJL then unpacked PyTorch's natives (445 MB) and JNA its helper into a folder
 * named {@code ?} in the current folder. {@link #settle} points {@code user.home} at {@code $HOME} when that is usable,
 * else at a private folder under the temp folder, before DJL starts.
 */
public final class UserHome {

    private UserHome() {}

    /** Makes {@code user.home} usable for this JVM ({@link #usable}); the first call decides. */
    public static synchronized void settle() {
        Path home = usable(System.getenv(), System.getProperties(), Path.of(System.getProperty("java.io.tmpdir")), uid());
        if (!home.toString().equals(System.getProperty("user.home"))) {
            System.setProperty("user.home", home.toString());
        }
    }

    /**
     * {@code user.home} when it is an absolute, writable folder; else {@code $HOME} when that is one; else
     * {@code TMP/prompttune-home-UID}, made private to this user. {@code $HOME} comes second so that a normal user's
     * home is what Java found, as before.
     */
    static Path usable(Map<String, String> env, Properties props, Path tmp, String uid) {
        for (String candidate : new String[] {props.getProperty("user.home"), env.get("HOME")}) {
            Path p = writableFolder(candidate);
            if (p != null) {
                return p;
            }
        }
        Path own = tmp.resolve("prompttune-home-" + uid);
        try {
            Files.createDirectories(own);
            if (uid.matches("[0-9]+") && !Integer.valueOf(uid).equals(Files.getAttribute(own, "unix:uid"))) {
                // Someone else's folder: natives unpacked there could be replaced by its owner.
                own = Files.createTempDirectory(tmp, "prompttune-home-");
            }
            own.toFile().setReadable(false, false);
            own.toFile().setReadable(true, true);
            own.toFile().setWritable(false, false);
            own.toFile().setWritable(true, true);
            own.toFile().setExecutable(false, false);
            own.toFile().setExecutable(true, true);
        } catch (java.io.IOException | RuntimeException e) {
            // left as it is: whatever uses it says what failed, naming the folder
        }
        return own;
    }

    /** The home a Python tool (Jupyter, the Hugging Face hub) uses: {@code $HOME}, else Java's {@code user.home}. */
    public static Path asPythonSeesIt() {
        return asPythonSeesIt(System.getenv(), System.getProperty("user.home"));
    }

    /**
     * As {@link #asPythonSeesIt()} from {@code env} and {@code userHome}: Python's {@code expanduser} reads
     * {@code $HOME}, not the password file's entry, which differs in containers, under {@code sudo -E} and for a job
     * given its own HOME.
     */
    public static Path asPythonSeesIt(Map<String, String> env, String userHome) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome);
    }

    private static Path writableFolder(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(s);
            return p.isAbsolute() && Files.isDirectory(p) && Files.isWritable(p) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** This process's user id (Linux: /proc/self/status), else the user name, else "user". */
    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1];
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        String name = System.getProperty("user.name", "");
        return name.matches("[A-Za-z0-9._-]+") ? name : "user";
    }
}
