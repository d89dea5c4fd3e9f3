package dev.prompttune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU a record names: model, family and widest vector unit, which separate CPUs /proc/cpuinfo names alike. */
class CpuModelTest {

    @Test
    void cpuIsNamedWithFamilyAndWidestVectorUnit() {
        // Two VM CPUs that /proc/cpuinfo names alike ("AMD EPYC") but whose vector units differ.
        List<String> zen3 = List.of("processor\t: 0", "cpu family\t: 25", "model name\t: AMD EPYC",
                "flags\t\t: fpu sse2 avx avx2 fma", "", "processor\t: 1", "cpu family\t: 25");
        List<String> zen5 = List.of("processor\t: 0", "cpu family\t: 26", "model name\t: AMD EPYC",
                "flags\t\t: fpu avx2 avx512f avx512_bf16");
        assertEquals("AMD EPYC (family 25, avx2)", CpuModel.describe(zen3));
        assertEquals("AMD EPYC (family 26, avx512f)", CpuModel.describe(zen5));
        assertEquals("Old CPU (family 6, no avx2)",
                CpuModel.describe(List.of("model name : Old CPU", "cpu family : 6", "flags : fpu sse2")));
    }
}
