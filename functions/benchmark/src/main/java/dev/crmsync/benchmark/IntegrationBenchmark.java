package dev.crmsync.benchmark;

import dev.crmsync.contract.IntegrationId;
import dev.crmsync.testkit.AwsEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Measures one integration: each phase on a deployment of its own (its sandbox, table and queue),
 * one handler instance each, so that no phase's state or counts leak into another's.
 */
final class IntegrationBenchmark {
    static final Duration INSTANT = Duration.ZERO;
    static final Duration SLOW_VENDOR = Duration.ofMillis(100);
    static final List<Duration> VENDOR_LATENCIES = List.of(INSTANT, SLOW_VENDOR);
    static final List<Integer> BATCH_SIZES = List.of(1, 10, 100);

    private final IntegrationId id;
    private final AwsEnvironment aws;
    private final BenchmarkSize size;
    private final Path repository;

    IntegrationBenchmark(IntegrationId id, AwsEnvironment aws, BenchmarkSize size, Path repository) {
        this.id = id;
        this.aws = aws;
        this.size = size;
        this.repository = repository;
    }

    IntegrationFigures measure() throws IOException, InterruptedException {
        Map<Duration, List<Throughput>> throughput = new LinkedHashMap<>();
        Map<Duration, List<Long>> overhead = new LinkedHashMap<>();
        RequestCounter.Counts applied;
        RequestCounter.Counts duplicates;
        List<Long> floor;
        double secretsPerRecord;
        CpuProfile.Summary profile;
        try (BenchDeployment instant = BenchDeployment.deploy(id, aws, INSTANT, false)) {
            instant.send(Workload.newRecords(id, size.warmUp()));
            instant.drain(10, size.warmUp());
            List<String> tens = Workload.newRecords(id, size.batchOf10());
            List<Throughput> rows = new ArrayList<>();
            rows.add(batches(instant, 1, size.batchOf1(), overhead, INSTANT));
            instant.send(tens);
            RequestCounter.Counts beforeTens = instant.counter.snapshot();
            profile = CpuProfile.of(() -> rows.add(Throughput.of(10, instant.drain(10, tens.size()))));
            applied = instant.counter.snapshot().minus(beforeTens);
            rows.add(batches(instant, 100, size.batchOf100(), overhead, INSTANT));
            throughput.put(INSTANT, rows);
            RequestCounter.Counts beforeDuplicates = instant.counter.snapshot();
            instant.send(tens);
            instant.drain(10, tens.size());
            duplicates = instant.counter.snapshot().minus(beforeDuplicates);
            int records = size.warmUp() + size.batchOf1() + 2 * size.batchOf10() + size.batchOf100();
            // the secret is cached for the handler instance's life: its reads spread over every record it handled
            secretsPerRecord =
                    instant.counter.snapshot().requests().get(AwsRequestKind.SECRETS_MANAGER) / (double) records;
            floor = WriteFloor.measure(aws, instant.harness.table, size.floor());
        }
        try (BenchDeployment slow = BenchDeployment.deploy(id, aws, SLOW_VENDOR, false)) {
            List<Throughput> rows = new ArrayList<>();
            rows.add(batches(slow, 1, size.batchOf1(), overhead, SLOW_VENDOR));
            rows.add(batches(slow, 10, size.batchOf10(), null, SLOW_VENDOR));
            rows.add(batches(slow, 100, size.batchOf100(), null, SLOW_VENDOR));
            throughput.put(SLOW_VENDOR, rows);
        }
        RequestCounter.Counts failed;
        try (BenchDeployment failing = BenchDeployment.deploy(id, aws, INSTANT, false)) {
            failing.integration.sandbox().failNext("*", ".*", size.failed() * 20, 500);
            failing.send(Workload.newRecords(id, size.failed()));
            RequestCounter.Counts before = failing.counter.snapshot();
            failing.drain(10, size.failed());
            failed = failing.counter.snapshot().minus(before);
        }
        RequestCounter.Counts withEvents;
        Throughput outcomeThroughput;
        try (BenchDeployment publishing = BenchDeployment.deploy(id, aws, INSTANT, true)) {
            publishing.send(Workload.newRecords(id, size.outcomeEvents()));
            RequestCounter.Counts before = publishing.counter.snapshot();
            outcomeThroughput = Throughput.of(10, publishing.drain(10, size.outcomeEvents()));
            withEvents = publishing.counter.snapshot().minus(before);
        }
        return new IntegrationFigures(
                id,
                throughput,
                overhead,
                floor,
                applied,
                size.batchOf10(),
                duplicates,
                failed,
                size.failed(),
                withEvents,
                size.outcomeEvents(),
                outcomeThroughput,
                secretsPerRecord,
                StartupProbe.measure(id, aws),
                jar().map(IntegrationBenchmark::size).orElse(0L),
                jar().map(IntegrationBenchmark::largestPackages).orElse("not built"),
                profile);
    }

    /**
     * {@code records} new records in batches of {@code batchSize}; where {@code overhead} is given, each
     * invocation's time less its connector time is added to it under {@code latency}.
     */
    private Throughput batches(
            BenchDeployment deployment,
            int batchSize,
            int records,
            Map<Duration, List<Long>> overhead,
            Duration latency) {
        deployment.send(Workload.newRecords(id, records));
        List<BenchDeployment.Invocation> invocations = deployment.drain(batchSize, records);
        if (overhead != null && batchSize == 1) {
            overhead.put(
                    latency,
                    invocations.stream().map(i -> i.nanos() - i.vendorNanos()).toList());
        }
        return Throughput.of(batchSize, invocations);
    }

    /** The function's shaded jar (functions/&lt;integration&gt;/target), where it was built. */
    private Optional<Path> jar() throws IOException {
        Path target = repository.resolve("functions").resolve(id.wireName()).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .filter(f -> !f.getFileName().toString().startsWith("original-"))
                    .max(Comparator.comparingLong(IntegrationBenchmark::size));
        }
    }

    private static String largestPackages(Path jar) {
        try {
            return JarContents.largest(jar, 5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
