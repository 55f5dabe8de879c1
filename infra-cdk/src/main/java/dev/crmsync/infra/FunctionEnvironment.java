package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.OutcomeType;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.amazon.awscdk.services.sqs.Queue;

/** The environment of an integration's function, built in one place. */
final class FunctionEnvironment {
    private FunctionEnvironment() {}

    /**
     * The function's environment: where its state, queue and secret are, the retry settings the
     * queue agrees with, its bound on vendor calls per invocation, and its connector options
     * ({@code CRM_SYNC_OPTION_<NAME>}, as the stack resolved them: {@link IntegrationPipelineProps#connectorOptions}).
     */
    static Map<String, String> of(
            Integration integration,
            IntegrationPipelineProps props,
            Queue queue,
            CfnSecret secret,
            int maxReceiveCount) {
        Duration retryWindow = integration.retryWindow();
        Map<EnvVar, String> variables = new TreeMap<>(Map.ofEntries(
                Map.entry(EnvVar.CRM_SYNC_INTEGRATION, integration.name()),
                Map.entry(EnvVar.CRM_SYNC_TABLE, props.table().getTableName()),
                Map.entry(EnvVar.CRM_SYNC_QUEUE_URL, queue.getQueueUrl()),
                Map.entry(EnvVar.CRM_SYNC_EVENT_BUS, props.eventBus().getEventBusName()),
                Map.entry(EnvVar.CRM_SYNC_SECRET_ID, secret.getRef()),
                // The queue's RedrivePolicy and the function must agree on these: the
                // function treats the receive with this count as the message's last.
                Map.entry(EnvVar.CRM_SYNC_RETRY_WINDOW_SECONDS, Long.toString(retryWindow.toSeconds())),
                Map.entry(EnvVar.CRM_SYNC_MAX_RECEIVE_COUNT, Integer.toString(maxReceiveCount)),
                Map.entry(
                        EnvVar.CRM_SYNC_BACKOFF_BASE_SECONDS, Long.toString(RetryArithmetic.BACKOFF_BASE.toSeconds())),
                Map.entry(EnvVar.CRM_SYNC_BACKOFF_CAP_SECONDS, Long.toString(RetryArithmetic.BACKOFF_CAP.toSeconds())),
                Map.entry(EnvVar.CRM_SYNC_PUBLISH_OUTCOMES, OutcomeType.format(integration.publishedOutcomes())),
                Map.entry(EnvVar.POWERTOOLS_SERVICE_NAME, "crm-sync-" + integration.name()),
                Map.entry(EnvVar.POWERTOOLS_METRICS_NAMESPACE, IntegrationPipeline.METRICS_NAMESPACE),
                Map.entry(EnvVar.POWERTOOLS_LOG_LEVEL, "INFO"),
                Map.entry(EnvVar.CRM_SYNC_MAX_CONCURRENCY, Integer.toString(integration.vendorCallsPerInvocation()))));
        Map<String, String> environment = new TreeMap<>();
        variables.forEach((variable, value) -> environment.put(variable.wireName(), value));
        props.connectorOptions().forEach((name, value) -> environment.put(EnvVar.OPTION_PREFIX + name, value));
        return environment;
    }
}
