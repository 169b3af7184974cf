package io.gantry.metrics.prometheus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict check of the Prometheus text format 0.0.4 (prometheus.io "Exposition formats", text format details),
 * written against the format's grammar because the Java parser used as the second oracle is lenient: it skips what
 * it cannot read. Returns every violation; an empty list means the text is valid.
 */
public final class ExpositionGrammar {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("^# HELP (" + NAME + ") ((?:[^\\\\\\n]|\\\\[\\\\n])*)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (" + NAME + ") (counter|gauge|histogram|summary"
            + "|untyped)$");
    private static final Pattern SAMPLE = Pattern.compile("^(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("\\G([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\""
            + "(,|$)");
    private static final Pattern VALUE = Pattern.compile(
            "^[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|Inf|inf)$|^NaN$");

    private ExpositionGrammar() {
    }

    /** One parsed sample line. */
    public record Line(String name, Map<String, String> labels, String value) {
    }

    public static List<String> violations(String text) {
        List<String> problems = new ArrayList<>();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            problems.add("the last line does not end with a line feed");
        }
        Set<String> helped = new HashSet<>();
        Map<String, String> typed = new HashMap<>();
        Set<String> closedFamilies = new HashSet<>();
        String current = null;
        Set<String> seenLabels = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                String family;
                if (help.matches()) {
                    family = help.group(1);
                    if (!helped.add(family)) {
                        problems.add(n + ": second HELP for " + family);
                    }
                } else if (type.matches()) {
                    family = type.group(1);
                    if (typed.put(family, type.group(2)) != null) {
                        problems.add(n + ": second TYPE for " + family);
                    }
                } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    problems.add(n + ": malformed " + line);
                    continue;
                } else {
                    continue; // a plain comment
                }
                if (!family.equals(current)) {
                    if (current != null) {
                        closedFamilies.add(current);
                    }
                    if (closedFamilies.contains(family)) {
                        problems.add(n + ": family " + family + " appears twice");
                    }
                    current = family;
                    seenLabels = new HashSet<>();
                }
                continue;
            }
            Line sample = parseSample(line, n, problems);
            if (sample == null) {
                continue;
            }
            if (!sample.name().equals(current) && !partOf(sample.name(), current, typed.get(current))) {
                problems.add(n + ": sample " + sample.name() + " outside its family (current " + current + ")");
                continue;
            }
            if (!typed.containsKey(current)) {
                problems.add(n + ": sample before the TYPE line of " + current);
            }
            if (!seenLabels.add(sample.name() + sample.labels())) {
                problems.add(n + ": duplicate sample " + line);
            }
        }
        return problems;
    }

    /** A histogram's {@code _bucket}, {@code _sum} and {@code _count} samples, a summary's {@code _sum} and {@code _count}. */
    private static boolean partOf(String sample, String family, String type) {
        if ("histogram".equals(type) && sample.equals(family + "_bucket")) {
            return true;
        }
        return ("histogram".equals(type) || "summary".equals(type))
                && (sample.equals(family + "_sum") || sample.equals(family + "_count"));
    }

    static Line parseSample(String line, int n, List<String> problems) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            problems.add(n + ": not a sample line: " + line);
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            Matcher l = LABEL.matcher(m.group(3));
            int end = 0;
            while (end < m.group(3).length() && l.find()) {
                if (labels.put(l.group(1), unescape(l.group(2))) != null) {
                    problems.add(n + ": label " + l.group(1) + " twice");
                }
                end = l.end();
            }
            if (end != m.group(3).length()) {
                problems.add(n + ": malformed labels: " + m.group(3));
            }
        }
        if (!VALUE.matcher(m.group(4)).matches()) {
            problems.add(n + ": not a float: " + m.group(4));
        }
        return new Line(m.group(1), labels, m.group(4));
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
