package dev.crmsync.synccore.config;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.observe.SyncOutcome;
import dev.crmsync.synccore.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a function learns from its environment (set by the stack), so the same jar runs on
 * AWS, in the tests and in the local run. Tuning values have defaults and an override each.
 *
 * @param integration       {@code CRM_SYNC_INTEGRATION}, e.g. billing
 * @param table             {@code CRM_SYNC_TABLE}
 * @param queueUrl          {@code CRM_SYNC_QUEUE_URL}: where visibility changes go
 * @param eventBus          {@code CRM_SYNC_EVENT_BUS} (optional): where outcome events go; none are published without
 * it
 * @param secretId          {@code CRM_SYNC_SECRET_ID}: the secret's name or ARN, never its value
 * @param vendorUrl         {@code CRM_SYNC_VENDOR_URL}: empty means the vendor's real URL
 * @param maxConcurrency    {@code CRM_SYNC_MAX_CONCURRENCY}: vendor calls in flight per invocation
 * @param backoffBase       {@code CRM_SYNC_BACKOFF_BASE_SECONDS}
 * @param backoffCap        {@code CRM_SYNC_BACKOFF_CAP_SECONDS}
 * @param busyBackoffCap    {@code CRM_SYNC_BUSY_BACKOFF_CAP_SECONDS}
 * @param deadlineMargin    {@code CRM_SYNC_DEADLINE_MARGIN_MILLIS}: no record starts with less time left
 * @param vendorTimeout     {@code CRM_SYNC_VENDOR_TIMEOUT_MILLIS}: one vendor call at most
 * @param secretMaxAge      {@code CRM_SYNC_SECRET_MAX_AGE_SECONDS}
 * @param statusTtl         {@code CRM_SYNC_STATUS_TTL_DAYS}: longer than the DLQ's 14-day retention
 * @param maxBodyBytes      {@code CRM_SYNC_MAX_BODY_BYTES}
 * @param retryWindow       {@code CRM_SYNC_RETRY_WINDOW_SECONDS}: how long after its first receive a
 *                          change is retried before it goes to the DLQ (default 7 h)
 * @param maxReceiveCount   {@code CRM_SYNC_MAX_RECEIVE_COUNT}: the queue's RedrivePolicy, set by the stack
 *                          (default: what {@link RetryPolicy#maxReceiveCount} computes for the window);
 *                          the receive with this count is a message's last, so it writes the status
 * @param connectorOptions  every {@code CRM_SYNC_OPTION_<NAME>} variable by NAME: per-deployment options of
 *                          the connector (e.g. a chat channel), set by the stack from the catalog
 * @param publishedOutcomes {@code CRM_SYNC_PUBLISH_OUTCOMES}: which outcome events to publish on the bus,
 *                          e.g. {@code applied,failed,skipped} or {@code none} (default: applied and failed)
 */
public record SyncConfig(
        String integration,
        String table,
        String queueUrl,
        Optional<String> eventBus,
        String secretId,
        Optional<URI> vendorUrl,
        int maxConcurrency,
        Duration backoffBase,
        Duration backoffCap,
        Duration busyBackoffCap,
        Duration deadlineMargin,
        Duration vendorTimeout,
        Duration secretMaxAge,
        Duration statusTtl,
        int maxBodyBytes,
        Duration retryWindow,
        int maxReceiveCount,
        Set<SyncOutcome> publishedOutcomes,
        Map<String, String> connectorOptions) {

    /** Environment variables with this prefix are options of the integration's connector. */
    public static final String OPTION_PREFIX = EnvVar.OPTION_PREFIX;

    /** The shortest deadline margin: the lease must outlast every vendor call by at least this much. */
    public static final Duration SHORTEST_DEADLINE_MARGIN = Duration.ofMillis(100);

    public SyncConfig {
        if (deadlineMargin.compareTo(SHORTEST_DEADLINE_MARGIN) < 0) {
            throw new IllegalStateException(
                    "CRM_SYNC_DEADLINE_MARGIN_MILLIS must be at least " + SHORTEST_DEADLINE_MARGIN.toMillis()
                            + ": vendor calls must end before the lease does, got " + deadlineMargin.toMillis());
        }
        if (vendorTimeout.compareTo(CallBudget.SHORTEST_CALL) < 0) {
            throw new IllegalStateException("CRM_SYNC_VENDOR_TIMEOUT_MILLIS must be at least "
                    + CallBudget.SHORTEST_CALL.toMillis() + ", got " + vendorTimeout.toMillis());
        }
        if (backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalStateException(
                    "CRM_SYNC_BACKOFF_BASE_SECONDS must be positive and not above CRM_SYNC_BACKOFF_CAP_SECONDS");
        }
        if (retryWindow.isZero() || maxReceiveCount < 1) {
            throw new IllegalStateException(
                    "CRM_SYNC_RETRY_WINDOW_SECONDS and CRM_SYNC_MAX_RECEIVE_COUNT must be positive");
        }
        publishedOutcomes = Set.copyOf(publishedOutcomes);
        connectorOptions = Map.copyOf(connectorOptions);
    }

    public static SyncConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static SyncConfig from(Map<String, String> env) {
        return new SyncConfig(
                required(env, EnvVar.CRM_SYNC_INTEGRATION),
                required(env, EnvVar.CRM_SYNC_TABLE),
                required(env, EnvVar.CRM_SYNC_QUEUE_URL),
                optional(env, EnvVar.CRM_SYNC_EVENT_BUS),
                required(env, EnvVar.CRM_SYNC_SECRET_ID),
                optional(env, EnvVar.CRM_SYNC_VENDOR_URL).map(URI::create),
                number(env, EnvVar.CRM_SYNC_MAX_CONCURRENCY),
                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_BACKOFF_BASE_SECONDS)),
                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_BACKOFF_CAP_SECONDS)),
                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_BUSY_BACKOFF_CAP_SECONDS)),
                Duration.ofMillis(number(env, EnvVar.CRM_SYNC_DEADLINE_MARGIN_MILLIS)),
                Duration.ofMillis(number(env, EnvVar.CRM_SYNC_VENDOR_TIMEOUT_MILLIS)),
                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_SECRET_MAX_AGE_SECONDS)),
                Duration.ofDays(number(env, EnvVar.CRM_SYNC_STATUS_TTL_DAYS)),
                number(env, EnvVar.CRM_SYNC_MAX_BODY_BYTES),
                retryWindow(env),
                optional(env, EnvVar.CRM_SYNC_MAX_RECEIVE_COUNT).isPresent()
                        ? number(env, EnvVar.CRM_SYNC_MAX_RECEIVE_COUNT, 0)
                        : RetryPolicy.maxReceiveCount(
                                retryWindow(env),
                                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_BACKOFF_BASE_SECONDS)),
                                Duration.ofSeconds(number(env, EnvVar.CRM_SYNC_BACKOFF_CAP_SECONDS))),
                publishedOutcomes(env),
                connectorOptions(env));
    }

    /** The connector's per-deployment options: every {@code CRM_SYNC_OPTION_<NAME>} variable, by NAME. */
    private static Map<String, String> connectorOptions(Map<String, String> env) {
        Map<String, String> options = new java.util.TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(OPTION_PREFIX)
                    && name.length() > OPTION_PREFIX.length()
                    && value != null
                    && !value.isBlank()) {
                options.put(name.substring(OPTION_PREFIX.length()), value.trim());
            }
        });
        return options;
    }

    private static Set<SyncOutcome> publishedOutcomes(Map<String, String> env) {
        try {
            return optional(env, EnvVar.CRM_SYNC_PUBLISH_OUTCOMES)
                    .map(SyncOutcome::parse)
                    .orElse(SyncOutcome.DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "environment variable " + EnvVar.CRM_SYNC_PUBLISH_OUTCOMES + ": " + e.getMessage());
        }
    }

    private static Duration retryWindow(Map<String, String> env) {
        return Duration.ofSeconds(
                number(env, EnvVar.CRM_SYNC_RETRY_WINDOW_SECONDS, (int) RetryPolicy.DEFAULT_WINDOW.toSeconds()));
    }

    /** The same configuration with other tuning, for tests and the local run. */
    public SyncConfig withTuning(
            int maxConcurrency, Duration backoffBase, Duration deadlineMargin, Duration vendorTimeout) {
        return new SyncConfig(
                integration,
                table,
                queueUrl,
                eventBus,
                secretId,
                vendorUrl,
                maxConcurrency,
                backoffBase,
                backoffCap,
                busyBackoffCap,
                deadlineMargin,
                vendorTimeout,
                secretMaxAge,
                statusTtl,
                maxBodyBytes,
                retryWindow,
                maxReceiveCount,
                publishedOutcomes,
                connectorOptions);
    }

    /** The same configuration with another retry window and receive backstop, for tests. */
    public SyncConfig withRetryWindow(Duration window, int receives) {
        return new SyncConfig(
                integration,
                table,
                queueUrl,
                eventBus,
                secretId,
                vendorUrl,
                maxConcurrency,
                backoffBase,
                backoffCap,
                busyBackoffCap,
                deadlineMargin,
                vendorTimeout,
                secretMaxAge,
                statusTtl,
                maxBodyBytes,
                window,
                receives,
                publishedOutcomes,
                connectorOptions);
    }

    private static String required(Map<String, String> env, EnvVar name) {
        return optional(env, name)
                .orElseThrow(() -> new IllegalStateException(
                        "environment variable " + name + " is not set; the stack sets it on every sync function"));
    }

    private static Optional<String> optional(Map<String, String> env, EnvVar name) {
        return Optional.ofNullable(env.get(name.wireName())).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The variable's value, or the default {@link EnvVar} states for it. */
    private static int number(Map<String, String> env, EnvVar name) {
        return number(env, name, name.defaultNumber());
    }

    private static int number(Map<String, String> env, EnvVar name, int defaultValue) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "environment variable " + name + " must be a non-negative whole number, got '" + value.get() + "'");
        }
    }
}
