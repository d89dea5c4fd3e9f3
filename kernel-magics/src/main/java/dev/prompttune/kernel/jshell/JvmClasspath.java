package dev.prompttune.kernel.jshell;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The class path cells are compiled against: this JVM's, as {@code java -jar} resolves it. */
public final class JvmClasspath {

    private JvmClasspath() {}

    /**
     * This JVM's class path (absolute entries, plus jars named by a jar manifest's Class-Path, as with
     * {@code java -jar}), for compiling cells against the kernel and its libraries.
     */
    public static List<String> of() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                File f = new File(e).getAbsoluteFile();
                out.add(f.getPath());
                out.addAll(manifestClasspath(f));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> manifestClasspath(File jar) {
        if (!jar.isFile() || !jar.getName().endsWith(".jar")) {
            return List.of();
        }
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar)) {
            java.util.jar.Manifest mf = jf.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
            if (cp == null || cp.isBlank()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String rel : cp.trim().split("\\s+")) {
                File f = new File(jar.getParentFile(), rel);
                if (f.exists()) {
                    out.add(f.getAbsolutePath());
                }
            }
            return out;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
