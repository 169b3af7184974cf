package io.gantry.app.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.TestImages;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The table "Compatibility with Kanto" of {@code docs/twin.md} names, for each statement of the reference's checklist,
 * the tests that check it: every statement from 1 to 44 has a row, and every test it names exists.
 */
class TwinDocTest {

    private static final List<String> PACKAGES = List.of("io.gantry.ditto", "io.gantry.ditto.protocol",
            "io.gantry.ditto.software", "io.gantry.ditto.feature", "io.gantry.app.twin");
    /** {@code `Class.method_…`}, {@code `Class.method`} or {@code `Class`}, in backticks. */
    private static final Pattern TEST = Pattern.compile("`([A-Z]\\w*(?:Test|IT))(?:\\.(\\w+?)(_…)?)?`");

    @Test
    void compatibilityTable_hasARowForEveryStatement_andNamesTestsThatExist() throws IOException {
        String doc = Files.readString(TestImages.repositoryRoot().resolve("docs/twin.md"));
        int start = doc.indexOf("## Compatibility with Kanto");
        String section = doc.substring(start, doc.indexOf("\n## ", start + 1) < 0 ? doc.length()
                : doc.indexOf("\n## ", start + 1));
        List<Integer> statements = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String row : section.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).toList()) {
            statements.add(Integer.parseInt(row.substring(2, row.indexOf(' ', 2))));
            Matcher test = TEST.matcher(row);
            int found = 0;
            while (test.find()) {
                found++;
                if (!exists(test.group(1), Optional.ofNullable(test.group(2)), test.group(3) != null)) {
                    missing.add(test.group());
                }
            }
            assertThat(found).as("tests named in %s", row).isGreaterThanOrEqualTo(2);
        }

        assertThat(statements).containsExactlyElementsOf(IntStream.rangeClosed(1, 44).boxed().toList());
        assertThat(missing).as("tests the table names that do not exist").isEmpty();
    }

    private static boolean exists(String className, Optional<String> method, boolean prefix) {
        for (String pkg : PACKAGES) {
            try {
                Class<?> type = Class.forName(pkg + "." + className);
                return method.map(m -> Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                        .anyMatch(name -> prefix ? name.startsWith(m + "_") : name.equals(m))).orElse(true);
            } catch (ClassNotFoundException notHere) {
                // try the next package
            }
        }
        return false;
    }
}
