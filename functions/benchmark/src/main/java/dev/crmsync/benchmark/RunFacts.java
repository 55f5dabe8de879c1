package dev.crmsync.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the report says about the run itself: when, on what, with which JDK, by which command, for how long. */
record RunFacts(String date, String machine, String jdk, String command, long seconds) {
    static RunFacts describe(String command, String date, long seconds) {
        Runtime runtime = Runtime.getRuntime();
        String machine = String.format(
                Locale.ROOT,
                "%s, %d cores visible to the JVM, %s %s, %s",
                cpuModel().orElse("CPU model unknown"),
                runtime.availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                memory().orElse("memory unknown"));
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (functions compiled for Java 21; Lambda runs them on java25, arm64)";
        return new RunFacts(date, machine, jdk, command, seconds);
    }

    private static Optional<String> cpuModel() {
        return procLine("/proc/cpuinfo", "model name")
                .map(line -> line.substring(line.indexOf(':') + 1).trim());
    }

    private static Optional<String> memory() {
        return procLine("/proc/meminfo", "MemTotal").map(line -> {
            long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            return String.format(Locale.ROOT, "%.1f GB of memory", kb / 1e6);
        });
    }

    private static Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux: the report says it does not know
        }
    }
}
