package dev.crmsync.benchmark;

import java.util.List;

/** Nearest-rank percentiles of a list of durations in nanoseconds, reported in milliseconds. */
final class Percentiles {
    private Percentiles() {}

    static double millis(List<Long> nanos, double percentile) {
        if (nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1e6;
    }
}
