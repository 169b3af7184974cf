package io.gantry.metrics.own;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for what containers expose about themselves: every
 * line must be a {@code # HELP}, a {@code # TYPE}, another comment, empty, or a sample
 * {@code name{label="value",…} value [timestamp]}; a family's samples must be together, its {@code # TYPE} before
 * them and only once, and no two samples may have the same name and labels. Timestamps are checked and dropped.
 * The text must end with a newline, so that a file cut short in the middle of a line is refused.
 */
public final class Exposition {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private Exposition() {
    }

    /** One family: its name, type ({@code untyped} when not declared), help and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {
        public Family {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(help, "help");
            samples = List.copyOf(samples);
        }
    }

    /** One sample: its full name (a histogram's {@code _bucket}, …), labels in the order written, and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            Objects.requireNonNull(name, "name");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** The text is not a valid exposition; the message names the line and what is wrong. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(int line, String why) {
            super(line == 0 ? why : "line " + line + ": " + why);
        }
    }

    /** Reads a whole exposition. */
    public static List<Family> parse(String text) throws MalformedException {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new MalformedException(0, "the text does not end with a newline (cut short?)");
        }
        Map<String, Builder> families = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> seenSeries = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int n = i + 1;
            String line = lines[i];
            if (line.endsWith("\r")) {
                throw new MalformedException(n, "a carriage return: lines end with \\n alone");
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("[ \t]+", 4);
                if (parts.length >= 3 && parts[0].equals("#") && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!METRIC_NAME.matcher(name).matches()) {
                        throw new MalformedException(n, "\"" + name + "\" is not a metric name");
                    }
                    if (closed.contains(name)) {
                        throw new MalformedException(n, parts[1] + " of " + name + " after its samples");
                    }
                    Builder b = families.computeIfAbsent(name, Builder::new);
                    if (currentFamily != null && !currentFamily.equals(name)) {
                        closed.add(currentFamily);
                    }
                    currentFamily = name;
                    String rest = parts.length == 4 ? parts[3] : "";
                    if (parts[1].equals("HELP")) {
                        if (b.help != null) {
                            throw new MalformedException(n, "a second HELP for " + name);
                        }
                        b.help = unescapeHelp(rest, n);
                    } else {
                        if (b.type != null) {
                            throw new MalformedException(n, "a second TYPE for " + name);
                        }
                        if (!b.samples.isEmpty()) {
                            throw new MalformedException(n, "TYPE of " + name + " after its samples");
                        }
                        String type = rest.strip();
                        if (!TYPES.contains(type)) {
                            throw new MalformedException(n, "\"" + type + "\" is not a metric type (expected counter,"
                                    + " gauge, histogram, summary or untyped)");
                        }
                        b.type = type;
                    }
                }
                continue;
            }
            Sample sample = sample(line, n);
            String family = familyOf(sample.name(), families);
            if (closed.contains(family)) {
                throw new MalformedException(n, "a sample of " + family + " apart from the others");
            }
            if (currentFamily != null && !currentFamily.equals(family)) {
                closed.add(currentFamily);
            }
            currentFamily = family;
            if (!seenSeries.add(sample.name() + sample.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .toList())) {
                throw new MalformedException(n, "a second sample of " + sample.name() + " with labels " + sample.labels());
            }
            families.computeIfAbsent(family, Builder::new).samples.add(sample);
        }
        List<Family> result = new ArrayList<>();
        families.values().forEach(b -> result.add(new Family(b.name, b.type == null ? "untyped" : b.type,
                b.help == null ? "" : b.help, b.samples)));
        return result;
    }

    /** A histogram's or summary's sample names its family without its suffix. */
    private static String familyOf(String sampleName, Map<String, Builder> families) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                Builder b = families.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (b != null && ("histogram".equals(b.type) || "summary".equals(b.type))
                        && !(suffix.equals("_bucket") && "summary".equals(b.type))) {
                    return b.name;
                }
            }
        }
        return sampleName;
    }

    private static Sample sample(String line, int n) throws MalformedException {
        int i = 0;
        int len = line.length();
        while (i < len && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty() || !METRIC_NAME.matcher(name).matches()) {
            throw new MalformedException(n, "a sample line must start with a metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < len && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (i < len && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (i < len && isLabelChar(line.charAt(i), i == start)) {
                    i++;
                }
                String label = line.substring(start, i);
                if (label.isEmpty() || !LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                    throw new MalformedException(n, "\"" + label + "\" is not a label name");
                }
                i = skipSpaces(line, i);
                if (i >= len || line.charAt(i) != '=') {
                    throw new MalformedException(n, "label " + label + " has no =");
                }
                i = skipSpaces(line, i + 1);
                if (i >= len || line.charAt(i) != '"') {
                    throw new MalformedException(n, "the value of label " + label + " is not quoted");
                }
                StringBuilder value = new StringBuilder();
                i++;
                boolean ended = false;
                while (i < len) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        ended = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= len) {
                            break;
                        }
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new MalformedException(n, "\\" + e + " is not an escape in a label value");
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (!ended) {
                    throw new MalformedException(n, "the value of label " + label + " does not end");
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new MalformedException(n, "label " + label + " twice");
                }
                i = skipSpaces(line, i);
                if (i < len && line.charAt(i) == ',') {
                    i++;
                } else if (i >= len || line.charAt(i) != '}') {
                    throw new MalformedException(n, "expected , or } after label " + label);
                }
            }
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (i < len && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            throw new MalformedException(n, "expected a space before the value");
        }
        if (rest.length < 1 || rest[0].isEmpty() || rest.length > 2) {
            throw new MalformedException(n, "expected a value and at most a timestamp after " + name);
        }
        double value = number(rest[0], n);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new MalformedException(n, "\"" + rest[1] + "\" is not a timestamp (milliseconds)");
            }
        }
        return new Sample(name, labels, value);
    }

    /** A sample value (or an {@code le} or {@code quantile}) as the format writes it; {@code n} is its line. */
    static double number(String text, int n) throws MalformedException {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            throw new MalformedException(n, "\"" + text + "\" is not a number");
        }
        return Double.parseDouble(text);
    }

    private static String unescapeHelp(String text, int n) throws MalformedException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                switch (e) {
                    case '\\' -> out.append('\\');
                    case 'n' -> out.append('\n');
                    default -> throw new MalformedException(n, "\\" + e + " is not an escape in HELP");
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static boolean isLabelChar(char c, boolean first) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }

    private static final class Builder {
        final String name;
        String type;
        String help;
        final List<Sample> samples = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }
    }
}
