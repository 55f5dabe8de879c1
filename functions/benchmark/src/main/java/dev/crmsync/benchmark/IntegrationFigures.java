package dev.crmsync.benchmark;

import dev.crmsync.contract.IntegrationId;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every figure measured for one integration in one run.
 *
 * @param throughput        by vendor latency (instant, 100 ms), the batch sizes 1, 10 and 100
 * @param overheadNanos     by vendor latency: per record at batch size 1, the handler's time less the connector's
 * @param floorNanos        claim + commit pairs timed alone on the same servers
 * @param applied           requests of the batch-of-10 phase (instant vendor), per {@code appliedRecords}
 * @param duplicates        requests of the same events sent again, per {@code appliedRecords}
 * @param failed            requests of records whose vendor calls all failed, per {@code failedRecords}
 * @param withOutcomeEvents requests of a phase with outcome events published, per {@code outcomeRecords}
 * @param outcomeThroughput that phase's throughput (instant vendor, batches of 10)
 * @param secretsPerRecord  Secrets Manager requests per record over a whole handler instance's life
 * @param jarBytes          the shaded jar's size, 0 where it was not built
 * @param jarLargestPackages what takes the room in it
 * @param profile           where the handler's CPU time went in the instant batch-of-10 phase
 */
record IntegrationFigures(
        IntegrationId id,
        Map<Duration, List<Throughput>> throughput,
        Map<Duration, List<Long>> overheadNanos,
        List<Long> floorNanos,
        RequestCounter.Counts applied,
        int appliedRecords,
        RequestCounter.Counts duplicates,
        RequestCounter.Counts failed,
        int failedRecords,
        RequestCounter.Counts withOutcomeEvents,
        int outcomeRecords,
        Throughput outcomeThroughput,
        double secretsPerRecord,
        StartupProbe.Startup startup,
        long jarBytes,
        String jarLargestPackages,
        CpuProfile.Summary profile) {

    Throughput at(Duration latency, int batchSize) {
        return throughput.get(latency).stream()
                .filter(t -> t.batchSize() == batchSize)
                .findFirst()
                .orElseThrow();
    }
}
