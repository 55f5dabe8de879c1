package dev.crmsync.benchmark;

import static dev.crmsync.benchmark.Report.format;

import dev.crmsync.contract.IntegrationId;
import java.util.Map;
import java.util.function.Consumer;

/** The cost section of BENCHMARKS.md: the mix, the table per million CRM events, the iPaaS comparison, the prices. */
final class CostSection {
    private CostSection() {}

    static void write(Consumer<String> line, CostTable cost) {
        SampleMix mix = cost.mix();
        line.accept("## Cost per million CRM events");
        line.accept("");
        StringBuilder routed = new StringBuilder();
        for (IntegrationId id : IntegrationId.values()) {
            routed.append(routed.isEmpty() ? "" : ", ")
                    .append(format("%s %.1f", id.wireName(), mix.recordsPerEvent(id)));
        }
        line.accept(format(
                "The mix: one event per valid sample (%d detail-type samples of events/samples/valid), each fanned out"
                        + " as events/routing.json says: %.1f records per CRM event (%s). Each record priced as an"
                        + " applied record of its integration: this run's requests, its handler time per record at"
                        + " batches of 10 with the 100 ms vendor, and its log bytes; the function as deployed"
                        + " (arm64, %d MB, batches of %d). Not measured, added as stated: one SQS request per"
                        + " record for EventBridge's delivery to the queue, %.0f per batch for the event source"
                        + " mapping's receive and delete, %d bytes of Lambda's own log lines per invocation, and the"
                        + " CRM's own PutEvents onto the bus; idle polling of empty queues (a fixed monthly amount)"
                        + " is left out. Outcome events on: the default outcomes (applied, failed) published, with"
                        + " their counted PutEvents entries and the handler time they add.",
                mix.events(),
                mix.totalRecordsPerEvent(),
                routed,
                CostTable.MEMORY_MB,
                CostTable.BATCH_SIZE,
                CostTable.MAPPING_SQS_REQUESTS_PER_BATCH,
                CostTable.PLATFORM_LOG_BYTES_PER_INVOCATION));
        line.accept("");
        line.accept("| line | outcome events off | outcome events on |");
        line.accept("|---|---|---|");
        for (Map.Entry<String, double[]> e : cost.lines().entrySet()) {
            line.accept(format("| %s | $%.3f | $%.3f |", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        double[] total = cost.total();
        line.accept(format("| **total** | **$%.2f** | **$%.2f** |", total[0], total[1]));
        line.accept("");
        line.accept(format(
                "The same million events on a per-task iPaaS plan, Zapier Professional ($89 a month for 5,000"
                        + " tasks, $%.4f a task), one task per record an integration handles (a lower bound: a"
                        + " Zap step per vendor call would count more): **$%,.0f**, before the 1.25× overage rate"
                        + " that tasks beyond the plan's cost.",
                Price.ZAPIER_PROFESSIONAL_TASK.dollars(), cost.zapier()));
        line.accept("");
        line.accept("Prices (us-east-1 list prices, no free tier), each as read on " + Price.READ_ON
                + " from the page named; no AWS or Zapier pricing page itself was available to read, so check them"
                + " there before relying on them:");
        line.accept("");
        line.accept("| item | price | source |");
        line.accept("|---|---|---|");
        for (Price price : Price.all()) {
            line.accept(
                    format("| %s | $%.10g per %s | %s |", price.item(), price.dollars(), price.unit(), price.source()));
        }
        line.accept("");
    }
}
