package dev.crmsync.benchmark;

import dev.crmsync.contract.IntegrationId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a million CRM events of the {@link SampleMix} cost on AWS, by line of the bill, with outcome
 * events off and on: each integration's measured requests, duration and log bytes per record, times
 * the records the mix routes to it, at the {@link Price}s. The function runs as the stack deploys it
 * (infra-cdk's {@code IntegrationPipeline} defaults, which the catalog keeps): arm64, 1,024 MB, batches
 * of 10 behind a batching window.
 */
final class CostTable {
    static final int MEMORY_MB = 1024;
    static final int BATCH_SIZE = 10;
    /** Lambda's own START, END and REPORT lines per invocation: an estimate (not measured locally). */
    static final int PLATFORM_LOG_BYTES_PER_INVOCATION = 350;
    /** Per batch the event source mapping sends one ReceiveMessage and one DeleteMessageBatch. */
    static final double MAPPING_SQS_REQUESTS_PER_BATCH = 2;

    private static final double EVENTS = 1_000_000;

    private final SampleMix mix;
    private final List<IntegrationFigures> figures;

    CostTable(SampleMix mix, List<IntegrationFigures> figures) {
        this.mix = mix;
        this.figures = figures;
    }

    /** Dollars per million CRM events, by line, with outcome events off ({@code [0]}) and on ({@code [1]}). */
    Map<String, double[]> lines() {
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (IntegrationFigures f : figures) {
            double records = EVENTS * mix.recordsPerEvent(f.id());
            add(lines, "Lambda requests", records / BATCH_SIZE * Price.LAMBDA_REQUEST.dollars(), 0);
            double seconds = f.at(IntegrationBenchmark.SLOW_VENDOR, BATCH_SIZE).millisPerRecord() / 1000;
            double eventsSeconds = Math.max(
                            0,
                            f.outcomeThroughput().millisPerRecord()
                                    - f.at(IntegrationBenchmark.INSTANT, BATCH_SIZE)
                                            .millisPerRecord())
                    / 1000;
            double gbSeconds = MEMORY_MB / 1024.0 * Price.LAMBDA_ARM_GB_SECOND.dollars();
            add(
                    lines,
                    "Lambda duration (arm64, 1,024 MB)",
                    records * seconds * gbSeconds,
                    records * eventsSeconds * gbSeconds);
            add(
                    lines,
                    "DynamoDB writes",
                    records
                            * f.applied().unitsPer(AwsRequestKind.DYNAMODB_WRITE, f.appliedRecords())
                            * Price.DYNAMODB_WRITE.dollars(),
                    records
                            * (f.withOutcomeEvents().unitsPer(AwsRequestKind.DYNAMODB_WRITE, f.outcomeRecords())
                                    - f.applied().unitsPer(AwsRequestKind.DYNAMODB_WRITE, f.appliedRecords()))
                            * Price.DYNAMODB_WRITE.dollars());
            add(
                    lines,
                    "DynamoDB reads",
                    records
                            * f.applied().unitsPer(AwsRequestKind.DYNAMODB_READ, f.appliedRecords())
                            * Price.DYNAMODB_READ.dollars(),
                    0);
            double sqs = f.applied().requestsPer(AwsRequestKind.SQS, f.appliedRecords())
                    + MAPPING_SQS_REQUESTS_PER_BATCH / BATCH_SIZE
                    + 1; // EventBridge's delivery of the event to the queue
            add(
                    lines,
                    "SQS (delivery, the mapping's polls, the function's)",
                    records * sqs * Price.SQS_REQUEST.dollars(),
                    0);
            add(lines, "Secrets Manager", records * f.secretsPerRecord() * Price.SECRETS_MANAGER_CALL.dollars(), 0);
            add(
                    lines,
                    "EventBridge outcome events",
                    0,
                    records
                            * f.withOutcomeEvents().unitsPer(AwsRequestKind.EVENTBRIDGE, f.outcomeRecords())
                            * Price.EVENTBRIDGE_EVENT.dollars());
            double logBytes = f.startup().logBytesPerRecord() + PLATFORM_LOG_BYTES_PER_INVOCATION / (double) BATCH_SIZE;
            add(lines, "CloudWatch Logs ingestion", records * logBytes * Price.LOGS_INGESTION.dollars(), 0);
        }
        add(lines, "EventBridge: the CRM's events onto the bus", EVENTS * Price.EVENTBRIDGE_EVENT.dollars(), 0);
        return lines;
    }

    /** The total with outcome events off ({@code [0]}) and on ({@code [1]}). */
    double[] total() {
        double[] total = new double[2];
        lines().values().forEach(v -> {
            total[0] += v[0];
            total[1] += v[1];
        });
        return total;
    }

    /** The same events on Zapier's Professional plan: one task per record an integration handles (a lower bound). */
    double zapier() {
        return EVENTS * mix.totalRecordsPerEvent() * Price.ZAPIER_PROFESSIONAL_TASK.dollars();
    }

    SampleMix mix() {
        return mix;
    }

    /** {@code off} is the line with outcome events off; {@code extraWhenOn} what turning them on adds. */
    private static void add(Map<String, double[]> lines, String line, double off, double extraWhenOn) {
        double[] v = lines.computeIfAbsent(line, k -> new double[2]);
        v[0] += off;
        v[1] += off + extraWhenOn;
    }

    /** The records per CRM event the mix gives {@code id}. */
    double recordsPerEvent(IntegrationId id) {
        return mix.recordsPerEvent(id);
    }
}
