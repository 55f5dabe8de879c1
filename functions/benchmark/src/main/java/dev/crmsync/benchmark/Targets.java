package dev.crmsync.benchmark;

import static dev.crmsync.benchmark.IntegrationBenchmark.INSTANT;
import static dev.crmsync.benchmark.IntegrationBenchmark.SLOW_VENDOR;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets, checked against one run's figures: for each integration and target, what
 * was measured, whether it is met, and where it is not, the gap and what the run measured as its cause.
 */
final class Targets {
    private Targets() {}

    /** One target checked for one integration (or for the whole mix). */
    record Check(String subject, String target, String measured, boolean met, String cause) {}

    static List<Check> check(List<IntegrationFigures> figures, CostTable cost, long jvmBaselineMillis) {
        List<Check> checks = new ArrayList<>();
        for (IntegrationFigures f : figures) {
            String name = f.id().wireName();
            double p99 = Percentiles.millis(f.overheadNanos().get(INSTANT), 99);
            double p50 = Percentiles.millis(f.overheadNanos().get(INSTANT), 50);
            double floor99 = Percentiles.millis(f.floorNanos(), 99);
            double floor50 = Percentiles.millis(f.floorNanos(), 50);
            String overheadCause = String.format(
                    Locale.ROOT,
                    "the two writes alone take %.1f ms (p50) / %.1f ms (p99) on dynalite, the pipeline %.1f / %.1f ms;"
                            + " the rest is the pipeline's CPU and its other requests (%s per record). Profile: %s",
                    floor50,
                    floor99,
                    p50,
                    p99,
                    Report.requestsLine(f.applied(), f.appliedRecords()),
                    f.profile().describe());
            checks.add(new Check(name, "overhead p99 < 5 ms", ms(p99), p99 < 5, overheadCause));
            checks.add(new Check(
                    name,
                    "overhead within 1.5× the two writes (p50, p99)",
                    String.format(Locale.ROOT, "%.1f×, %.1f×", ratio(p50, floor50), ratio(p99, floor99)),
                    ratio(p50, floor50) <= 1.5 && ratio(p99, floor99) <= 1.5,
                    overheadCause));
            Throughput instant = f.at(INSTANT, 10);
            checks.add(new Check(
                    name,
                    "batch of 10, instant vendor: ≥ 300 records/s",
                    String.format(Locale.ROOT, "%.0f records/s", instant.recordsPerSecond()),
                    instant.recordsPerSecond() >= 300,
                    String.format(
                            Locale.ROOT,
                            "%.1f ms per record, of which %.1f ms in the connector (loopback HTTP to the sandbox,"
                                    + " added over parallel calls). Profile: %s",
                            instant.millisPerRecord(),
                            instant.vendorMillis() / Math.max(1, instant.records()),
                            f.profile().describe())));
            Throughput slow = f.at(SLOW_VENDOR, 10);
            checks.add(new Check(
                    name,
                    "batch of 10, 100 ms vendor: ≥ 50 records/s",
                    String.format(Locale.ROOT, "%.0f records/s", slow.recordsPerSecond()),
                    slow.recordsPerSecond() >= 50,
                    String.format(
                            Locale.ROOT,
                            "%.0f ms per batch; the connector's calls add up to %.0f ms per batch, i.e. %.1f calls"
                                    + " of 100 ms per record, at most 8 in flight (CRM_SYNC_MAX_CONCURRENCY)",
                            slow.millisPerBatch(),
                            slow.vendorMillis() / Math.max(1, slow.batches()),
                            slow.vendorMillis() / Math.max(1, slow.records()) / 100)));
            checks.add(requests(f));
            checks.add(new Check(
                    name,
                    "jar < 20 MB",
                    Report.megabytes(f.jarBytes()),
                    f.jarBytes() > 0 && f.jarBytes() < 20_000_000L,
                    "largest packages in the jar: " + f.jarLargestPackages()));
            checks.add(new Check(
                    name,
                    "fresh JVM to first batch < 1.5 s",
                    f.startup().millis() + " ms",
                    f.startup().millis() < 1500,
                    "a JVM that only prints its version takes " + jvmBaselineMillis
                            + " ms here; the rest is loading and initialising the handler's classes (SDK"
                            + " clients, Jackson, the schema, Log4j) and the first batch's requests"));
        }
        double[] total = cost.total();
        checks.add(new Check(
                "all",
                "≤ $4 per million CRM events, outcome events off",
                String.format(Locale.ROOT, "$%.2f", total[0]),
                total[0] <= 4,
                "largest line: " + largestLine(cost)));
        return checks;
    }

    private static Check requests(IntegrationFigures f) {
        RequestCounter.Counts applied = f.applied();
        int n = f.appliedRecords();
        double writes = applied.requestsPer(AwsRequestKind.DYNAMODB_WRITE, n);
        double reads = applied.requestsPer(AwsRequestKind.DYNAMODB_READ, n);
        double sqs = applied.requestsPer(AwsRequestKind.SQS, n);
        double events = f.withOutcomeEvents().requestsPer(AwsRequestKind.EVENTBRIDGE, f.outcomeRecords());
        boolean met = writes <= 2 && reads <= 0.5 && sqs <= 0.2 && f.secretsPerRecord() <= 0.01 && events <= 0.1;
        return new Check(
                f.id().wireName(),
                "per applied record ≤ 2 writes, 0.5 reads, 0.2 SQS, 0.01 Secrets Manager, 0.1 EventBridge",
                String.format(
                        Locale.ROOT, "%.2f, %.2f, %.2f, %.3f, %.2f", writes, reads, sqs, f.secretsPerRecord(), events),
                met,
                "Secrets Manager: one read per handler instance (cached), spread over the records this run sent"
                        + " it; on Lambda an instance handles many more");
    }

    private static String largestLine(CostTable cost) {
        return cost.lines().entrySet().stream()
                .max(java.util.Comparator.comparingDouble(e -> e.getValue()[0]))
                .map(e -> String.format(Locale.ROOT, "%s, $%.2f", e.getKey(), e.getValue()[0]))
                .orElse("none");
    }

    private static double ratio(double value, double floor) {
        return floor == 0 ? 0 : value / floor;
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }
}
