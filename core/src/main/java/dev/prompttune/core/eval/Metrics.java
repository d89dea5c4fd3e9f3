package dev.prompttune.core.eval;

/** Classification metrics over gold and predicted class indices. */
public final class Metrics {

    private Metrics() {}

    public static double accuracy(int[] gold, int[] predicted) {
        if (gold.length == 0) {
            return Double.NaN;
        }
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            right += gold[i] == predicted[i] ? 1 : 0;
        }
        return (double) right / gold.length;
    }

    /**
     * Macro-averaged F1: the mean over classes of 2·TP / (2·TP + FP + FN). A class absent from both the gold
     * labels and the predictions is left out of the mean (its F1 is undefined), as scikit-learn does with labels
     * restricted to those present.
     */
    public static double macroF1(int[] gold, int[] predicted, int classes) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < gold.length; i++) {
                boolean g = gold[i] == c;
                boolean p = predicted[i] == c;
                tp += g && p ? 1 : 0;
                fp += !g && p ? 1 : 0;
                fn += g && !p ? 1 : 0;
            }
            if (tp + fp + fn == 0) {
                continue;
            }
            sum += 2.0 * tp / (2.0 * tp + fp + fn);
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The most frequent class among {@code labels} (classes in [0, classes)); the lowest class on a tie. */
    public static int mostFrequentClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int c : labels) {
            counts[c]++;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Accuracy of always predicting the most frequent gold class. */
    public static double majority(int[] gold, int classes) {
        int[] counts = new int[Math.max(classes, 1)];
        for (int g : gold) {
            counts[g]++;
        }
        int best = 0;
        for (int c : counts) {
            best = Math.max(best, c);
        }
        return gold.length == 0 ? Double.NaN : (double) best / gold.length;
    }
}
