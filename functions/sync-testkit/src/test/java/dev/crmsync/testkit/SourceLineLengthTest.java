package dev.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Java lines of at most 120 columns (docs/CONTRIBUTING.md, "Formatting"). The formatter wraps code at
 * that width but leaves long comments and string literals as they are: this check covers those. A
 * comment line that holds a URL may be longer: a source's address is not broken. Needs no server.
 */
class SourceLineLengthTest {
    static final int MAX_COLUMNS = 120;

    @Test
    void noJavaLineIsLongerThan120Columns() {
        Path root = RepositoryFiles.root();
        List<String> violations = new ArrayList<>();
        for (Path file :
                RepositoryFiles.under(root, f -> f.getFileName().toString().endsWith(".java"))) {
            violations.addAll(longLines(root.relativize(file).toString(), RepositoryFiles.read(file)));
        }
        assertThat(violations)
                .as("lines over %d columns: wrap the comment or split the string", MAX_COLUMNS)
                .isEmpty();
    }

    @Test
    void theCheckCountsColumnsNotBytes() {
        String fits = "x".repeat(MAX_COLUMNS - 1) + "é";
        String over = "x".repeat(MAX_COLUMNS + 1);
        String source = " * https://example.com/" + "x".repeat(MAX_COLUMNS);
        assertThat(longLines("A.java", fits + "\n" + over + "\n" + source + "\n"))
                .containsExactly("A.java:2 (121 columns)");
    }

    static List<String> longLines(String name, String text) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int columns = lines[i].codePointCount(0, lines[i].length());
            if (columns > MAX_COLUMNS && !isCommentCitingAUrl(lines[i])) {
                found.add(name + ":" + (i + 1) + " (" + columns + " columns)");
            }
        }
        return found;
    }

    private static boolean isCommentCitingAUrl(String line) {
        String code = line.strip();
        return (code.startsWith("*") || code.startsWith("//")) && code.contains("https://");
    }
}
