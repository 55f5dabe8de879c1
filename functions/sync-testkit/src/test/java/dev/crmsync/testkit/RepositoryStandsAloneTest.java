package dev.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Users clone the repository with nothing beside it: no code, build file or script may read a file
 * outside the repository root. Scans every source, build file and script for paths that climb above
 * the root (more {@code ..} than the file's module lies deep), name a folder beside the clone
 * ({@code shared/}) or an absolute home or workspace path. Needs no server.
 */
class RepositoryStandsAloneTest {
    private static final Pattern PARENT_CHAIN = Pattern.compile("\\.\\.(?:[/\\\\]\\.\\.)*(?![.\\w])");
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("(?<![\\w-])shared[/\\\\](?:vendor|hooks|DESIGN|DEPENDENCIES|STYLE)"),
            Pattern.compile("\\.\\./shared\\b"),
            Pattern.compile("user\\.home"),
            Pattern.compile("[\"'](?:/work|/home|/Users)/"));

    @Test
    void noFileReadsOutsideTheRepository() {
        Path root = RepositoryFiles.root();
        List<String> violations = new ArrayList<>();
        for (Path file : RepositoryFiles.under(root, RepositoryStandsAloneTest::isCodeOrBuild)) {
            violations.addAll(violations(root, file, RepositoryFiles.read(file)));
        }
        assertThat(violations).as("references outside the repository root").isEmpty();
    }

    @Test
    void theCheckCatchesPathsThatLeaveTheRepository() {
        Path root = Path.of("/repo");
        Path moduleFile = root.resolve("functions/billing/src/test/java/Fixtures.java");
        String besideTheClone = "shared" + "/vendor/stripe/fixtures3.json";
        assertThat(violations(root, moduleFile, "Path.of(\"" + up(2) + "/events/samples\")"))
                .isEmpty();
        assertThat(violations(root, moduleFile, "Path.of(\"" + up(3) + "/" + besideTheClone + "\")"))
                .hasSize(2);
        assertThat(violations(root, moduleFile, "Path.of(\"" + up(3) + "/elsewhere/file.json\")"))
                .hasSize(1);
        assertThat(violations(root, root.resolve("local/run"), "cd \"$(dirname \"$0\")/" + up(1) + "\""))
                .isEmpty();
        assertThat(violations(root, root.resolve("local/run"), "cat \"$(dirname \"$0\")/" + up(2) + "/x\""))
                .hasSize(1);
        assertThat(violations(root, moduleFile, "System.getProperty(\"user" + ".home\")"))
                .hasSize(1);
        assertThat(violations(root, moduleFile, "new File(\"/" + "work/" + besideTheClone + "\")"))
                .hasSize(1);
    }

    /** {@code ..} repeated {@code levels} times, joined by '/': written this way so this file holds no such path. */
    private static String up(int levels) {
        return String.join("/", java.util.Collections.nCopies(levels, ".."));
    }

    /** What in {@code text} of {@code file} points outside {@code root}. */
    static List<String> violations(Path root, Path file, String text) {
        List<String> found = new ArrayList<>();
        int depth = root.relativize(baseDirectory(root, file)).getNameCount();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            int i = n;
            String where = root.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip();
            Matcher chain = PARENT_CHAIN.matcher(lines[i]);
            while (chain.find()) {
                int ups = (chain.group().length() + 1) / 3;
                if (ups > depth) {
                    found.add(where + " (climbs " + ups + " levels from a folder " + depth + " deep)");
                }
            }
            if (OUTSIDE.stream().anyMatch(outside -> outside.matcher(lines[i]).find())) {
                found.add(where + " (names a path outside the repository)");
            }
        }
        return found;
    }

    /**
     * The folder relative paths in {@code file} are resolved from: its Maven module (the working
     * directory of tests and builds: the folder holding {@code src}) for sources, the file's own
     * folder otherwise (build files sit in their module; scripts resolve from their own folder).
     */
    private static Path baseDirectory(Path root, Path file) {
        Path relative = root.relativize(file);
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (relative.getName(i).toString().equals("src")) {
                return i == 0 ? root : root.resolve(relative.subpath(0, i));
            }
        }
        return file.getParent();
    }

    private static boolean isCodeOrBuild(Path file) {
        String name = file.getFileName().toString();
        String parent = file.getParent().getFileName().toString();
        return name.endsWith(".java")
                || name.endsWith(".js")
                || name.endsWith(".sh")
                || name.endsWith(".xml")
                || name.equals("cdk.json")
                || name.equals("package.json")
                || Set.of("local", "bench", ".ci").contains(parent);
    }
}
