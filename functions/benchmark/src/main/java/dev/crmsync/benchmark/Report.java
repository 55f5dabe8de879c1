package dev.crmsync.benchmark;

import static dev.crmsync.benchmark.IntegrationBenchmark.BATCH_SIZES;
import static dev.crmsync.benchmark.IntegrationBenchmark.VENDOR_LATENCIES;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** BENCHMARKS.md, written from one run's figures. */
final class Report {
    private final StringBuilder out = new StringBuilder();

    private Report() {}

    /** The report of {@code run}. */
    static String of(RunFacts run, List<IntegrationFigures> figures, CostTable cost, List<Targets.Check> checks) {
        Report report = new Report();
        report.header(run, figures);
        report.throughput(figures);
        report.overhead(figures);
        report.requests(figures);
        report.startup(figures);
        report.cost(cost);
        report.targets(checks);
        report.profiles(figures);
        return report.out.toString();
    }

    private void header(RunFacts run, List<IntegrationFigures> figures) {
        line("# Benchmarks");
        line("");
        line("Written by `" + run.command() + "` (`functions/benchmark`, `dev.crmsync.benchmark.Benchmark`) on "
                + run.date() + "; the run took " + run.seconds() + " s.");
        line("");
        line("- Machine: " + run.machine());
        line("- JDK: " + run.jdk());
        line("- Servers, all on 127.0.0.1 in the benchmark's JVM or beside it: dynalite (DynamoDB's API on an"
                + " in-memory LevelDB, a Node.js process), ElasticMQ (SQS), the local Secrets Manager and EventBridge"
                + " endpoints of sync-testkit, and each integration's vendor sandbox (Stripe, Mailchimp, Zendesk,"
                + " Slack), answering instantly or after 100 ms.");
        line("- Integrations: "
                + String.join(
                        ", ",
                        figures.stream()
                                .map(f -> f.id().wireName() + " (" + Workload.detailType(f.id()) + " of new records)")
                                .toList())
                + "; each phase on a deployment of its own, one handler instance, the pipeline"
                + " as the function builds it (`SyncPipeline`, the connector of the integration's handler).");
        line("- The machine is shared (2 cores, other builds running): compare rows of one run with each other"
                + " rather than with another run, and treat single figures as noisy.");
        line("");
        line("**From dynalite, not DynamoDB:** every duration that includes a DynamoDB request (all of them) and the"
                + " write floor; dynalite answers a request in about a millisecond on loopback, DynamoDB in a few"
                + " within a region. The reads per duplicate: dynalite ignores `ReturnValuesOnConditionCheckFailure`,"
                + " so each refused claim costs a `GetItem` here that DynamoDB's refusal, carrying the item, saves.");
        line("");
    }

    private void throughput(List<IntegrationFigures> figures) {
        line("## Throughput of one handler instance");
        line("");
        line("Records per second of handler time (what Lambda bills; polling is the event source mapping's) and"
                + " milliseconds per batch, the queue holding a backlog (batches of 100 as a batching window"
                + " gathers them).");
        line("");
        line("| integration | vendor | records/s, batch 1 | ms/batch 1 | records/s, batch 10 | ms/batch 10"
                + " | records/s, batch 100 | ms/batch 100 |");
        line("|---|---|---|---|---|---|---|---|");
        for (IntegrationFigures f : figures) {
            for (Duration latency : VENDOR_LATENCIES) {
                StringBuilder row = new StringBuilder("| " + f.id().wireName() + " | " + vendor(latency) + " |");
                for (int size : BATCH_SIZES) {
                    Throughput t = f.at(latency, size);
                    row.append(format(" %.0f | %.1f |", t.recordsPerSecond(), t.millisPerBatch()));
                }
                line(row.toString());
            }
        }
        line("");
    }

    private void overhead(List<IntegrationFigures> figures) {
        line("## Per-record overhead outside the vendor's time");
        line("");
        line("Batches of one record: the handler's time less the time spent in the connector's `apply` (the"
                + " vendor's calls). The floor is the record's two conditional writes (claim, commit) sent alone to"
                + " the same dynalite in the same run; the ratio is overhead ÷ floor.");
        line("");
        line("| integration | vendor | overhead p50 ms | overhead p99 ms | floor p50 ms | floor p99 ms"
                + " | ratio p50 | ratio p99 |");
        line("|---|---|---|---|---|---|---|---|");
        for (IntegrationFigures f : figures) {
            double floor50 = Percentiles.millis(f.floorNanos(), 50);
            double floor99 = Percentiles.millis(f.floorNanos(), 99);
            for (Duration latency : VENDOR_LATENCIES) {
                double p50 = Percentiles.millis(f.overheadNanos().get(latency), 50);
                double p99 = Percentiles.millis(f.overheadNanos().get(latency), 99);
                line(format(
                        "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f× | %.1f× |",
                        f.id().wireName(),
                        vendor(latency),
                        p50,
                        p99,
                        floor50,
                        floor99,
                        floor50 == 0 ? 0 : p50 / floor50,
                        floor99 == 0 ? 0 : p99 / floor99));
            }
        }
        line("");
    }

