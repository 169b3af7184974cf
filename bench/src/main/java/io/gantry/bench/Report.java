package io.gantry.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a bench run found, as Markdown: a heading, facts about the machine, then one table per group with notes.
 * Printed as each group ends and written whole to a file, which is what goes into docs/benchmarks.md.
 */
public final class Report {

    /** One table: a title, column headings, rows and notes below it. */
    public static final class Table {
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Table(String title, String... columns) {
            this.title = title;
            this.columns = List.of(columns);
        }

        public Table row(String... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException(title + ": " + cells.length + " cells for " + columns.size()
                        + " columns: " + Arrays.toString(cells));
            }
            rows.add(List.of(cells));
            return this;
        }

        public Table note(String text) {
            notes.add(text);
            return this;
        }

        String markdown() {
            StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
            out.append("| ").append(String.join(" | ", columns)).append(" |\n");
            out.append("|").append("---|".repeat(columns.size())).append("\n");
            for (List<String> row : rows) {
                out.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            if (!notes.isEmpty()) {
                out.append("\n");
                notes.forEach(n -> out.append("- ").append(n).append("\n"));
            }
            return out.append("\n").toString();
        }
    }

    private final StringBuilder header = new StringBuilder();
    private final List<Table> tables = new ArrayList<>();
    private final PrintWriter live;

    /** {@code live} receives each table as soon as it is complete. */
    public Report(PrintWriter live) {
        this.live = live;
    }

    public void header(String text) {
        header.append(text);
        live.print(text);
        live.flush();
    }

    public Table table(String title, String... columns) {
        return new Table(title, columns);
    }

    /** Adds a finished table and prints it. */
    public void add(Table table) {
        tables.add(table);
        live.print(table.markdown());
        live.flush();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder(header);
        tables.forEach(t -> out.append(t.markdown()));
        return out.toString();
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds with a precision that suits their size. */
    public static String ms(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f ms", value)
                : String.format(Locale.ROOT, "%.1f ms", value);
    }

    public static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    public static String number(String format, double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }
}
