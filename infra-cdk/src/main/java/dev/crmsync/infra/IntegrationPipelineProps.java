package dev.crmsync.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.dynamodb.ITableV2;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * What one {@link IntegrationPipeline} needs from the stack around it.
 *
 * @param integration the catalog entry
 * @param stage       deployment stage, part of every resource name ({@code dev}, {@code prod})
 * @param crmSource   the EventBridge {@code source} the CRM publishes with
 * @param eventBus    the bus the integration's rule listens on
 * @param table       the shared state table
 * @param alarmTopic  where the pipeline's alarms notify on-call
 * @param functionJar the integration's function jar (absolute; it must exist)
 * @param connectorOptions the connector options by NAME, resolved by the stack (catalog values and CDK
 *                    context); an option left out is not set on the function
 */
public record IntegrationPipelineProps(
        Integration integration,
        String stage,
        String crmSource,
        IEventBus eventBus,
        ITableV2 table,
        ITopic alarmTopic,
        Path functionJar,
        Map<String, String> connectorOptions) {

    public IntegrationPipelineProps {
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(crmSource, "crmSource");
        Objects.requireNonNull(eventBus, "eventBus");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(alarmTopic, "alarmTopic");
        Objects.requireNonNull(functionJar, "functionJar");
        connectorOptions = Map.copyOf(connectorOptions);
    }
}
