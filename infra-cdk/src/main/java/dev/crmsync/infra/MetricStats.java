package dev.crmsync.infra;

import dev.crmsync.contract.MetricName;
import java.util.Map;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

/** The statistics and one-minute periods the pipeline's alarms and dashboard read metrics with. */
final class MetricStats {
    static final software.amazon.awscdk.Duration ONE_MINUTE = software.amazon.awscdk.Duration.minutes(1);

    private MetricStats() {}

    static MetricOptions max() {
        return stat("Maximum");
    }

    static MetricOptions sum() {
        return stat("Sum");
    }

    static MetricOptions stat(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(ONE_MINUTE).build();
    }

    /** One of the functions' own metrics of {@code integration}, summed per minute. */
    static Metric summed(MetricName metric, String integration) {
        return summed(metric.namespace(), metric.wireName(), Map.of(MetricName.DIMENSION, integration));
    }

    /** A metric of {@code namespace}, summed per minute. */
    static Metric summed(String namespace, String name, Map<String, String> dimensions) {
        return Metric.Builder.create()
                .namespace(namespace)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic("Sum")
                .period(ONE_MINUTE)
                .build();
    }
}
