package dev.crmsync.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The repository's own files, as the checks over the whole tree read them: never build output or installed packages.
 */
final class RepositoryFiles {
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", "cdk.out", ".idea");

    private RepositoryFiles() {}

    /** The nearest folder at or above the working directory that holds the root pom and cdk.json. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cdk.json")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "not inside the crm-sync repository: " + Path.of("").toAbsolutePath());
    }

    /** The regular files under {@code root} that {@code wanted} accepts, outside skipped folders. */
    static List<Path> under(Path root, Predicate<Path> wanted) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> StreamSupport.stream(root.relativize(f).spliterator(), false)
                            .noneMatch(part -> SKIPPED_DIRECTORIES.contains(part.toString())))
                    .filter(wanted)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
