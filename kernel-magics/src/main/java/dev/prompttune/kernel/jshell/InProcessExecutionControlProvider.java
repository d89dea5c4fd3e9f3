package dev.prompttune.kernel.jshell;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** Hands JShell one pre-built {@link InProcessExecutionControl}, so the evaluator keeps a typed reference. */
final class InProcessExecutionControlProvider implements ExecutionControlProvider {

    private final InProcessExecutionControl control;

    InProcessExecutionControlProvider(InProcessExecutionControl control) {
        this.control = control;
    }

    @Override
    public String name() {
        return "prompttune-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return control;
    }
}
