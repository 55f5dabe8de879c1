package dev.crmsync.billing;

import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures what one record costs: DynamoDB and SQS requests per record, Stripe calls, and the
 * billed duration of a batch against a vendor with a fixed latency, with and without concurrent
 * vendor calls. Everything runs on loopback (dynalite, ElasticMQ, the Stripe sandbox), is
 * bounded (a fixed number of records) and stops by itself. Writes BENCHMARKS.md at the
 * repository root.
 *
 * <p>Run: {@code bench/run} (see that script).
 */
public final class PipelineBenchmark {
    private static final int RECORDS = 200;
    private static final int BATCH = 10;
    private static final Duration STRIPE_LATENCY = Duration.ofMillis(50);

    private PipelineBenchmark() {}

    public static void main(String[] args) {
        LocalMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws IOException {
        Path output = Path.of(args.length > 0 ? args[0] : "../../BENCHMARKS.md");
        List<String> rows = new ArrayList<>();
        try (StripeSandbox stripe = StripeSandbox.start()) {
            rows.add(applyRun(stripe, 8));
            rows.add(applyRun(stripe, 1));
        }
        String report = """
                # Benchmarks

                Produced by `bench/run` (`PipelineBenchmark`) on %s: %d cores, Java %s.
                Local servers on loopback: dynalite (DynamoDB's API on an in-memory LevelDB), ElasticMQ,
                the Stripe sandbox answering every request after %d ms. %d `account.upserted` events for new accounts \
                (each: create + update
                customer = 2 Stripe calls), in batches of %d; then the same %d events again (duplicates);
                then %d `deal.closed` events (draft invoice + invoice item + finalize = 3 Stripe calls, one
                `BatchGetItem` per batch for the accounts' customers). Duration is the pipeline's time per \
                batch, i.e. what
                Lambda bills; local servers are slower than the real services, so compare the rows with
                each other rather than with production.

                Where dynalite differs from DynamoDB: it returns no item with a failed conditional write
                (`ReturnValuesOnConditionCheckFailure` is ignored), so each duplicate here costs one
                strongly consistent `GetItem` after its refused claim; on DynamoDB the refusal carries the
                item and a duplicate costs that one write and no read.

                | vendor calls in flight | ms per batch of %d (new accounts) | records/s \
                | DynamoDB writes per applied record \
                | DynamoDB writes per duplicate | DynamoDB reads per duplicate | Stripe calls per duplicate \
                | ms per batch of %d (deals) | DynamoDB reads per deal batch | SQS requests by the function per batch |
                |---|---|---|---|---|---|---|---|---|---|
                %s
                """.formatted(
                        Instant.now().toString().substring(0, 10),
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.version().feature(),
                        STRIPE_LATENCY.toMillis(),
                        RECORDS,
                        BATCH,
                        RECORDS,
                        RECORDS / 4,
                        BATCH,
                        BATCH,
                        String.join("\n", rows));
        Files.writeString(output, report);
        System.out.println(report);
    }

    private static String applyRun(StripeSandbox stripe, int concurrency) {
        stripe.reset();
        BillingHarness harness = new BillingHarness(stripe, 5, 60);
        SyncConfig config = harness.config()
                .withTuning(concurrency, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
        SyncPipeline pipeline =
                SyncPipeline.create(config, harness.clients(), Clock.systemUTC(), Math::random, StripeConnector::new);
        LocalEventSourceMapping esm =
                harness.eventSourceMapping(pipeline, Duration.ofSeconds(60)).batchSize(BATCH);

        List<String> accounts = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String account = TestEvents.unique("001");
            accounts.add(account);
            events.add(TestEvents.accountUpserted(account, 1, "Account " + i));
        }
        stripe.setLatency(STRIPE_LATENCY);

        events.forEach(harness::send);
        harness.dynamoOperations.clear();
        harness.sqsOperations.clear();
        Timed applied = timedDrain(esm);
        long appliedWrites = harness.writes();
        long sqsRequests = harness.sqsOperations.size();

        harness.dynamoOperations.clear();
        int stripeCallsBefore = stripe.calls().size();
        events.forEach(harness::send);
        timedDrain(esm);
        long duplicateWrites = harness.writes();
        long duplicateReads = harness.count("GetItem") + harness.count("BatchGetItem");
        int duplicateStripeCalls = stripe.calls().size() - stripeCallsBefore;

        harness.dynamoOperations.clear();
        for (int i = 0; i < RECORDS / 4; i++) {
            String deal = TestEvents.unique("006");
            harness.send(TestEvents.dealClosed(deal, accounts.get(i), "100.00", "evt-" + deal));
        }
        Timed deals = timedDrain(esm);
        long dealReads = harness.count("BatchGetItem");
        stripe.setLatency(Duration.ZERO);

        return String.format(
                Locale.ROOT,
                "| %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |",
                concurrency,
                applied.millisPerBatch(),
                RECORDS / (applied.totalMillis / 1000.0),
                appliedWrites / (double) RECORDS,
                duplicateWrites / (double) RECORDS,
                duplicateReads / (double) RECORDS,
                duplicateStripeCalls / (double) RECORDS,
                deals.millisPerBatch(),
                dealReads / (double) deals.batches,
                sqsRequests / (double) applied.batches);
    }

    private static Timed timedDrain(LocalEventSourceMapping esm) {
        long totalNanos = 0;
        int batches = 0;
        Instant until = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(until)) {
            long start = System.nanoTime();
            LocalEventSourceMapping.Invocation invocation = esm.pollOnce();
            if (invocation.received() == 0) {
                break;
            }
            totalNanos += System.nanoTime() - start;
            batches++;
        }
        return new Timed(totalNanos / 1_000_000, batches);
    }

    private record Timed(long totalMillis, int batches) {
        double millisPerBatch() {
            return batches == 0 ? 0 : totalMillis / (double) batches;
        }
    }
}
