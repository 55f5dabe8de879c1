package dev.crmsync.infra;

import dev.crmsync.contract.OutcomeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * The whole of crm-sync: the event bus, the state table, the on-call topic, and one
 * {@link IntegrationPipeline} per catalog entry. Environment-agnostic and free of lookups, so
 * {@code cdk synth} needs no AWS account.
 */
public final class CrmSyncStack extends Stack {

    /**
     * The deployment's choices, from CDK context ({@code cdk deploy -c stage=prod ...}).
     *
     * @param stage        {@code stage}: part of the stack and every resource name; default {@code dev}
     * @param crmSource    {@code crmSource}: the EventBridge {@code source} of the CRM's events; default {@code crm};
     *                     never {@code crm-sync}, the source of crm-sync's own outcome events
     * @param eventBusName {@code eventBusName}: an existing (e.g. partner) bus to listen on;
     *                     default: a new bus {@code crm-sync-<stage>}
     * @param alarmEmail   {@code alarmEmail}: an address subscribed to the alarm topic; default none
     */
    public record Settings(String stage, String crmSource, Optional<String> eventBusName, Optional<String> alarmEmail) {

        private static final Pattern STAGE = Pattern.compile("[a-z0-9][a-z0-9-]{0,15}");

        public Settings {
            if (!STAGE.matcher(stage).matches()) {
                throw new IllegalArgumentException("context stage must match " + STAGE + ": " + stage);
            }
            if (crmSource.isBlank()) {
                throw new IllegalArgumentException("context crmSource must not be blank");
            }
            if (crmSource.strip().equals(OutcomeType.EVENT_SOURCE)) {
                throw new IllegalArgumentException("context crmSource must not be '" + OutcomeType.EVENT_SOURCE
                        + "': that is the source of crm-sync's own outcome events (sync.applied, sync.failed, "
                        + "sync.skipped)."
                        + " The integrations' rules match the CRM's source, so they would consume crm-sync's outcome "
                        + "events"
                        + " as CRM changes. Give the CRM's events another source, e.g. the default 'crm'.");
            }
            if (alarmEmail.isPresent() && !alarmEmail.get().matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("context alarmEmail is not an e-mail address: " + alarmEmail.get());
            }
        }

        public static Settings fromContext(Node node) {
            return new Settings(
                    ContextKey.STAGE.in(node).orElse("dev"),
                    ContextKey.CRM_SOURCE.in(node).orElse(RulePattern.DEFAULT_CRM_SOURCE),
                    ContextKey.EVENT_BUS_NAME.in(node),
                    ContextKey.ALARM_EMAIL.in(node));
        }

        public String stackName() {
            return "CrmSync-" + stage;
        }
    }

