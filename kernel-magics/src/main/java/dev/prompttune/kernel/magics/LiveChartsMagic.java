package dev.prompttune.kernel.magics;

import java.util.List;

/**
 * {@code %liveCharts on|off}: whether each training run draws its live chart (loss and dev metric vs step) under its
 * progress line, for the rest of the session. Off suits notebooks that run many short runs (a sweep over seeds): each
 * chart is a PNG kept in the saved notebook; the progress line, the results table, {@code %compare} and the
 * notebook's own charts still show every run.
 */
final class LiveChartsMagic {

    static final MagicSignature SIGNATURE = MagicSignature.line("liveCharts").required("setting");

    private LiveChartsMagic() {
    }

    static Object run(List<String> args) {
        String setting = SIGNATURE.parse(args).get("setting");
        switch (setting) {
            case "on" -> LiveProgress.showCharts(true);
            case "off" -> LiveProgress.showCharts(false);
            default -> throw new MagicError("%liveCharts: setting is '" + setting + "'; allowed: on, off");
        }
        return "live charts " + setting + ": training runs show their progress line"
                + (setting.equals("on") ? " and a live chart" : " only");
    }
}
