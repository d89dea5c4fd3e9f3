package dev.prompttune.core.data;

import dev.prompttune.core.PromptTuneException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Maps label values, as they appear in the label field of the data ({@code "0"}, {@code "entailment"}), to the
 * target texts the model generates ({@code "no"}, {@code "yes"}). Ordered: the i-th label is class i. Immutable;
 * equal when the label field and the ordered mapping are equal.
 */
public final class Verbalizer {

    /** The label field when none is named. */
    public static final String DEFAULT_LABEL_FIELD = "label";

    private final String labelField;
    private final LinkedHashMap<String, String> targets;
    private final List<String> labelList;
    private final List<String> targetList;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> targetIndex = new HashMap<>();
    private final boolean identity;

    private Verbalizer(String labelField, Map<String, String> mapping, boolean identity) {
        if (labelField == null || labelField.isBlank()) {
            throw new PromptTuneException("the label field must be named, got '" + labelField + "'");
        }
        if (mapping.isEmpty()) {
            throw new PromptTuneException("the verbalizer has no labels; give at least one label -> text pair");
        }
        this.labelField = labelField;
        this.targets = new LinkedHashMap<>(mapping);
        this.identity = identity;
        this.labelList = List.copyOf(targets.keySet());
        this.targetList = Collections.unmodifiableList(new ArrayList<>(targets.values()));
        for (String label : labelList) {
            if (label == null || label.isBlank()) {
                // A blank class name is a slip in the labels map (or unlabeled rows taken for a class).
                throw new PromptTuneException("the labels name a class " + (label == null ? "null" : "'" + label + "'")
                        + " (mapped to '" + targets.get(label) + "'); allowed: non-blank label values, as the data's "
                        + "label field '" + labelField + "' holds them");
            }
            String target = targets.get(label);
            if (target == null || target.isBlank()) {
                throw new PromptTuneException("the verbalizer maps label '" + label + "' to an empty text; every"
                        + " label needs a target text");
            }
            index.put(label, index.size());
            Integer other = targetIndex.putIfAbsent(target, targetIndex.size());
            if (other != null) {
                throw new PromptTuneException("the verbalizer maps both '" + labelList.get(other) + "' and '" + label
                        + "' to '" + target + "'; target texts must differ to tell the classes apart");
            }
        }
    }

    /** A verbalizer of {@code mapping} (label value to target text) in its iteration order. */
    public static Verbalizer of(String labelField, Map<String, String> mapping) {
        return new Verbalizer(labelField, mapping, false);
    }

    /** A verbalizer on the {@code label} field: {@code of("label", mapping)}. */
    public static Verbalizer of(Map<String, String> mapping) {
        return of(DEFAULT_LABEL_FIELD, mapping);
    }

    /** Labels that are their own target texts, in the order given. */
    public static Verbalizer identity(String labelField, List<String> labels) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String label : new LinkedHashSet<>(labels)) {
            m.put(label, label);
        }
        return new Verbalizer(labelField, m, true);
    }

    /**
     * The identity verbalizer of the labels found in {@code train}'s label field, in first-seen order.
     *
     * @throws PromptTuneException if an example has no label field (naming its location and fields)
     */
    public static Verbalizer identityFrom(String labelField, List<Example> train) {
        List<String> labels = new ArrayList<>();
        for (Example e : train) {
            String label = e.require(labelField, "label field");
            if (label.isBlank()) {
                // Named where it is: an empty cell became a class '' ("the labels name a class ''").
                throw emptyLabel(e, labelField);
            }
            labels.add(label);
        }
        if (labels.isEmpty()) {
            throw new PromptTuneException("no labels to build a verbalizer from: the training data is empty");
        }
        return identity(labelField, labels);
    }

    /** The field holding the label value. */
    public String labelField() {
        return labelField;
    }

    /** The label values, class 0 first. */
    public List<String> labels() {
        return labelList;
    }

    /** The target texts, in class order. */
    public List<String> targets() {
        return targetList;
    }

    /** The number of classes. */
    public int size() {
        return labelList.size();
    }

    /** Whether labels are their own target texts (no mapping was given). */
    public boolean isIdentity() {
        return identity;
    }

    /** The class of {@code label}, or -1 if unknown. */
    public int indexOf(String label) {
        return index.getOrDefault(label, -1);
    }

    /** The class whose target text is {@code text} (exactly), or -1; for reading generated outputs. */
    public int indexOfTarget(String text) {
        return targetIndex.getOrDefault(text, -1);
    }

    /**
     * The target text of {@code label}.
     *
     * @param where the example it came from, for the message
     * @throws PromptTuneException naming the label, the location and the known labels
     */
    public String targetFor(String label, Example where) {
        return targets.get(labelList.get(classOf(label, where)));
    }

    /** The target text of the example's label (see {@link #classOf(Example)}). */
    public String targetFor(Example example) {
        return targetFor(example.require(labelField, "label field"), example);
    }

    /**
     * The class of the example's label.
     *
     * @throws PromptTuneException if the label field is missing or the label unknown
     */
    public int classOf(Example example) {
        return classOf(example.require(labelField, "label field"), example);
    }

    private static PromptTuneException emptyLabel(Example where, String labelField) {
        return new PromptTuneException(where.location() + ": the label field '" + labelField + "' is empty; allowed: "
                + "a label in every labelled example");
    }

    private int classOf(String label, Example where) {
        Integer i = index.get(label);
        if (i == null && label.isBlank()) {
            throw emptyLabel(where, labelField);
        }
        if (i == null) {
            throw new PromptTuneException("unknown label '" + label + "' in " + where.location() + "; the verbalizer"
                    + (identity ? " (labels collected from the training data)" : "") + " knows: "
                    + String.join(", ", labelList) + nearMatch(label));
        }
        return i;
    }

    /**
     * "; did you mean 'neg'?" when {@code label} differs from a known label only by case or surrounding spaces: the
     * difference is easy to miss in a message ('Neg', 'pos ').
     */
    private String nearMatch(String label) {
        for (String known : labelList) {
            if (known.strip().equalsIgnoreCase(label.strip())) {
                return "; did you mean '" + known + "'? (they differ only in "
                        + (known.strip().equals(label.strip()) ? "surrounding spaces" : "case") + ")";
            }
        }
        return "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Verbalizer v && v.labelField.equals(labelField)
                && new ArrayList<>(v.targets.entrySet()).equals(new ArrayList<>(targets.entrySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(labelField, labelList, targetList);
    }

    @Override
    public String toString() {
        return "Verbalizer" + (identity ? "(identity, " : "(") + labelField + ": " + targets + ")";
    }
}
