package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.ref;
import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.CrmSyncStack;
import dev.crmsync.infra.Integration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * The stack-wide resources with every context option at its default, and cdk-nag's verdict. Needs the built function
 * jars.
 */
class CrmSyncStackTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.withDefaults();
    }

    @Test
    void stackIsNamedForTheDefaultStageAndBoundToNoAccount() {
        assertThat(synth.stack.getStackName()).isEqualTo("CrmSync-dev");
        // env-agnostic: no account or region baked in, so synth needs no credentials
        assertThat(synth.stack.getEnvironment()).isEqualTo("aws://unknown-account/unknown-region");
    }

    @Test
    void eventBusIsCreatedForTheStage() {
        synth.template.resourceCountIs("AWS::Events::EventBus", 1);
        String bus = synth.idOf("AWS::Events::EventBus", Map.of("Name", "crm-sync-dev"));
        synth.template.hasOutput("EventBusName", Map.of("Value", ref(bus)));
        synth.template.allResourcesProperties("AWS::Events::Rule", Map.of("EventBusName", ref(bus)));
    }

    @Test
    void oneStateTableKeyedOnPkOnDemandWithPitrTtlAndEncryption() {
        assertThat(synth.ofType("AWS::DynamoDB::Table")).isEmpty();
        synth.template.resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
        String table =
                synth.ofType("AWS::DynamoDB::GlobalTable").keySet().iterator().next();
        Map<String, Object> properties = synth.properties(table);

        assertThat(properties.get("KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")));
        assertThat(properties.get("AttributeDefinitions"))
                .isEqualTo(List.of(Map.of("AttributeName", "pk", "AttributeType", "S")));
        assertThat(properties).doesNotContainKeys("GlobalSecondaryIndexes", "LocalSecondaryIndexes", "TableName");
        assertThat(properties.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(properties.get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
        assertThat(properties.get("SSESpecification")).isEqualTo(Map.of("SSEEnabled", true, "SSEType", "KMS"));
        List<Map<String, Object>> replicas = typed(properties.get("Replicas"));
        assertThat(replicas).singleElement().satisfies(replica -> {
            assertThat(replica.get("PointInTimeRecoverySpecification"))
                    .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
            assertThat(replica.get("DeletionProtectionEnabled")).isEqualTo(true);
        });
        assertThat(synth.resource(table))
                .containsEntry("DeletionPolicy", "Retain")
                .containsEntry("UpdateReplacePolicy", "Retain");
        synth.template.hasOutput("StateTableName", Map.of("Value", ref(table)));
    }

    @Test
    void alarmTopicIsEncryptedTlsOnlyAndOpenToCloudWatchAlarms() {
        synth.template.resourceCountIs("AWS::SNS::Topic", 1);
        String topic = synth.ofType("AWS::SNS::Topic").keySet().iterator().next();
        Map<String, Object> kmsKey = typed(synth.properties(topic).get("KmsMasterKeyId"));
        String key = String.valueOf(((List<?>) kmsKey.get("Fn::GetAtt")).get(0));
        synth.template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
        synth.template.hasResourceProperties(
                "AWS::KMS::Key",
                Map.of(
                        "KeyPolicy",
                        Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Allow",
                                        "Principal",
                                        Map.of("Service", "cloudwatch.amazonaws.com"),
                                        "Action",
                                        List.of("kms:Decrypt", "kms:GenerateDataKey*"))))))));
        assertThat(synth.ofType("AWS::KMS::Key")).containsOnlyKeys(key);

        synth.template.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Map.of(
                        "Topics", List.of(ref(topic)),
                        "PolicyDocument",
                                Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of(
                                                        "Effect",
                                                        "Deny",
                                                        "Action",
                                                        "sns:Publish",
                                                        "Condition",
                                                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                                Match.objectLike(Map.of(
                                                        "Effect",
                                                        "Allow",
                                                        "Action",
                                                        "sns:Publish",
                                                        "Principal",
                                                        Map.of("Service", "cloudwatch.amazonaws.com"))))))));
        // no e-mail unless the context names one
        synth.template.resourceCountIs("AWS::SNS::Subscription", 0);
        synth.template.hasOutput("AlarmTopicArn", Map.of("Value", ref(topic)));
    }

    @Test
    void everyAlarmNotifiesTheTopicOnAlarmAndRecovery() {
        String topic = synth.ofType("AWS::SNS::Topic").keySet().iterator().next();
        assertThat(synth.ofType("AWS::CloudWatch::Alarm")).isNotEmpty();
        synth.template.allResourcesProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "AlarmActions", List.of(ref(topic)),
                        "OKActions", List.of(ref(topic))));
    }

    @Test
    void synthesisLeavesNoUnsuppressedNagErrorNorAnyWarning() {
        // An unsuppressed nag error already fails the synthesis (cdk.json's validation flags), as it
        // fails `cdk synth`; warnings do not, so they are checked here.
        Annotations annotations = Annotations.fromStack(synth.stack);
        annotations.hasNoError("*", Match.anyValue());
        annotations.hasNoWarning("*", Match.anyValue());
    }

    @Test
    void onlyTheReasonedNagSuppressionsExist() {
        // Each suppression is a decision: a new one must be added here, with its reason, on purpose.
        List<String> expected = new ArrayList<>();
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources pipeline = PipelineResources.of(synth, integration, "dev");
            expected.add(pipeline.ruleDeadLetterQueue() + " AwsSolutions-SQS3");
            expected.add(pipeline.secret() + " AwsSolutions-SMG4");
            expected.add(policyOf(pipeline.role()) + " AwsSolutions-IAM5 [Resource::*]");
        }
        List<String> actual = new ArrayList<>();
        synth.resources.forEach((id, resource) -> {
            Map<String, Object> metadata = typed(resource.getOrDefault("Metadata", Map.of()));
            Map<String, Object> nag = typed(metadata.getOrDefault("cdk_nag", Map.of()));
            List<Map<String, Object>> rules = typed(nag.getOrDefault("rules_to_suppress", List.of()));
            for (Map<String, Object> rule : rules) {
                assertThat(String.valueOf(rule.get("reason")))
                        .as("reason of %s on %s", rule.get("id"), id)
                        .hasSizeGreaterThan(30);
                Object appliesTo = rule.get("applies_to");
                actual.add(id + " " + rule.get("id") + (appliesTo == null ? "" : " " + appliesTo.toString()));
            }
        });
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void outputsNameTheBusTableAndEachIntegrationsQueuesAndSecret() {
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources pipeline = PipelineResources.of(synth, integration, "dev");
            String prefix = CrmSyncStack.pascalCase(integration.name());
            synth.template.hasOutput(prefix + "QueueUrl", Map.of("Value", ref(pipeline.queue())));
            synth.template.hasOutput(prefix + "DeadLetterQueueUrl", Map.of("Value", ref(pipeline.deadLetterQueue())));
            synth.template.hasOutput(
                    prefix + "RuleDeadLetterQueueUrl", Map.of("Value", ref(pipeline.ruleDeadLetterQueue())));
            synth.template.hasOutput(prefix + "SecretArn", Map.of("Value", ref(pipeline.secret())));
            synth.template.hasOutput(prefix + "LogGroupName", Map.of("Value", ref(pipeline.logGroup())));
        }
        assertThat(synth.outputs()).containsKeys("EventBusName", "StateTableName", "AlarmTopicArn");
    }

    private static String policyOf(String role) {
        return synth.idOf("AWS::IAM::Policy", Map.of("Roles", List.of(ref(role))));
    }
}