    private void requests(List<IntegrationFigures> figures) {
        line("## AWS requests per record");
        line("");
        line("Counted by an SDK `ExecutionInterceptor` added to the function's own clients"
                + " (`AwsClients.fromEnvironment(interceptors)`); the event source mapping's polls are not the"
                + " function's and are not counted here (the cost table adds them). Instant vendor, batches of 10."
                + " Secrets Manager on the applied rows: the instance's reads over every record it handled (the"
                + " secret is cached).");
        line("");
        line("| integration | per | DynamoDB reads | DynamoDB writes | SQS | Secrets Manager | EventBridge |");
        line("|---|---|---|---|---|---|---|");
        for (IntegrationFigures f : figures) {
            String name = f.id().wireName();
            line("| " + name + " | applied record, outcome events off | "
                    + cells(f.applied(), f.appliedRecords(), f.secretsPerRecord()));
            line("| " + name + " | applied record, outcome events on | "
                    + cells(f.withOutcomeEvents(), f.outcomeRecords(), f.secretsPerRecord()));
            line("| " + name + " | duplicate | "
                    + cells(f.duplicates(), f.appliedRecords(), asCounted(f.duplicates(), f.appliedRecords())));
            line("| " + name + " | failed attempt (vendor 500) | "
                    + cells(f.failed(), f.failedRecords(), asCounted(f.failed(), f.failedRecords())));
        }
        line("");
    }

    private void startup(List<IntegrationFigures> figures) {
        line("## Start-up and size");
        line("");
        line("A fresh JVM running the function's real handler (sync-harness `HandlerProcess`: the handler's static"
                + " initialisation from its environment, one poll, one batch of " + StartupProbe.BATCH
                + " new records, exit), timed from the process's start to its end, without SnapStart, on the"
                + " benchmark's classpath. Log bytes: what that process printed at the deployed level (INFO) per"
                + " record — JSON log lines and EMF metrics, which Lambda sends to CloudWatch Logs.");
        line("");
        line("| integration | fresh JVM to first batch, ms | shaded jar | log bytes per record |");
        line("|---|---|---|---|");
        for (IntegrationFigures f : figures) {
            line(format(
                    "| %s | %d | %s | %.0f |",
                    f.id().wireName(),
                    f.startup().millis(),
                    megabytes(f.jarBytes()),
                    f.startup().logBytesPerRecord()));
        }
        line("");
    }

    private void cost(CostTable cost) {
        CostSection.write(this::line, cost);
    }

    private void targets(List<Targets.Check> checks) {
        line("## Targets");
        line("");
        line("| subject | target | measured | met |");
        line("|---|---|---|---|");
        for (Targets.Check check : checks) {
            line("| " + check.subject() + " | " + check.target() + " | " + check.measured() + " | "
                    + (check.met() ? "yes" : "**no**") + " |");
        }
        line("");
        line("Where a target is missed, the gap and what this run measured as its cause:");
        line("");
        for (Targets.Check check : checks) {
            if (!check.met()) {
                line("- " + check.subject() + ", " + check.target() + " (measured " + check.measured() + "): "
                        + check.cause());
            }
        }
        line("");
    }

    private void profiles(List<IntegrationFigures> figures) {
        line("## CPU profile");
        line("");
        line("JDK Flight Recorder, `jdk.ExecutionSample` every 10 ms, during each integration's instant-vendor"
                + " batches of 10; only samples of threads running the pipeline. By library: the first frame from"
                + " the top of the stack that belongs to one.");
        line("");
        for (IntegrationFigures f : figures) {
            line("- " + f.id().wireName() + ": " + f.profile().describe());
        }
    }

    private static double asCounted(RequestCounter.Counts counts, int records) {
        return counts.requestsPer(AwsRequestKind.SECRETS_MANAGER, records);
    }

    /** {@code reads | writes | SQS | Secrets Manager | EventBridge |}, with the Secrets Manager figure given. */
    private static String cells(RequestCounter.Counts counts, int records, double secrets) {
        return format(
                "%.2f | %.2f | %.2f | %.3f | %.2f |",
                counts.requestsPer(AwsRequestKind.DYNAMODB_READ, records),
                counts.requestsPer(AwsRequestKind.DYNAMODB_WRITE, records),
                counts.requestsPer(AwsRequestKind.SQS, records),
                secrets,
                counts.requestsPer(AwsRequestKind.EVENTBRIDGE, records));
    }

    /** One line of requests per record, e.g. for a cause. */
    static String requestsLine(RequestCounter.Counts counts, int records) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<AwsRequestKind, Long> e : counts.requests().entrySet()) {
            if (e.getValue() > 0) {
                line.append(line.isEmpty() ? "" : ", ")
                        .append(format("%.2f %s", e.getValue() / (double) records, e.getKey().label));
            }
        }
        return line.isEmpty() ? "none" : line.toString();
    }

    static String megabytes(long bytes) {
        return bytes == 0 ? "not built" : format("%.1f MB", bytes / 1e6);
    }

    private static String vendor(Duration latency) {
        return latency.isZero() ? "instant" : latency.toMillis() + " ms";
    }

    static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
