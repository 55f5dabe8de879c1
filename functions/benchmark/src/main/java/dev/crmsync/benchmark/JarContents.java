package dev.crmsync.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What takes the room in a shaded jar: its compressed bytes by package (three levels deep). */
final class JarContents {
    private JarContents() {}

    /** The {@code limit} largest packages with their share, e.g. {@code software/amazon/awssdk 61%}. */
    static String largest(Path jar, int limit) throws IOException {
        Map<String, Long> bytes = new HashMap<>();
        long total = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                String[] parts = entry.getName().split("/");
                String prefix = String.join("/", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
                long size = Math.max(0, entry.getCompressedSize());
                bytes.merge(prefix.isEmpty() ? "(root)" : prefix, size, Long::sum);
                total += size;
            }
        }
        long all = Math.max(1, total);
        return bytes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> "`" + e.getKey() + "` " + Math.round(100.0 * e.getValue() / all) + "%")
                .collect(Collectors.joining(", "));
    }
}
