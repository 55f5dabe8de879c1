package dev.crmsync.benchmark;

/**
 * How many records each phase sends an integration. {@link #FULL} is what bench/run measures (a
 * few minutes for the four integrations); {@link #TINY} only shows that every figure is produced.
 *
 * @param warmUp        records through the handler before anything is measured (the JIT's warm-up)
 * @param batchOf1      records invoked one per batch (the per-record overhead is measured on these)
 * @param batchOf10     records in batches of 10 (also the applied-record and duplicate counts)
 * @param batchOf100    records in batches of 100 (a batching window on a backlog)
 * @param failed        records whose every vendor call fails (the failed-attempt counts)
 * @param outcomeEvents records with outcome events published
 * @param floor         claim + commit pairs timed alone
 */
record BenchmarkSize(
        int warmUp, int batchOf1, int batchOf10, int batchOf100, int failed, int outcomeEvents, int floor) {
    static final BenchmarkSize FULL = new BenchmarkSize(100, 40, 200, 300, 50, 100, 200);
    static final BenchmarkSize TINY = new BenchmarkSize(0, 2, 10, 20, 3, 5, 5);
}
