package dev.prompttune.kernel;

import java.util.List;

/**
 * A cell failed: what Jupyter shows as an error output ({@code ename}, {@code evalue}, {@code traceback}).
 * The traceback is already short and cell-relative (no kernel or JShell frames).
 */
public class CellException extends RuntimeException {

    public static final String INTERRUPTED = "Interrupted";
    public static final String COMPILATION = "CompilationException";

    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    public CellException(String ename, String evalue, List<String> traceback) {
        super(evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue == null ? "" : evalue;
        this.traceback = List.copyOf(traceback);
    }

    public static CellException interrupted() {
        String msg = "cell execution was interrupted";
        return new CellException(INTERRUPTED, msg, List.of(INTERRUPTED + ": " + msg));
    }

    public String ename() {
        return ename;
    }

    public String evalue() {
        return evalue;
    }

    public List<String> traceback() {
        return traceback;
    }

    @Override
    public String toString() {
        return ename + ": " + evalue;
    }
}