    public CrmSyncStack(Construct scope, Settings settings, Path repoRoot, List<Integration> integrations) {
        super(
                scope,
                settings.stackName(),
                StackProps.builder()
                        .stackName(settings.stackName())
                        .description("crm-sync (" + settings.stage()
                                + "): CRM events to billing, marketing, helpdesk and chat systems")
                        .build());

        IEventBus eventBus = settings.eventBusName()
                .map(name -> EventBus.fromEventBusName(this, "EventBus", name))
                .orElseGet(() -> EventBus.Builder.create(this, "EventBus")
                        .eventBusName("crm-sync-" + settings.stage())
                        .description("CRM change events for crm-sync (" + settings.stage() + ")")
                        .build());

        // One table for every integration; keys are namespaced by integration. It holds the
        // CRM-id ↔ external-id mapping, so it outlives the stack.
        TableV2 table = TableV2.Builder.create(this, "StateTable")
                .partitionKey(Attribute.builder()
                        .name("pk")
                        .type(AttributeType.STRING)
                        .build())
                .billing(Billing.onDemand())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute("expiresAt")
                .encryption(TableEncryptionV2.awsManagedKey())
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Topic alarmTopic = alarmTopic(settings);

        new CfnOutput(
                this, "EventBusName", outputOf(eventBus.getEventBusName(), "The bus the CRM sends its events to"));
        new CfnOutput(this, "StateTableName", outputOf(table.getTableName(), "The sync state table"));
        new CfnOutput(this, "AlarmTopicArn", outputOf(alarmTopic.getTopicArn(), "On-call alarms; subscribe to it"));

        for (Integration integration : integrations) {
            String id = pascalCase(integration.name());
            IntegrationPipeline pipeline = new IntegrationPipeline(
                    this,
                    id,
                    new IntegrationPipelineProps(
                            integration,
                            settings.stage(),
                            settings.crmSource(),
                            eventBus,
                            table,
                            alarmTopic,
                            functionJar(repoRoot, integration),
                            connectorOptions(integration)));
            new CfnOutput(
                    this, id + "QueueUrl", outputOf(pipeline.queue().getQueueUrl(), integration.name() + " queue"));
            new CfnOutput(
                    this,
                    id + "DeadLetterQueueUrl",
                    outputOf(pipeline.deadLetterQueue().getQueueUrl(), integration.name() + " DLQ: redrive from here"));
            new CfnOutput(
                    this,
                    id + "RuleDeadLetterQueueUrl",
                    outputOf(
                            pipeline.ruleDeadLetterQueue().getQueueUrl(),
                            integration.name() + " rule-target DLQ: events EventBridge could not deliver"));
            new CfnOutput(
                    this,
                    id + "SecretArn",
                    outputOf(pipeline.secretArn(), integration.name() + " credentials: put-secret-value here"));
            new CfnOutput(
                    this,
                    id + "LogGroupName",
                    outputOf(pipeline.logGroup().getLogGroupName(), integration.name() + " function logs"));
        }
    }

    /**
     * The on-call topic. Encrypted with a key of our own: CloudWatch alarms cannot publish to a
     * topic encrypted with the AWS managed SNS key, whose policy no one can extend.
     */
    private Topic alarmTopic(Settings settings) {
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the crm-sync (" + settings.stage() + ") alarm topic")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ServicePrincipal cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .principals(List.of(cloudWatch))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        Topic topic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("crm-sync " + settings.stage() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // enforceSsl replaces the default topic policy, so CloudWatch needs its own grant.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .principals(List.of(cloudWatch))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "ArnLike",
                        Map.of(
                                "aws:SourceArn",
                                formatArn(ArnComponents.builder()
                                        .service("cloudwatch")
                                        .resource("alarm")
                                        .resourceName("*")
                                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                        .build()))))
                .build());
        settings.alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        return topic;
    }

    /**
     * The integration's connector options by NAME, each written in the catalog or taken from this
     * stack's context; one whose context key is unset is left out (the default stack synthesizes without
     * warnings, and a connector names a missing option in the reason it fails with).
     */
    private Map<String, String> connectorOptions(Integration integration) {
        Map<String, String> values = new TreeMap<>();
        integration
                .options()
                .forEach((name, option) -> (option.value() != null
                                ? Optional.of(option.value())
                                : ContextKey.valueOf(getNode(), option.contextKey()))
                        .ifPresent(value -> values.put(name, value)));
        return values;
    }

    private static Path functionJar(Path repoRoot, Integration integration) {
        Path jar = repoRoot.resolve(integration.functionJar()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The " + integration.name() + " function jar " + integration.functionJar()
                    + " does not exist (looked in " + repoRoot
                    + "). Build it first: run `mvn package` (or `mvn -B verify`)"
                    + " in the repository root, then synthesize again.");
        }
        return jar;
    }

    private static CfnOutputProps outputOf(String value, String description) {
        return CfnOutputProps.builder().value(value).description(description).build();
    }

    /** The construct and output id prefix of an integration: {@code billing} → {@code Billing}. */
    public static String pascalCase(String name) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
