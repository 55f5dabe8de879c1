package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.MetricName;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.time.Duration;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.CfnSecret;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.RedriveAllowPolicy;
import software.amazon.awscdk.services.sqs.RedrivePermission;
import software.constructs.Construct;

/**
 * One integration's pipeline: EventBridge rule → SQS queue (with its DLQ) → Lambda function, plus
 * the function's secret, role, log group, alarms and dashboard.
 *
 * <p>Every resource is named {@code crm-sync-<stage>-<integration>[-suffix]} so on-call finds it
 * by name. The safe defaults below live here, not at the call sites: encryption and TLS-only
 * access on every queue, a DLQ on the queue and on the rule target, a retained log group, least
 * privilege, and alarms that page on-call.
 *
 * <p>The queue agrees with the function's retries by time ({@link RetryArithmetic}): its
 * maxReceiveCount is a backstop behind the retry window, its retention and the age alarm follow
 * from the window, and the function gets the same numbers in its environment
 * ({@link FunctionEnvironment}). Alarms: {@link PipelineAlarms}; dashboard: {@link PipelineDashboard}.
 */
public final class IntegrationPipeline extends Construct {

    /** Records per invocation: SQS's largest batch that needs no batching window. */
    public static final int DEFAULT_BATCH_SIZE = 10;
    /** Gather up to this long for a full batch: fewer, fuller invocations at low volume. */
    public static final Duration DEFAULT_BATCHING_WINDOW = Duration.ofSeconds(5);
    /**
     * Concurrent invocations the event source mapping may start: protects the vendor's rate limit
     * and the account's concurrency without reserving any (no reserved concurrency is set).
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    /**
     * Vendor calls one invocation has in flight at most, unless the catalog says otherwise (sync-core's own default).
     */
    public static final int DEFAULT_VENDOR_CALLS_PER_INVOCATION = EnvVar.CRM_SYNC_MAX_CONCURRENCY.defaultNumber();
    /** Function timeout: room for a batch of vendor calls with retries inside the pipeline. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Function memory in MB; Lambda gives CPU in proportion, which the JVM's start-up needs. */
    public static final int DEFAULT_MEMORY_MB = 1024;
    /** EventBridge keeps retrying delivery to the queue for up to a day (its maximum)... */
    public static final Duration RULE_MAX_EVENT_AGE = Duration.ofHours(24);
    /** ...and up to this many times (its maximum); what still fails goes to the rule-target DLQ. */
    public static final int RULE_RETRY_ATTEMPTS = 185;
    /** Function log retention. */
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;
    /** The namespace of the functions' EMF metrics (Powertools), and the only one they may write. */
    public static final String METRICS_NAMESPACE = MetricName.NAMESPACE;
    /** The alias the event source mapping invokes: a published version, as SnapStart requires. */
    public static final String LIVE_ALIAS = "live";

    private final String resourceName;
    private final Queue queue;
    private final Queue deadLetterQueue;
    private final Queue ruleDeadLetterQueue;
    private final Rule rule;
    private final CfnSecret secret;
    private final LogGroup logGroup;
    private final Function function;
    private final Duration retryWindow;
    private final int maxReceiveCount;

    public IntegrationPipeline(Construct scope, String id, IntegrationPipelineProps props) {
        super(scope, id);
        Integration integration = props.integration();
        this.resourceName = "crm-sync-" + props.stage() + "-" + integration.name();
        this.retryWindow = integration.retryWindow();
        this.maxReceiveCount = RetryArithmetic.maxReceiveCount(retryWindow);
        SnsAction notifyOnCall = new SnsAction(props.alarmTopic());

        // The DLQ's redrive allow policy names the queue, and the queue's redrive policy names the
        // DLQ: a reference both ways would be a cycle, so the DLQ names the queue by its ARN,
        // built from the queue's fixed name.
        String queueArn = Stack.of(this)
                .formatArn(ArnComponents.builder()
                        .service("sqs")
                        .resource(resourceName)
                        .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                        .build());
        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .queueName(resourceName + "-dlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(cdk(RetryArithmetic.DEAD_LETTER_RETENTION))
                .redriveAllowPolicy(RedriveAllowPolicy.builder()
                        .redrivePermission(RedrivePermission.BY_QUEUE)
                        .sourceQueues(List.of(Queue.fromQueueArn(this, "QueueByArn", queueArn)))
                        .build())
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .queueName(resourceName)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(cdk(RetryArithmetic.queueRetention(retryWindow)))
                // AWS's rule for Lambda event sources: at least six times the function timeout
                // (plus the batching window), so a message is never redelivered while a retrying
                // invocation still holds it.
                .visibilityTimeout(cdk(integration.timeout().multipliedBy(6).plus(integration.batchingWindow())))
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetterQueue)
                        .maxReceiveCount(maxReceiveCount)
                        .build())
                .build();

