package dev.crmsync.infra;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of the {@link Catalog}: an integration, the function that serves it and how hard its
 * pipeline may push. {@link #of} fills the tuning with {@link IntegrationPipeline}'s defaults; the
 * canonical constructor states every value for an integration that needs others.
 *
 * @param name           short lower-case name ({@code billing}); part of every resource name,
 *                       the value of {@code CRM_SYNC_INTEGRATION} and of the metric dimension
 *                       {@code integration}
 * @param handlerClass   the {@code RequestHandler<SQSEvent, SQSBatchResponse>} class; its
 *                       {@code handleRequest} is the Lambda handler
 * @param functionJar    the shaded jar that {@code mvn package} builds, relative to the repo root
 * @param detailTypes    the CRM detail-types the integration's rule routes to its queue
 * @param retryBudget    receives of one message before SQS moves it to the DLQ (maxReceiveCount)
 * @param batchSize      records per invocation
 * @param batchingWindow how long the event source mapping gathers a batch
 * @param maxConcurrency most concurrent invocations the event source mapping starts
 * @param timeout        function timeout
 * @param memoryMb       function memory in MB (CPU scales with it)
 */
public record Integration(
        String name,
        String handlerClass,
        String functionJar,
        List<String> detailTypes,
        int retryBudget,
        int batchSize,
        Duration batchingWindow,
        int maxConcurrency,
        Duration timeout,
        int memoryMb) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,23}");

    public Integration {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("integration name must match " + NAME + ": " + name);
        }
        if (handlerClass == null || handlerClass.isBlank() || functionJar == null || functionJar.isBlank()) {
            throw new IllegalArgumentException(name + ": handler class and function jar are required");
        }
        detailTypes = List.copyOf(detailTypes);
        if (detailTypes.isEmpty()) {
            throw new IllegalArgumentException(name + ": an integration consumes at least one detail-type");
        }
        requireBetween(name, "retryBudget", retryBudget, 1, 1000);
        requireBetween(name, "batchSize", batchSize, 1, 10_000);
        requireBetween(name, "batchingWindow (s)", batchingWindow.toSeconds(), 0, 300);
        if (batchSize > 10 && batchingWindow.isZero()) {
            throw new IllegalArgumentException(name + ": a batch size above 10 needs a batching window");
        }
        // The event source mapping's own bounds: below 2 it refuses, above 1000 it is capped.
        requireBetween(name, "maxConcurrency", maxConcurrency, 2, 1000);
        requireBetween(name, "timeout (s)", timeout.toSeconds(), 1, 900);
        requireBetween(name, "memoryMb", memoryMb, 128, 10_240);
    }

    /** An integration with the pipeline's defaults for everything but what it is and what it consumes. */
    public static Integration of(String name, String handlerClass, String functionJar, List<String> detailTypes) {
        return new Integration(name, handlerClass, functionJar, detailTypes,
                IntegrationPipeline.DEFAULT_RETRY_BUDGET,
                IntegrationPipeline.DEFAULT_BATCH_SIZE,
                IntegrationPipeline.DEFAULT_BATCHING_WINDOW,
                IntegrationPipeline.DEFAULT_MAX_CONCURRENCY,
                IntegrationPipeline.DEFAULT_TIMEOUT,
                IntegrationPipeline.DEFAULT_MEMORY_MB);
    }

    /** The Lambda handler string. */
    public String handler() {
        return handlerClass + "::handleRequest";
    }

    private static void requireBetween(String name, String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + what + " must be within " + min + ".." + max + ", was " + value);
        }
    }
}
