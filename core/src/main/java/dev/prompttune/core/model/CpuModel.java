package dev.prompttune.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU as "model (family F, widest vector ISA)", which with the thread count decides the last digits of a float
 * result: VM CPUs often share a model name ("AMD EPYC") across generations with different vector units (Zen 3:
 * AVX2; Zen 4/5: AVX-512). Run records and pretraining logs say it.
 */
public final class CpuModel {

    private CpuModel() {}

    /** This machine's CPU from /proc/cpuinfo; the architecture where there is none (not Linux). */
    public static String current() {
        try {
            return describe(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch"); // not Linux: the architecture is all we can say
        }
    }

    /** {@link #current()} from the lines of /proc/cpuinfo (the first processor's entries). */
    public static String describe(List<String> cpuinfo) {
        String model = null;
        String family = null;
        String isa = null;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model == null) {
                model = value;
            } else if (key.equals("cpu family") && family == null) {
                family = value;
            } else if (key.equals("flags") && isa == null) {
                List<String> flags = List.of(value.split("\\s+"));
                isa = flags.contains("avx512f") ? "avx512f" : flags.contains("avx2") ? "avx2" : "no avx2";
            }
        }
        if (model == null) {
            return System.getProperty("os.arch");
        }
        List<String> detail = new ArrayList<>();
        if (family != null) {
            detail.add("family " + family);
        }
        if (isa != null) {
            detail.add(isa);
        }
        return detail.isEmpty() ? model : model + " (" + String.join(", ", detail) + ")";
    }
}
