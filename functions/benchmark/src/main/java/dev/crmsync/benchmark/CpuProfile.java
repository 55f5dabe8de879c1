package dev.crmsync.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the handler's CPU time goes: a JDK Flight Recorder recording of {@code jdk.ExecutionSample}
 * (every 10 ms) around some work, read back and reduced to the samples of threads running the
 * pipeline (a frame of {@code dev.crmsync.synccore} on the stack; the local servers share the JVM
 * and are left out), then counted by the library each sample's stack passes through and by the
 * method on top of it.
 */
final class CpuProfile {
    /** Libraries by package prefix, in the order a sample is attributed (the first on its stack from the top). */
    private static final Map<String, String> LIBRARIES = libraries();

    private CpuProfile() {}

    /** What the samples showed: their number, shares by library, and the top methods. */
    record Summary(int samples, Map<String, Integer> byLibrary, Map<String, Integer> topMethods) {
        String describe() {
            if (samples == 0) {
                return "no CPU samples in the pipeline's threads";
            }
            String libraries = byLibrary.entrySet().stream()
                    .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / samples) + "%")
                    .collect(Collectors.joining(", "));
            String methods = topMethods.entrySet().stream()
                    .map(e -> "`" + e.getKey() + "` " + Math.round(100.0 * e.getValue() / samples) + "%")
                    .collect(Collectors.joining(", "));
            return samples + " samples; by library: " + libraries + "; top methods: " + methods;
        }
    }

    /** Runs {@code work} under a recording and summarizes it. */
    static Summary of(Runnable work) throws IOException {
        Path file = Files.createTempFile("crm-sync-bench", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            work.run();
            recording.stop();
            recording.dump(file);
            return summarize(RecordingFile.readAllEvents(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Summary summarize(List<RecordedEvent> events) {
        Map<String, Integer> byLibrary = new TreeMap<>();
        Map<String, Integer> byMethod = new TreeMap<>();
        int samples = 0;
        for (RecordedEvent event : events) {
            if (event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            boolean pipeline = frames.stream().anyMatch(f -> typeName(f).startsWith("dev.crmsync.synccore"));
            if (!pipeline || frames.isEmpty()) {
                continue;
            }
            samples++;
            byLibrary.merge(library(frames), 1, Integer::sum);
            RecordedFrame top = frames.get(0);
            byMethod.merge(simpleType(top) + "." + top.getMethod().getName(), 1, Integer::sum);
        }
        return new Summary(samples, largest(byLibrary, 6), largest(byMethod, 5));
    }

    /** The library of the frame nearest the top of the stack that belongs to one (the JDK's own last). */
    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = typeName(frame);
            for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
                if (type.startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
        }
        return "JDK";
    }

    private static Map<String, Integer> largest(Map<String, Integer> counts, int limit) {
        Map<String, Integer> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private static String typeName(RecordedFrame frame) {
        return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
    }

    private static String simpleType(RecordedFrame frame) {
        String name = typeName(frame);
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static Map<String, String> libraries() {
        Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put("software.amazon.awssdk", "AWS SDK");
        libraries.put("com.fasterxml.jackson", "Jackson");
        libraries.put("com.networknt", "JSON schema validation");
        libraries.put("org.apache.logging", "Log4j");
        libraries.put("software.amazon.lambda.powertools", "Powertools");
        libraries.put("software.amazon.cloudwatchlogs", "EMF");
        libraries.put("dev.crmsync", "crm-sync");
        libraries.put("sun.net.www", "JDK HTTP");
        return libraries;
    }
}
