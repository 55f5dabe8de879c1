package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.contract.OutcomeType;
import dev.crmsync.contract.ReceiveBackstop;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One entry of the {@link Catalog}: an integration, the function that serves it and how hard its
 * pipeline may push. {@link #builder} starts from {@link IntegrationPipeline}'s defaults and the
 * entry states only what differs.
 *
 * <p>Retries end by time: a change that keeps failing for a retryable reason (vendor down, 5xx,
 * 429, timeout) is retried until {@code retryWindow} has passed since the queue first delivered
 * it, and only then goes to the DLQ with a status record. The default window,
 * {@link ReceiveBackstop#DEFAULT_WINDOW} (7 h), rides out a vendor outage of up to 6 h 45 min (the
 * window less one backoff cap) with nothing in the DLQ. The stack derives the rest from the
 * window: the queue's maxReceiveCount (only a backstop, see
 * {@link RetryArithmetic#maxReceiveCount}), its retention and the age alarm's threshold.
 *
 * @param name           short lower-case name ({@code billing}); part of every resource name,
 *                       the value of {@code CRM_SYNC_INTEGRATION} and of the metric dimension
 *                       {@code integration}
 * @param handlerClass   the {@code RequestHandler<SQSEvent, SQSBatchResponse>} class; its
 *                       {@code handleRequest} is the Lambda handler
 * @param functionJar    the shaded jar that {@code mvn package} builds, relative to the repo root
 * @param detailTypes    the CRM detail-types the integration's rule routes to its queue
 * @param retryWindow    how long after its first receive a change is retried before it goes to the
 *                       DLQ; whole seconds, at most {@link RetryArithmetic#LONGEST_RETRY_WINDOW}
 * @param batchSize      records per invocation
 * @param batchingWindow how long the event source mapping gathers a batch
 * @param maxConcurrency most concurrent invocations the event source mapping starts
 * @param timeout        function timeout
 * @param memoryMb       function memory in MB (CPU scales with it)
 * @param vendor         the external system, as the README's catalog table names it ({@code Stripe});
 *                       null until {@link Builder#vendor} names it (the catalog test then fails)
 * @param publishedOutcomes which outcome events ({@code sync.applied}, {@code sync.failed},
 *                       {@code sync.skipped}) the function publishes on the bus
 *                       ({@code CRM_SYNC_PUBLISH_OUTCOMES}); default {@link OutcomeType#defaults}
 *                       (applied and failed); empty for none
 * @param vendorCallsPerInvocation most vendor calls one invocation has in flight at once
 *                       ({@code CRM_SYNC_MAX_CONCURRENCY}); default {@link
 * IntegrationPipeline#DEFAULT_VENDOR_CALLS_PER_INVOCATION}
 * @param vendorConnectionLimit the vendor's limit of simultaneous requests per account (Mailchimp: 10), or 0
 *                       for none: {@code maxConcurrency × vendorCallsPerInvocation} must not exceed it, so
 *                       the integration can never be the one that pushes the account over it
 * @param options        per-deployment connector options by NAME ({@code CRM_SYNC_OPTION_<NAME>}),
 *                       e.g. an audience or a channel
 */
public record Integration(
        String name,
        String handlerClass,
        String functionJar,
        List<String> detailTypes,
        Duration retryWindow,
        int batchSize,
        Duration batchingWindow,
        int maxConcurrency,
        Duration timeout,
        int memoryMb,
        String vendor,
        Set<OutcomeType> publishedOutcomes,
        int vendorCallsPerInvocation,
        int vendorConnectionLimit,
        Map<String, ConnectorOption> options) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,23}");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

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
        for (OutcomeType outcome : OutcomeType.values()) {
            if (detailTypes.contains(outcome.detailType())) {
                throw new IllegalArgumentException(
                        name + ": " + outcome.detailType() + " is crm-sync's own outcome event, not a CRM"
                                + " change; an integration's rule must never consume it (subscribe to outcome events "
                                + "with a rule of your own)");
            }
        }
        RetryArithmetic.requireRetryWindow(name, retryWindow);
        requireBetween(name, "batchSize", batchSize, 1, 10_000);
        requireBetween(name, "batchingWindow (s)", batchingWindow.toSeconds(), 0, 300);
        if (batchSize > 10 && batchingWindow.isZero()) {
            throw new IllegalArgumentException(name + ": a batch size above 10 needs a batching window");
        }
        // The event source mapping's own bounds: below 2 it refuses, above 1000 it is capped.
        requireBetween(name, "maxConcurrency", maxConcurrency, 2, 1000);
        requireBetween(name, "timeout (s)", timeout.toSeconds(), 1, 900);
        requireBetween(name, "memoryMb", memoryMb, 128, 10_240);
        if (vendor != null && vendor.isBlank()) {
            throw new IllegalArgumentException(name + ": vendor must not be blank");
        }
        publishedOutcomes = publishedOutcomes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(publishedOutcomes));
        requireBetween(name, "vendorCallsPerInvocation", vendorCallsPerInvocation, 1, 256);
        requireBetween(name, "vendorConnectionLimit", vendorConnectionLimit, 0, 100_000);
        if (vendorConnectionLimit > 0 && (long) maxConcurrency * vendorCallsPerInvocation > vendorConnectionLimit) {
            throw new IllegalArgumentException(
                    name + ": maxConcurrency (" + maxConcurrency + ") × vendorCallsPerInvocation ("
                            + vendorCallsPerInvocation + ") = " + (long) maxConcurrency * vendorCallsPerInvocation
                            + " simultaneous vendor requests, above the vendor's limit of " + vendorConnectionLimit);
        }
        options = Map.copyOf(options);
        for (String option : options.keySet()) {
            if (!OPTION_NAME.matcher(option).matches()) {
                throw new IllegalArgumentException(name + ": a connector option's name must match " + OPTION_NAME
                        + " (it becomes CRM_SYNC_OPTION_<NAME>): " + option);
            }
        }
    }

    /**
     * An entry with the pipeline's defaults for everything but what {@code name} is; the builder's
     * setters state what differs. {@link #build} checks the entry.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** An entry for integration {@code id}: its name and detail-types as the contract writes them. */
    public static Builder builder(IntegrationId id) {
        return new Builder(id.wireName()).detailTypes(id.detailTypes());
    }

    /** A builder holding this entry's values: for an entry that differs from it in one or two. */
    public Builder toBuilder() {
        Builder builder = new Builder(name)
                .handler(handlerClass)
                .functionJar(functionJar)
                .detailTypes(detailTypes)
                .retryWindow(retryWindow)
                .batchSize(batchSize)
                .batchingWindow(batchingWindow)
                .maxConcurrency(maxConcurrency)
                .timeout(timeout)
                .memoryMb(memoryMb)
                .publishedOutcomes(publishedOutcomes)
                .vendorCallsPerInvocation(vendorCallsPerInvocation)
                .vendorConnectionLimit(vendorConnectionLimit);
        builder.vendor = vendor;
        options.forEach(builder::option);
        return builder;
    }

    /** The Lambda handler string. */
    public String handler() {
        return handlerClass + "::handleRequest";
    }

    /** Builds an {@link Integration}; each setter's meaning is that of the record component of its name. */
    public static final class Builder {
        private final String name;
        private String handlerClass;
        private String functionJar;
        private List<String> detailTypes = List.of();
        private Duration retryWindow = ReceiveBackstop.DEFAULT_WINDOW;
        private int batchSize = IntegrationPipeline.DEFAULT_BATCH_SIZE;
        private Duration batchingWindow = IntegrationPipeline.DEFAULT_BATCHING_WINDOW;
        private int maxConcurrency = IntegrationPipeline.DEFAULT_MAX_CONCURRENCY;
        private Duration timeout = IntegrationPipeline.DEFAULT_TIMEOUT;
        private int memoryMb = IntegrationPipeline.DEFAULT_MEMORY_MB;
        private String vendor;
        private Set<OutcomeType> publishedOutcomes = OutcomeType.defaults();
        private int vendorCallsPerInvocation = IntegrationPipeline.DEFAULT_VENDOR_CALLS_PER_INVOCATION;
        private int vendorConnectionLimit;
        private final Map<String, ConnectorOption> options = new TreeMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder handler(String handlerClassName) {
            this.handlerClass = handlerClassName;
            return this;
        }

        public Builder functionJar(String jar) {
            this.functionJar = jar;
            return this;
        }

        public Builder detailTypes(String... types) {
            return detailTypes(List.of(types));
        }

        public Builder detailTypes(List<String> types) {
            this.detailTypes = List.copyOf(types);
            return this;
        }

        public Builder retryWindow(Duration window) {
            this.retryWindow = window;
            return this;
        }

        public Builder batchSize(int records) {
            this.batchSize = records;
            return this;
        }

        public Builder batchingWindow(Duration window) {
            this.batchingWindow = window;
            return this;
        }

        /** At most {@code invocations} concurrent invocations from the event source mapping. */
        public Builder maxConcurrency(int invocations) {
            this.maxConcurrency = invocations;
            return this;
        }

        public Builder timeout(Duration functionTimeout) {
            this.timeout = functionTimeout;
            return this;
        }

        public Builder memoryMb(int megabytes) {
            this.memoryMb = megabytes;
            return this;
        }

        /** The external system, as the README's catalog table names it. */
        public Builder vendor(String vendorName) {
            this.vendor = Objects.requireNonNull(vendorName, "vendor");
            return this;
        }

        /** The outcome events the function publishes (none when empty). */
        public Builder publishedOutcomes(Set<OutcomeType> outcomes) {
            this.publishedOutcomes = Set.copyOf(outcomes);
            return this;
        }

        /** At most {@code calls} vendor calls in flight per invocation ({@code CRM_SYNC_MAX_CONCURRENCY}). */
        public Builder vendorCallsPerInvocation(int calls) {
            this.vendorCallsPerInvocation = calls;
            return this;
        }

        /**
         * The vendor's limit of {@code simultaneous} requests per account: the entry is refused when its
         * invocations × calls per invocation could exceed it.
         */
        public Builder vendorConnectionLimit(int simultaneous) {
            this.vendorConnectionLimit = simultaneous;
            return this;
        }

        /** Connector option {@code optionName} ({@code CRM_SYNC_OPTION_<optionName>}) set to {@code value}. */
        public Builder option(String optionName, ConnectorOption value) {
            options.put(optionName, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Connector option {@code variable} (one of {@link EnvVar}'s {@code CRM_SYNC_OPTION_<NAME>}) set to {@code
         * value}.
         */
        public Builder option(EnvVar variable, ConnectorOption value) {
            return option(variable.optionName(), value);
        }

        public Integration build() {
            return new Integration(
                    name,
                    handlerClass,
                    functionJar,
                    detailTypes,
                    retryWindow,
                    batchSize,
                    batchingWindow,
                    maxConcurrency,
                    timeout,
                    memoryMb,
                    vendor,
                    publishedOutcomes,
                    vendorCallsPerInvocation,
                    vendorConnectionLimit,
                    options);
        }
    }

    /** Simultaneous vendor requests this integration can make at most: invocations × calls per invocation. */
    public int vendorRequestsInFlight() {
        return maxConcurrency * vendorCallsPerInvocation;
    }

    /**
     * The module directory of the function ({@code functions/billing}), from its jar's path: where its
     * contract ({@code CONTRACT.md}) lives.
     */
    public String moduleDirectory() {
        int target = functionJar.indexOf("/target/");
        return target < 0
                ? functionJar.substring(0, Math.max(0, functionJar.lastIndexOf('/')))
                : functionJar.substring(0, target);
    }

    private static void requireBetween(String name, String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + ": " + what + " must be within " + min + ".." + max + ", was " + value);
        }
    }
}