        // Events EventBridge could not deliver to the queue (after its own retries) land here.
        this.ruleDeadLetterQueue = Queue.Builder.create(this, "RuleDeadLetterQueue")
                .queueName(resourceName + "-rule-dlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(cdk(RetryArithmetic.DEAD_LETTER_RETENTION))
                .build();
        NagSuppressions.addResourceSuppressions(
                ruleDeadLetterQueue,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-SQS3")
                        .reason("This queue is a DLQ: the dead-letter target of the EventBridge rule that feeds the "
                                + "integration queue.")
                        .build()));

        // The target adds the queue policies that let only this rule (aws:SourceArn) send to the
        // queue and to the rule-target DLQ.
        this.rule = Rule.Builder.create(this, "Rule")
                .ruleName(resourceName)
                .description("CRM changes for the " + integration.name() + " integration")
                .eventBus(props.eventBus())
                .eventPattern(eventPattern(RulePattern.of(integration, props.crmSource())))
                .targets(List.of(SqsQueue.Builder.create(queue)
                        .deadLetterQueue(ruleDeadLetterQueue)
                        .maxEventAge(cdk(RULE_MAX_EVENT_AGE))
                        .retryAttempts(RULE_RETRY_ATTEMPTS)
                        .build()))
                .build();

        // Created empty (neither SecretString nor GenerateSecretString): the vendor issues the
        // credential, and the operator puts it with put-secret-value; it never enters the template.
        this.secret = CfnSecret.Builder.create(this, "Secret")
                .name("crm-sync/" + props.stage() + "/" + integration.name())
                .description("Credentials of the " + integration.name()
                        + " integration's vendor API, as JSON (e.g. {\"apiKey\": \"...\"})")
                .build();
        NagSuppressions.addResourceSuppressions(
                secret,
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-SMG4")
                        .reason("The value is a vendor-issued API key that no rotation Lambda can renew; operators "
                                + "rotate it in the vendor's dashboard and put the new value, and the "
                                + "function re-reads the secret on a 401.")
                        .build()));

        this.logGroup = LogGroup.Builder.create(this, "LogGroup")
                .retention(LOG_RETENTION)
                .build();

        Role role = FunctionRole.create(this, props, logGroup, secret);

        this.function = Function.Builder.create(this, "Function")
                .functionName(resourceName)
                .description("Syncs CRM changes to the " + integration.name() + " integration's vendor")
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .handler(integration.handler())
                .code(Code.fromAsset(props.functionJar().toString()))
                .memorySize(integration.memoryMb())
                .timeout(cdk(integration.timeout()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(logGroup)
                .environment(FunctionEnvironment.of(integration, props, queue, secret, maxReceiveCount))
                .build();

        // SnapStart snapshots published versions only, so the queue feeds an alias of the current
        // version; $LATEST would run without SnapStart.
        Alias live = Alias.Builder.create(this, "Live")
                .aliasName(LIVE_ALIAS)
                .version(function.getCurrentVersion())
                .build();
        live.addEventSource(SqsEventSource.Builder.create(queue)
                .batchSize(integration.batchSize())
                .maxBatchingWindow(cdk(integration.batchingWindow()))
                .reportBatchItemFailures(true)
                .maxConcurrency(integration.maxConcurrency())
                .build());
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "The event source mapping invokes the alias '" + LIVE_ALIAS
                                + "' of the current published version.");

        PipelineParts parts = new PipelineParts(
                resourceName,
                integration.name(),
                queue,
                deadLetterQueue,
                ruleDeadLetterQueue,
                rule,
                props.eventBus().getEventBusName(),
                function);
        PipelineAlarms.addTo(this, parts, notifyOnCall, retryWindow, maxReceiveCount);
        PipelineDashboard.addTo(this, parts);
    }

    private static software.amazon.awscdk.Duration cdk(Duration duration) {
        return software.amazon.awscdk.Duration.seconds(duration.toSeconds());
    }

    /** The integration queue the rule feeds and the function consumes. */
    public IQueue queue() {
        return queue;
    }

    /**
     * Where messages go after their retry window (through the queue's redrive policy) or at once on a
     * permanent failure; on-call redrives from here.
     */
    public IQueue deadLetterQueue() {
        return deadLetterQueue;
    }

    /** Where EventBridge puts events it could not deliver to the queue. */
    public IQueue ruleDeadLetterQueue() {
        return ruleDeadLetterQueue;
    }

    /** ARN of the integration's (initially empty) secret. */
    public String secretArn() {
        return secret.getRef();
    }

    /** The function's log group. */
    public LogGroup logGroup() {
        return logGroup;
    }

    /** How long after its first receive a change is retried before it goes to the DLQ. */
    public Duration retryWindow() {
        return retryWindow;
    }

    /** The queue's RedrivePolicy maxReceiveCount: a backstop behind the retry window. */
    public int maxReceiveCount() {
        return maxReceiveCount;
    }

    private static EventPattern eventPattern(RulePattern pattern) {
        return EventPattern.builder()
                .source(pattern.sources())
                .detailType(pattern.detailTypes())
                .build();
    }
}
