package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.getAtt;
import static dev.crmsync.template.SynthesizedStack.ref;
import static dev.crmsync.template.SynthesizedStack.render;
import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.MetricName;
import dev.crmsync.contract.OutcomeType;
import dev.crmsync.contract.ReceiveBackstop;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.Integration;
import dev.crmsync.infra.RetryArithmetic;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import software.amazon.awscdk.assertions.Match;

/**
 * Every integration of the catalog, as the default stack deploys it: rule, queues, function,
 * event source mapping, secret, IAM, alarms and dashboard. A new catalog entry is checked by
 * being there. Needs the built function jars.
 */
class IntegrationPipelineTest {

    static final List<Integration> INTEGRATIONS = Catalog.INTEGRATIONS;
    private static final String STAGE = "dev";
    private static final Map<String, Object> TLS_ONLY = Map.of(
            "Effect",
            "Deny",
            "Action",
            "sqs:*",
            "Principal",
            Map.of("AWS", "*"),
            "Condition",
            Map.of("Bool", Map.of("aws:SecureTransport", "false")));

    private static SynthesizedStack synth;
    private static String bus;
    private static String table;
    private static String topic;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.withDefaults();
        bus = synth.ofType("AWS::Events::EventBus").keySet().iterator().next();
        table = synth.ofType("AWS::DynamoDB::GlobalTable").keySet().iterator().next();
        topic = synth.ofType("AWS::SNS::Topic").keySet().iterator().next();
    }

    @Test
    void aCatalogEntryGetsTheDocumentedDefaults() {
        Integration entry = Integration.builder("example")
                .handler("dev.crmsync.example.ExampleSyncHandler")
                .functionJar("functions/example/target/example.jar")
                .detailTypes("deal.closed")
                .build();

        assertThat(entry.handler()).isEqualTo("dev.crmsync.example.ExampleSyncHandler::handleRequest");
        assertThat(entry.retryWindow()).isEqualTo(Duration.ofHours(7)).isEqualTo(ReceiveBackstop.DEFAULT_WINDOW);
        assertThat(entry.batchSize()).isEqualTo(10);
        assertThat(entry.batchingWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(entry.maxConcurrency()).isEqualTo(5);
        assertThat(entry.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(entry.memoryMb()).isEqualTo(1024);
        assertThat(RetryArithmetic.oldestMessageAgeAlarm(entry.retryWindow()))
                .isEqualTo(Duration.ofMinutes(7 * 60 + 30));
        assertThat(RetryArithmetic.queueRetention(entry.retryWindow())).isEqualTo(Duration.ofDays(4));
    }

    @Test
    void aCatalogEntryOutsideWhatAwsAcceptsIsRejected() {
        assertThatThrownBy(() -> entry("billing").maxConcurrency(1).build()).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> entry("billing").retryWindow(Duration.ZERO).build())
                .hasMessageContaining("retryWindow");
        assertThatThrownBy(() ->
                        entry("billing").retryWindow(Duration.ofMillis(1500)).build())
                .hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> entry("Billing").build()).hasMessageContaining("name");
        assertThatThrownBy(() -> entry("billing").detailTypes(List.of()).build())
                .hasMessageContaining("detail-type");
        assertThatThrownBy(() -> Integration.builder("billing")
                        .detailTypes("deal.closed")
                        .build())
                .hasMessageContaining("handler class");
    }

    private static Integration.Builder entry(String name) {
        return Integration.builder(name).handler("X").functionJar("x.jar").detailTypes("deal.closed");
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void ruleSendsTheCrmSourceAndItsDetailTypesToItsQueueWithRetriesAndADlq(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> rule = synth.properties(p.rule());

        assertThat(rule.get("EventBusName")).isEqualTo(ref(bus));
        assertThat(rule.get("State")).isEqualTo("ENABLED");
        assertThat(rule.get("EventPattern"))
                .isEqualTo(Map.of(
                        "source", List.of("crm"),
                        "detail-type", integration.detailTypes()));
        assertThat(rule.get("Targets"))
                .isEqualTo(List.of(Map.of(
                        "Id", "Target0",
                        "Arn", getAtt(p.queue(), "Arn"),
                        "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 86400, "MaximumRetryAttempts", 185),
                        "DeadLetterConfig", Map.of("Arn", getAtt(p.ruleDeadLetterQueue(), "Arn")))));
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void queueIsEncryptedTlsOnlyAndRedrivesToItsDlq(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> queue = synth.properties(p.queue());

        assertThat(queue).doesNotContainKey("FifoQueue");
        assertThat(queue.get("SqsManagedSseEnabled")).isEqualTo(true);
        assertThat(SynthesizedStack.<Map<String, Object>>typed(queue.get("RedrivePolicy"))
                        .get("deadLetterTargetArn"))
                .isEqualTo(getAtt(p.deadLetterQueue(), "Arn"));
        int functionTimeout = ((Number) synth.properties(p.function()).get("Timeout")).intValue();
        assertThat(((Number) queue.get("VisibilityTimeout")).intValue()).isGreaterThanOrEqualTo(6 * functionTimeout);
        // the DLQ must outlive the queue's retention: a moved message keeps its first enqueue time
        assertThat(((Number) queue.get("MessageRetentionPeriod")).intValue()).isLessThan(1_209_600);

        // TLS only, and only this rule may send
        assertThat(queuePolicyStatements(p.queue()))
                .containsExactlyInAnyOrder(
                        withResource(TLS_ONLY, getAtt(p.queue(), "Arn")),
                        Map.of(
                                "Effect",
                                "Allow",
                                "Principal",
                                Map.of("Service", "events.amazonaws.com"),
                                "Action",
                                List.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
                                "Resource",
                                getAtt(p.queue(), "Arn"),
                                "Condition",
                                Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt(p.rule(), "Arn")))));
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void deadLetterQueueKeepsMessagesTwoWeeksAndRedrivesOnlyToItsQueue(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> dlq = synth.properties(p.deadLetterQueue());

        assertThat(dlq.get("MessageRetentionPeriod")).isEqualTo(1_209_600);
        assertThat(dlq.get("SqsManagedSseEnabled")).isEqualTo(true);
        Map<String, Object> allowPolicy = typed(dlq.get("RedriveAllowPolicy"));
        assertThat(allowPolicy.get("redrivePermission")).isEqualTo("byQueue");
        assertThat((List<?>) allowPolicy.get("sourceQueueArns"))
                .singleElement()
                .extracting(SynthesizedStack::render)
                .isEqualTo("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:" + p.name());
        assertThat(synth.properties(p.queue()).get("QueueName")).isEqualTo(p.name());
        assertThat(queuePolicyStatements(p.deadLetterQueue()))
                .containsExactly(withResource(TLS_ONLY, getAtt(p.deadLetterQueue(), "Arn")));
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void ruleTargetDlqIsEncryptedTlsOnlyAndWritableByTheRuleOnly(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> ruleDlq = synth.properties(p.ruleDeadLetterQueue());

        assertThat(ruleDlq.get("MessageRetentionPeriod")).isEqualTo(1_209_600);
        assertThat(ruleDlq.get("SqsManagedSseEnabled")).isEqualTo(true);
        List<Map<String, Object>> statements = queuePolicyStatements(p.ruleDeadLetterQueue());
        assertThat(statements).contains(withResource(TLS_ONLY, getAtt(p.ruleDeadLetterQueue(), "Arn")));
        assertThat(statements)
                .filteredOn(s -> "Allow".equals(s.get("Effect")))
                .singleElement()
                .satisfies(allow -> {
                    assertThat(allow.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
                    assertThat(allow.get("Action")).isEqualTo("sqs:SendMessage");
                    assertThat(allow.get("Condition"))
                            .isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", getAtt(p.rule(), "Arn"))));
                });
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void functionRunsTheHandlerOnJava25Arm64WithSnapStart(Integration integration) throws IOException {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> function = synth.properties(p.function());

        assertThat(function.get("Runtime")).isEqualTo("java25");
        assertThat(function.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(function.get("Handler")).isEqualTo(integration.handlerClass() + "::handleRequest");
        assertThat(function.get("MemorySize")).isEqualTo(integration.memoryMb());
        assertThat(function.get("Timeout"))
                .isEqualTo((int) integration.timeout().toSeconds());
        assertThat(function.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(function).doesNotContainKeys("ReservedConcurrentExecutions", "VpcConfig");
        Map<String, Object> code = typed(function.get("Code"));
        assertThat(String.valueOf(code.get("S3Key"))).endsWith(".jar");
        // the asset is the integration's built jar, and the handler the catalog names is in it
        try (ZipFile jar = new ZipFile(
                SynthesizedStack.REPO_ROOT.resolve(integration.functionJar()).toFile())) {
            assertThat(jar.getEntry(integration.handlerClass().replace('.', '/') + ".class"))
                    .as("%s in %s", integration.handlerClass(), integration.functionJar())
                    .isNotNull();
        }

        assertThat(synth.properties(p.logGroup())).containsKey("RetentionInDays");
        assertThat(synth.resource(p.logGroup())).containsEntry("DeletionPolicy", "Retain");
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void functionEnvironmentIsTheConfigurationContractAndNothingElse(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> environment = typed(synth.properties(p.function()).get("Environment"));

        // exactly these: in particular no CRM_SYNC_VENDOR_URL, so the code talks to the real vendor
        assertThat(environment.get("Variables"))
                .isEqualTo(Map.ofEntries(
                        Map.entry("CRM_SYNC_INTEGRATION", integration.name()),
                        Map.entry("CRM_SYNC_TABLE", ref(table)),
                        Map.entry("CRM_SYNC_QUEUE_URL", ref(p.queue())),
                        Map.entry("CRM_SYNC_EVENT_BUS", ref(bus)),
                        Map.entry("CRM_SYNC_SECRET_ID", ref(p.secret())),
                        Map.entry(
                                "CRM_SYNC_RETRY_WINDOW_SECONDS",
                                String.valueOf(integration.retryWindow().toSeconds())),
                        Map.entry(
                                "CRM_SYNC_MAX_RECEIVE_COUNT",
                                String.valueOf(ReceiveBackstop.maxReceiveCount(
                                        integration.retryWindow(), Duration.ofSeconds(2), Duration.ofSeconds(900)))),
                        Map.entry("CRM_SYNC_BACKOFF_BASE_SECONDS", "2"),
                        Map.entry("CRM_SYNC_BACKOFF_CAP_SECONDS", "900"),
                        Map.entry("CRM_SYNC_PUBLISH_OUTCOMES", OutcomeType.format(integration.publishedOutcomes())),
                        // vendor calls in flight per invocation; connector options (CRM_SYNC_OPTION_*) only where set
                        Map.entry("CRM_SYNC_MAX_CONCURRENCY", String.valueOf(integration.vendorCallsPerInvocation())),
                        Map.entry("POWERTOOLS_SERVICE_NAME", "crm-sync-" + integration.name()),
                        Map.entry("POWERTOOLS_METRICS_NAMESPACE", "CrmSync"),
                        Map.entry("POWERTOOLS_LOG_LEVEL", "INFO")));
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void queueBackstopIsTheRetryPolicyCountForTheWindowTheFunctionIsGiven(Integration integration) {
        RetryWindowAssertions.assertBackstopMatchesTheWindow(
                synth, PipelineResources.of(synth, integration, STAGE), integration.retryWindow());
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void anOutageShorterThanTheWindowPagesNoOneAndTheQueueOutlivesTheWindow(Integration integration) {
        RetryWindowAssertions.assertAlarmsAndRetentionFitTheWindow(
                synth, PipelineResources.of(synth, integration, STAGE), integration.retryWindow(), topic);
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void queueFeedsTheLiveAliasOfThePublishedVersionInReportedBatches(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> alias = synth.properties(p.alias());
        assertThat(alias.get("Name")).isEqualTo("live");
        Map<String, Object> version = typed(alias.get("FunctionVersion"));
        String versionId = String.valueOf(((List<?>) version.get("Fn::GetAtt")).get(0));
        assertThat(synth.resource(versionId).get("Type")).isEqualTo("AWS::Lambda::Version");
        assertThat(synth.properties(versionId).get("FunctionName")).isEqualTo(ref(p.function()));

        Map<String, Object> mapping = synth.properties(p.eventSourceMapping());
        // the alias's ARN, cut to "<function>:live" by CDK: the mapping invokes the alias, never $LATEST
        assertThat(render(mapping.get("FunctionName")))
                .contains("{\"Ref\":\"" + p.alias() + "\"}")
                .endsWith(":live");
        assertThat(mapping.get("BatchSize")).isEqualTo(integration.batchSize());
        assertThat(mapping.get("MaximumBatchingWindowInSeconds"))
                .isEqualTo((int) integration.batchingWindow().toSeconds());
        assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
        assertThat(mapping.get("ScalingConfig")).isEqualTo(Map.of("MaximumConcurrency", integration.maxConcurrency()));
        synth.template.resourcePropertiesCountIs(
                "AWS::Lambda::EventSourceMapping", Map.of("EventSourceArn", getAtt(p.queue(), "Arn")), 1);
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void secretIsCreatedEmptyForTheOperatorToFill(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        assertThat(synth.properties(p.secret()))
                .containsEntry("Name", "crm-sync/" + STAGE + "/" + integration.name())
                .doesNotContainKeys("SecretString", "GenerateSecretString");
        synth.template.resourceCountIs("AWS::SecretsManager::Secret", Catalog.INTEGRATIONS.size());
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void functionRoleGrantsExactlyWhatThePipelineUses(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        Map<String, Object> role = synth.properties(p.role());
        assertThat(role).doesNotContainKeys("ManagedPolicyArns", "Policies", "PermissionsBoundary");
        assertThat(render(role.get("AssumeRolePolicyDocument")))
                .contains("lambda.amazonaws.com")
                .doesNotContain("\"AWS\"");
        assertThat(synth.template.findResources("AWS::IAM::ManagedPolicy")).isEmpty();

        List<Map<String, Object>> statements = new ArrayList<>();
        synth.template
                .findResources(
                        "AWS::IAM::Policy",
                        Map.of("Properties", Map.of("Roles", Match.arrayWith(List.of(ref(p.role()))))))
                .values()
                .forEach(policy -> {
                    Map<String, Object> properties = typed(policy.get("Properties"));
                    assertThat(properties.get("Roles"))
                            .as("a policy shared with another role")
                            .isEqualTo(List.of(ref(p.role())));
                    Map<String, Object> document = typed(properties.get("PolicyDocument"));
                    statements.addAll(typed(document.get("Statement")));
                });

        Map<String, Set<String>> actionsByResource = new TreeMap<>();
        for (Map<String, Object> statement : statements) {
            assertThat(statement)
                    .containsEntry("Effect", "Allow")
                    .doesNotContainKeys("NotAction", "NotResource", "Principal");
            for (Object resource : asList(statement.get("Resource"))) {
                for (Object action : asList(statement.get("Action"))) {
                    actionsByResource
                            .computeIfAbsent(render(resource), r -> new TreeSet<>())
                            .add(String.valueOf(action));
                }
            }
            if (asList(statement.get("Resource")).contains("*")) {
                assertThat(statement.get("Action")).isEqualTo("cloudwatch:PutMetricData");
                assertThat(statement.get("Condition"))
                        .isEqualTo(Map.of("StringEquals", Map.of("cloudwatch:namespace", "CrmSync")));
            }
        }
        Map<String, Set<String>> expected = new HashMap<>(Map.of(
                render(getAtt(table, "Arn")),
                Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                render(getAtt(p.queue(), "Arn")),
                Set.of(
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        "sqs:GetQueueUrl"),
                render(ref(p.secret())),
                Set.of("secretsmanager:GetSecretValue"),
                render(getAtt(p.logGroup(), "Arn")),
                Set.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "*",
                Set.of("cloudwatch:PutMetricData")));
        if (!integration.publishedOutcomes().isEmpty()) {
            // outcome events: its own bus only (the source condition: OutcomeEventsStackTest)
            expected.put(render(getAtt(bus, "Arn")), Set.of("events:PutEvents"));
        }
        assertThat(actionsByResource).isEqualTo(expected);
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void alarmsWatchTheDlqsTheQueueAgeTheFunctionAndTheRule(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        assertAlarm(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                List.of(dimension("QueueName", getAtt(p.deadLetterQueue(), "QueueName"))),
                0);
        assertAlarm(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                List.of(dimension("QueueName", getAtt(p.ruleDeadLetterQueue(), "QueueName"))),
                0);
        assertAlarm(
                "AWS/SQS",
                "ApproximateAgeOfOldestMessage",
                List.of(dimension("QueueName", getAtt(p.queue(), "QueueName"))),
                (int) RetryArithmetic.oldestMessageAgeAlarm(integration.retryWindow())
                        .toSeconds());
        assertAlarm("AWS/Lambda", "Errors", List.of(dimension("FunctionName", ref(p.function()))), 0);
        assertAlarm("AWS/Lambda", "Throttles", List.of(dimension("FunctionName", ref(p.function()))), 0);
        List<Map<String, Object>> ruleDimensions =
                List.of(dimension("EventBusName", ref(bus)), dimension("RuleName", ref(p.rule())));
        assertAlarm("AWS/Events", "FailedInvocations", ruleDimensions, 0);
        assertAlarm("AWS/Events", "InvocationsFailedToBeSentToDlq", ruleDimensions, 0);
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void anAlarmFiresWhenTheFunctionCannotStart(Integration integration) {
        assertAlarm(
                MetricName.HEALTH_NAMESPACE,
                MetricName.STARTUP_FAILED.wireName(),
                List.of(dimension("integration", integration.name())),
                0);
        synth.template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "AlarmName",
                        "crm-sync-" + STAGE + "-" + integration.name() + "-startup-failed",
                        "MetricName",
                        MetricName.STARTUP_FAILED.wireName(),
                        "Statistic",
                        "Sum",
                        "Period",
                        60,
                        "TreatMissingData",
                        "notBreaching",
                        "AlarmDescription",
                        Match.stringLikeRegexp(".*could not start.*" + ErrorClass.STARTUP_FAILED.wireName() + ".*")));
    }

    @ParameterizedTest
    @FieldSource("INTEGRATIONS")
    void dashboardShowsQueuesFunctionAndSyncOutcomes(Integration integration) {
        PipelineResources p = PipelineResources.of(synth, integration, STAGE);
        String dashboard = synth.idOf("AWS::CloudWatch::Dashboard", Map.of("DashboardName", p.name()));
        String body = render(synth.properties(dashboard).get("DashboardBody"));

        assertThat(body)
                .contains(
                        "\"AWS/SQS\",\"ApproximateNumberOfMessagesVisible\",\"QueueName\",\"${" + p.queue()
                                + ".QueueName}\"",
                        "\"AWS/SQS\",\"ApproximateAgeOfOldestMessage\",\"QueueName\",\"${" + p.queue()
                                + ".QueueName}\"",
                        "\"AWS/SQS\",\"ApproximateNumberOfMessagesVisible\",\"QueueName\",\"${" + p.deadLetterQueue()
                                + ".QueueName}\"",
                        "\"AWS/Lambda\",\"Invocations\",\"FunctionName\",\"${" + p.function() + "}\"",
                        "\"AWS/Lambda\",\"Errors\",\"FunctionName\",\"${" + p.function() + "}\"",
                        "\"AWS/Lambda\",\"Duration\",\"FunctionName\",\"${" + p.function() + "}\"");
        for (String outcome : List.of("succeeded", "failed", "skipped")) {
            assertThat(body).contains("\"CrmSync\",\"" + outcome + "\",\"integration\",\"" + integration.name() + "\"");
        }
    }

    private void assertAlarm(String namespace, String metric, List<Map<String, Object>> dimensions, int threshold) {
        synth.template.resourcePropertiesCountIs(
                "AWS::CloudWatch::Alarm",
                Map.of(
                        "Namespace", namespace,
                        "MetricName", metric,
                        "Dimensions", dimensions,
                        "ComparisonOperator", "GreaterThanThreshold",
                        "Threshold", threshold,
                        "EvaluationPeriods", 1,
                        "AlarmActions", List.of(ref(topic))),
                1);
    }

    private static Map<String, Object> dimension(String name, Object value) {
        return Map.of("Name", name, "Value", value);
    }

    private static List<Map<String, Object>> queuePolicyStatements(String queue) {
        Map<String, Map<String, Object>> policies = synth.template.findResources(
                "AWS::SQS::QueuePolicy", Map.of("Properties", Map.of("Queues", List.of(ref(queue)))));
        assertThat(policies).as("queue policies of %s", queue).hasSize(1);
        Map<String, Object> properties =
                typed(policies.values().iterator().next().get("Properties"));
        Map<String, Object> document = typed(properties.get("PolicyDocument"));
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> statement :
                SynthesizedStack.<List<Map<String, Object>>>typed(document.get("Statement"))) {
            Map<String, Object> withoutSid = new TreeMap<>(statement);
            withoutSid.remove("Sid");
            statements.add(withoutSid);
        }
        return statements;
    }

    private static Map<String, Object> withResource(Map<String, Object> statement, Object resource) {
        Map<String, Object> copy = new TreeMap<>(statement);
        copy.put("Resource", resource);
        return copy;
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }
}
