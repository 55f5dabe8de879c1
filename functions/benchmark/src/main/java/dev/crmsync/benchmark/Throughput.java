package dev.crmsync.benchmark;

import java.util.List;

/**
 * One handler instance's throughput over some invocations: records per second of handler time
 * (the time Lambda bills; polling is the event source mapping's) and milliseconds per batch, with
 * the part of it spent in the connector (the vendor's calls; added up over parallel calls).
 */
record Throughput(int batchSize, int records, int batches, double handlerMillis, double vendorMillis) {
    static Throughput of(int batchSize, List<BenchDeployment.Invocation> invocations) {
        int records = invocations.stream()
                .mapToInt(BenchDeployment.Invocation::records)
                .sum();
        long nanos = invocations.stream()
                .mapToLong(BenchDeployment.Invocation::nanos)
                .sum();
        long vendorNanos = invocations.stream()
                .mapToLong(BenchDeployment.Invocation::vendorNanos)
                .sum();
        return new Throughput(batchSize, records, invocations.size(), nanos / 1e6, vendorNanos / 1e6);
    }

    double recordsPerSecond() {
        return handlerMillis == 0 ? 0 : records / (handlerMillis / 1000.0);
    }

    double millisPerBatch() {
        return batches == 0 ? 0 : handlerMillis / batches;
    }

    double millisPerRecord() {
        return records == 0 ? 0 : handlerMillis / records;
    }
}
