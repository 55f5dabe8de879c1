package dev.crmsync.infra;

import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.observe.SyncOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.amazon.awscdk.services.sqs.Queue;

/** The environment of an integration's function, built in one place. */
final class FunctionEnvironment {
    private FunctionEnvironment() {}

    /**
     * The function's environment: where its state, queue and secret are, the retry settings the
     * queue agrees with, its bound on vendor calls per invocation, and its connector options
     * ({@code CRM_SYNC_OPTION_<NAME>}; one taken from a context key only when the context sets it —
     * the default stack synthesizes without warnings, and a connector names a missing option in the
     * reason it fails with).
     */
    static Map<String, String> of(Integration integration, IntegrationPipelineProps props, Queue queue, CfnSecret secret,
                                  int maxReceiveCount, UnaryOperator<String> context) {
        Duration retryWindow = integration.retryWindow();
        Map<String, String> environment = new TreeMap<>(Map.ofEntries(
                Map.entry("CRM_SYNC_INTEGRATION", integration.name()),
                Map.entry("CRM_SYNC_TABLE", props.table().getTableName()),
                Map.entry("CRM_SYNC_QUEUE_URL", queue.getQueueUrl()),
                Map.entry("CRM_SYNC_EVENT_BUS", props.eventBus().getEventBusName()),
                Map.entry("CRM_SYNC_SECRET_ID", secret.getRef()),
                // The queue's RedrivePolicy and the function must agree on these: the
                // function treats the receive with this count as the message's last.
                Map.entry("CRM_SYNC_RETRY_WINDOW_SECONDS", Long.toString(retryWindow.toSeconds())),
                Map.entry("CRM_SYNC_MAX_RECEIVE_COUNT", Integer.toString(maxReceiveCount)),
                Map.entry("CRM_SYNC_BACKOFF_BASE_SECONDS", Long.toString(RetryArithmetic.BACKOFF_BASE.toSeconds())),
                Map.entry("CRM_SYNC_BACKOFF_CAP_SECONDS", Long.toString(RetryArithmetic.BACKOFF_CAP.toSeconds())),
                Map.entry("CRM_SYNC_PUBLISH_OUTCOMES", SyncOutcome.format(integration.publishedOutcomes())),
                Map.entry("POWERTOOLS_SERVICE_NAME", "crm-sync-" + integration.name()),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", IntegrationPipeline.METRICS_NAMESPACE),
                Map.entry("POWERTOOLS_LOG_LEVEL", "INFO"),
                Map.entry("CRM_SYNC_MAX_CONCURRENCY", Integer.toString(integration.vendorCallsPerInvocation()))));
        integration.options().forEach((name, option) -> {
            String value = option.value() != null ? option.value() : context.apply(option.contextKey());
            if (value != null) {
                environment.put(SyncConfig.OPTION_PREFIX + name, value);
            }
        });
        return environment;
    }
}
