package dev.crmsync.infra;

import dev.crmsync.contract.MetricName;
import dev.crmsync.contract.OutcomeType;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.constructs.Construct;

/**
 * An integration function's role, least privilege: writes to its own log group, the hot path's
 * item reads and conditional writes on the state table, its own secret, {@code PutMetricData} in
 * its namespace only, and (when it publishes outcome events) {@code PutEvents} on the stack's bus
 * under crm-sync's own source. The event source mapping adds the consume actions on its queue.
 */
final class FunctionRole {
    private FunctionRole() {}

    /** The function's role, with exactly the grants above, in {@code scope} (the pipeline) as {@code Role}. */
    static Role create(Construct scope, IntegrationPipelineProps props, LogGroup logGroup, CfnSecret secret) {
        Role role = Role.Builder.create(scope, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + props.integration().name()
                        + " sync function: its table items, queue, secret, logs, metrics and outcome events only")
                .build();
        // Its own policy instead of AWSLambdaBasicExecutionRole: its own log group only.
        logGroup.grantWrite(role);
        // The hot path's reads and conditional writes: no Scan, Query or DeleteItem.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("StateTable")
                .actions(
                        List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"))
                .resources(List.of(props.table().getTableArn()))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("OwnSecret")
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resources(List.of(secret.getRef()))
                .build());
        if (!props.integration().publishedOutcomes().isEmpty()) {
            // Outcome events, on the stack's bus only and under crm-sync's own source: the function
            // cannot put an event that looks like the CRM's and so reach another integration's rule.
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .sid("OutcomeEvents")
                    .actions(List.of("events:PutEvents"))
                    .resources(List.of(props.eventBus().getEventBusArn()))
                    .conditions(Map.of("StringEquals", Map.of("events:source", OutcomeType.EVENT_SOURCE)))
                    .build());
        }
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("OwnMetrics")
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", MetricName.NAMESPACE)))
                .build());
        // The event source mapping adds the consume actions on this queue to the same default policy.
        NagSuppressions.addResourceSuppressions(
                role.getNode().findChild("DefaultPolicy"),
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("cloudwatch:PutMetricData has no resource-level permissions; the statement is "
                                + "limited to the namespace "
                                + MetricName.NAMESPACE + " by the condition cloudwatch:namespace.")
                        .appliesTo(List.of("Resource::*"))
                        .build()),
                true);
        return role;
    }
}
