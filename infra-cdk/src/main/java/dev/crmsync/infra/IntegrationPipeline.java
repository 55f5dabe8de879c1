package dev.crmsync.infra;

import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.observe.SyncOutcome;
import dev.crmsync.synccore.pipeline.StartupFailure;
import dev.crmsync.synccore.retry.RetryPolicy;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
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
 * <p><b>Retries.</b> The function retries a change by time, not by count: a retryable failure
 * (vendor down, 5xx, 429, timeout) makes the message invisible for an exponential backoff
 * ({@link #BACKOFF_BASE} doubling up to {@link #BACKOFF_CAP}) until the integration's retry window,
 * counted from the message's first receive, is over; then the function writes a status record
 * and lets the message go to the DLQ. The default window, {@link RetryPolicy#DEFAULT_WINDOW} (7 h),
 * rides out a vendor outage of up to 6 h 45 min (the window less one backoff cap) without a single
 * message in the DLQ; a permanent failure still reaches the DLQ within a minute (visibility 0).
 * The queue's maxReceiveCount is only a backstop, computed by {@link RetryPolicy#maxReceiveCount}
 * high enough that the window always ends first; the function gets the same window and count in
 * {@code CRM_SYNC_RETRY_WINDOW_SECONDS} and {@code CRM_SYNC_MAX_RECEIVE_COUNT}, and the backoff
 * bounds the count assumes in {@code CRM_SYNC_BACKOFF_BASE_SECONDS} and
 * {@code CRM_SYNC_BACKOFF_CAP_SECONDS}. The queue's retention and the age alarm follow from the
 * window too, so an outage shorter than the window pages no one.
 */
public final class IntegrationPipeline extends Construct {

    /**
     * The first retry's backoff bound; it doubles with every receive. The function's own default,
     * set on it explicitly because the queue's maxReceiveCount is computed from it.
     */
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(2);
    /** The largest backoff bound (the function's default, set on it explicitly like the base). */
    public static final Duration BACKOFF_CAP = Duration.ofSeconds(900);
    /** Records per invocation: SQS's largest batch that needs no batching window. */
    public static final int DEFAULT_BATCH_SIZE = 10;
    /** Gather up to this long for a full batch: fewer, fuller invocations at low volume. */
    public static final Duration DEFAULT_BATCHING_WINDOW = Duration.ofSeconds(5);
    /**
     * Concurrent invocations the event source mapping may start: protects the vendor's rate limit
     * and the account's concurrency without reserving any (no reserved concurrency is set).
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    /** Vendor calls one invocation has in flight at most, unless the catalog says otherwise (sync-core's own default). */
    public static final int DEFAULT_VENDOR_CALLS_PER_INVOCATION = 8;
    /** Function timeout: room for a batch of vendor calls with retries inside the pipeline. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Function memory in MB; Lambda gives CPU in proportion, which the JVM's start-up needs. */
    public static final int DEFAULT_MEMORY_MB = 1024;
    /**
     * How much older than its retry window and one last backoff the oldest message may get before
     * on-call is paged (see {@link #oldestMessageAgeAlarm}).
     */
    public static final Duration OLDEST_MESSAGE_AGE_GRACE = Duration.ofMinutes(15);
    /** The longest SQS keeps a message (MessageRetentionPeriod's maximum). */
    public static final Duration SQS_MAX_RETENTION = Duration.ofDays(14);
    /** The integration queue's retention unless the retry window needs more: SQS's default. */
    public static final Duration QUEUE_RETENTION = Duration.ofDays(4);
    /**
     * Time on-call has, after the age alarm, before the queue's retention deletes a message that
     * was never processed (silently: no status record, nothing in the DLQ).
     */
    public static final Duration RETENTION_AFTER_AGE_ALARM = Duration.ofDays(3);
    /**
     * The longest window the queue can hold: its age alarm plus {@link #RETENTION_AFTER_AGE_ALARM}
     * must fit in {@link #SQS_MAX_RETENTION} (10 d 23 h 30 min).
     */
    public static final Duration LONGEST_RETAINED_WINDOW =
            SQS_MAX_RETENTION.minus(RETENTION_AFTER_AGE_ALARM).minus(OLDEST_MESSAGE_AGE_GRACE).minus(BACKOFF_CAP);
    /**
     * The longest window whose receives fit under SQS's largest maxReceiveCount with room for
     * deferrals (about 5 days with this backoff). Beyond it {@link RetryPolicy#maxReceiveCount}
     * returns SQS's limit, and the count, not the window, would end a message's retries.
     */
    public static final Duration LONGEST_COUNTED_WINDOW = longestCountedWindow();
    /** The longest retry window a catalog entry may ask for: the shorter of the two above. */
    public static final Duration LONGEST_RETRY_WINDOW =
            LONGEST_COUNTED_WINDOW.compareTo(LONGEST_RETAINED_WINDOW) < 0 ? LONGEST_COUNTED_WINDOW : LONGEST_RETAINED_WINDOW;
    /**
     * DLQ retention: SQS's maximum. SQS keeps a message's original enqueue time when it moves to
     * the DLQ, so a message that reached it at the end of its window has 14 days less the window
     * there (13 d 17 h at the default window, about 9 days at the longest).
     */
    public static final Duration DEAD_LETTER_RETENTION = SQS_MAX_RETENTION;
    /** EventBridge keeps retrying delivery to the queue for up to a day (its maximum)... */
    public static final Duration RULE_MAX_EVENT_AGE = Duration.ofHours(24);
    /** ...and up to this many times (its maximum); what still fails goes to the rule-target DLQ. */
    public static final int RULE_RETRY_ATTEMPTS = 185;
    /** Function log retention. */
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;
    /** The namespace of the functions' EMF metrics (Powertools), and the only one they may write. */
    public static final String METRICS_NAMESPACE = "CrmSync";
    /** The alias the event source mapping invokes: a published version, as SnapStart requires. */
    public static final String LIVE_ALIAS = "live";

    private static final software.amazon.awscdk.Duration ONE_MINUTE = software.amazon.awscdk.Duration.minutes(1);

    private final String resourceName;
    private final SnsAction notifyOnCall;
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
        this.maxReceiveCount = maxReceiveCount(retryWindow);
        this.notifyOnCall = new SnsAction(props.alarmTopic());

        // The DLQ's redrive allow policy names the queue, and the queue's redrive policy names the
        // DLQ: a reference both ways would be a cycle, so the DLQ names the queue by its ARN,
        // built from the queue's fixed name.
        String queueArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("sqs")
                .resource(resourceName)
                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                .build());
        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetterQueue")
                .queueName(resourceName + "-dlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(cdk(DEAD_LETTER_RETENTION))
                .redriveAllowPolicy(RedriveAllowPolicy.builder()
                        .redrivePermission(RedrivePermission.BY_QUEUE)
                        .sourceQueues(List.of(Queue.fromQueueArn(this, "QueueByArn", queueArn)))
                        .build())
                .build();
        this.queue = Queue.Builder.create(this, "Queue")
                .queueName(resourceName)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(cdk(queueRetention(retryWindow)))
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
                .retentionPeriod(cdk(DEAD_LETTER_RETENTION))
                .build();
        NagSuppressions.addResourceSuppressions(ruleDeadLetterQueue, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is a DLQ: the dead-letter target of the EventBridge rule that feeds the integration queue.")
                .build()));

        // The target adds the queue policies that let only this rule (aws:SourceArn) send to the
        // queue and to the rule-target DLQ.
        this.rule = Rule.Builder.create(this, "Rule")
                .ruleName(resourceName)
                .description("CRM changes for the " + integration.name() + " integration")
                .eventBus(props.eventBus())
                .eventPattern(EventPattern.builder()
                        .source(List.of(props.crmSource()))
                        .detailType(integration.detailTypes())
                        .build())
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
                .description("Credentials of the " + integration.name() + " integration's vendor API, as JSON (e.g. {\"apiKey\": \"...\"})")
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The value is a vendor-issued API key that no rotation Lambda can renew; operators rotate it in the vendor's dashboard and put the new value, and the function re-reads the secret on a 401.")
                .build()));

        this.logGroup = LogGroup.Builder.create(this, "LogGroup")
                .retention(LOG_RETENTION)
                .build();

        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + integration.name() + " sync function: its table items, queue, secret, logs, metrics and outcome events only")
                .build();
        grantLeastPrivilege(role, props);

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
                .environment(environment(integration, props, queue, secret, retryWindow, maxReceiveCount))
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
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The event source mapping invokes the alias '" + LIVE_ALIAS + "' of the current published version.");

        addAlarms(props);
        addDashboard(integration.name());
    }

    /**
     * The function's environment: where its state, queue and secret are, the retry settings the
     * queue agrees with, its bound on vendor calls per invocation, and its connector options
     * ({@code CRM_SYNC_OPTION_<NAME>}; one taken from a context key only when the context sets it —
     * the default stack synthesizes without warnings, and a connector names a missing option in the
     * reason it fails with).
     */
    private Map<String, String> environment(Integration integration, IntegrationPipelineProps props, Queue queue,
                                            CfnSecret secret, Duration retryWindow, int maxReceiveCount) {
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
                Map.entry("CRM_SYNC_BACKOFF_BASE_SECONDS", Long.toString(BACKOFF_BASE.toSeconds())),
                Map.entry("CRM_SYNC_BACKOFF_CAP_SECONDS", Long.toString(BACKOFF_CAP.toSeconds())),
                Map.entry("CRM_SYNC_PUBLISH_OUTCOMES", SyncOutcome.format(integration.publishedOutcomes())),
                Map.entry("POWERTOOLS_SERVICE_NAME", "crm-sync-" + integration.name()),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE),
                Map.entry("POWERTOOLS_LOG_LEVEL", "INFO"),
                Map.entry("CRM_SYNC_MAX_CONCURRENCY", Integer.toString(integration.vendorCallsPerInvocation()))));
        integration.options().forEach((name, option) -> {
            String value = option.value() != null ? option.value() : contextValue(option.contextKey());
            if (value != null) {
                environment.put(SyncConfig.OPTION_PREFIX + name, value);
            }
        });
        return environment;
    }

    private String contextValue(String key) {
        Object value = getNode().tryGetContext(key);
        String text = value == null ? "" : value.toString().strip();
        return text.isEmpty() ? null : text;
    }

    private void grantLeastPrivilege(Role role, IntegrationPipelineProps props) {
        // Its own policy instead of AWSLambdaBasicExecutionRole: its own log group only.
        logGroup.grantWrite(role);
        // The hot path's reads and conditional writes: no Scan, Query or DeleteItem.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("StateTable")
                .actions(List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"))
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
                    .conditions(Map.of("StringEquals", Map.of("events:source", SyncOutcome.EVENT_SOURCE)))
                    .build());
        }
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("OwnMetrics")
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", METRICS_NAMESPACE)))
                .build());
        // The event source mapping adds the consume actions on this queue to the same default policy.
        NagSuppressions.addResourceSuppressions(role.getNode().findChild("DefaultPolicy"), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the namespace "
                        + METRICS_NAMESPACE + " by the condition cloudwatch:namespace.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    private void addAlarms(IntegrationPipelineProps props) {
        String bus = props.eventBus().getEventBusName();
        // EventBridge reports a rule on a custom bus under both dimensions, on the default bus under RuleName alone.
        Map<String, String> ruleDimensions = "default".equals(bus)
                ? Map.of("RuleName", rule.getRuleName())
                : Map.of("EventBusName", bus, "RuleName", rule.getRuleName());

        // A DLQ nobody reads goes inactive after six hours and SQS stops reporting its depth:
        // missing data then keeps the alarm in ALARM rather than clearing it.
        alarm("DeadLetterQueueNotEmpty", "dlq-not-empty",
                "Messages in the integration DLQ: find why in the sync status record or the log of the event id, fix, then redrive to the source queue.",
                deadLetterQueue.metricApproximateNumberOfMessagesVisible(max()), 0, TreatMissingData.IGNORE);
        alarm("RuleDeadLetterQueueNotEmpty", "rule-dlq-not-empty",
                "EventBridge could not deliver events to the integration queue (queue policy, deleted queue?); they are in the rule-target DLQ.",
                ruleDeadLetterQueue.metricApproximateNumberOfMessagesVisible(max()), 0, TreatMissingData.IGNORE);
        Duration ageAlarm = oldestMessageAgeAlarm(retryWindow);
        alarm("QueueFallingBehind", "queue-behind",
                "A message has waited in the integration queue for more than " + readable(ageAlarm)
                        + " (its retry window of " + readable(retryWindow) + " and a last backoff): the function is not"
                        + " receiving it (event source mapping disabled, function unable to start, throttled) or falls"
                        + " behind. A vendor outage shorter than the retry window does not get here. Unprocessed messages are"
                        + " deleted by SQS, without a status record, after " + readable(queueRetention(retryWindow)) + ".",
                queue.metricApproximateAgeOfOldestMessage(max()), ageAlarm.toSeconds(), TreatMissingData.NOT_BREACHING);
        // Errors counts failed invocations only. A vendor failure is a record the pipeline reports in
        // a successful invocation's partial batch response, so an outage does not show here.
        alarm("FunctionErrors", "function-errors",
                "The sync function failed whole invocations (crash, timeout, init error), not single records:"
                        + " vendor failures are retried per record and do not count here.",
                function.metricErrors(sum()), 0, TreatMissingData.NOT_BREACHING);
        // Caught in the handler: the function answers every record as failed (back in 15 min) with a
        // status item naming the problem. A crash or a throttle before the handler runs is not: those
        // are the two alarms around this one.
        alarm("FunctionCannotStart", "startup-failed",
                "The sync function could not start (a configuration error: an environment variable or connector option"
                        + " missing or malformed): every record is answered as failed and comes back every "
                        + RetryPolicy.STARTUP_FAILURE_BACKOFF.toMinutes() + " min; the status item of any of its events"
                        + " (errorClass " + StartupFailure.ERROR_CLASS + ") names the problem. Fix the configuration and deploy;"
                        + " after about " + readable(RetryPolicy.STARTUP_FAILURE_BACKOFF.multipliedBy(maxReceiveCount))
                        + " the messages reach the DLQ (redrive them then).",
                startupFailures(props.integration().name()), 0, TreatMissingData.NOT_BREACHING);
        alarm("FunctionThrottles", "function-throttles",
                "The sync function was throttled: the account's concurrency is exhausted.",
                function.metricThrottles(sum()), 0, TreatMissingData.NOT_BREACHING);
        alarm("RuleFailedInvocations", "rule-failed-invocations",
                "EventBridge failed to deliver events of this rule to the integration queue.",
                ruleMetric("FailedInvocations", ruleDimensions), 0, TreatMissingData.NOT_BREACHING);
        alarm("RuleDeadLetterDeliveryFailed", "rule-dlq-delivery-failed",
                "EventBridge could deliver events neither to the integration queue nor to the rule-target DLQ: those events are lost.",
                ruleMetric("InvocationsFailedToBeSentToDlq", ruleDimensions), 0, TreatMissingData.NOT_BREACHING);
    }

    /** The queue's maxReceiveCount for {@code window}: {@link RetryPolicy}'s backstop for this construct's backoff. */
    public static int maxReceiveCount(Duration window) {
        return RetryPolicy.maxReceiveCount(window, BACKOFF_BASE, BACKOFF_CAP);
    }

    /** The largest whole-second window whose backstop stays below SQS's limit (the count grows with the window). */
    private static Duration longestCountedWindow() {
        long below = 1;
        long atLimit = SQS_MAX_RETENTION.toSeconds();
        while (atLimit - below > 1) {
            long middle = (below + atLimit) / 2;
            if (maxReceiveCount(Duration.ofSeconds(middle)) < RetryPolicy.SQS_MAX_RECEIVE_COUNT) {
                below = middle;
            } else {
                atLimit = middle;
            }
        }
        return Duration.ofSeconds(below);
    }

    /**
     * The threshold of the queue's "age of oldest message" alarm: the retry window, one last
     * backoff and {@link #OLDEST_MESSAGE_AGE_GRACE} (7 h 30 min at the default window), so a vendor
     * outage shorter than the window pages no one. (Besides, SQS leaves a message out of this metric
     * once it has been received three times, so messages in retry hardly count.) What it catches is
     * a backlog: messages the function does not receive for longer than a whole window — event
     * source mapping disabled, function unable to start or throttled, or far too slow — which SQS
     * would otherwise delete silently at the end of the queue's retention.
     */
    public static Duration oldestMessageAgeAlarm(Duration window) {
        return window.plus(BACKOFF_CAP).plus(OLDEST_MESSAGE_AGE_GRACE);
    }

    /**
     * The integration queue's retention for {@code window}: {@link #QUEUE_RETENTION}, or longer when
     * the window needs it, so that {@link #RETENTION_AFTER_AGE_ALARM} remains after the age alarm.
     * A window whose retention would exceed SQS's maximum ({@link #LONGEST_RETAINED_WINDOW}) is
     * refused when the catalog entry is built.
     */
    public static Duration queueRetention(Duration window) {
        Duration needed = oldestMessageAgeAlarm(window).plus(RETENTION_AFTER_AGE_ALARM);
        return needed.compareTo(QUEUE_RETENTION) > 0 ? needed : QUEUE_RETENTION;
    }

    /** {@code 10 d 23 h 30 min}: durations as on-call reads them in alarm descriptions and errors. */
    static String readable(Duration duration) {
        List<String> parts = new ArrayList<>();
        if (duration.toDaysPart() > 0) {
            parts.add(duration.toDaysPart() + " d");
        }
        if (duration.toHoursPart() > 0) {
            parts.add(duration.toHoursPart() + " h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + " min");
        }
        if (duration.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(duration.toSecondsPart() + " s");
        }
        return String.join(" ", parts);
    }

    private void alarm(String id, String suffix, String description, IMetric metric, double threshold,
                       TreatMissingData missingData) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(resourceName + "-" + suffix)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(missingData)
                .build();
        alarm.addAlarmAction(notifyOnCall);
        alarm.addOkAction(notifyOnCall);
    }

    private void addDashboard(String integrationName) {
        List<IWidget> queues = List.of(
                graph("Messages waiting",
                        queue.metricApproximateNumberOfMessagesVisible(max()),
                        queue.metricApproximateNumberOfMessagesNotVisible(max()),
                        deadLetterQueue.metricApproximateNumberOfMessagesVisible(max()),
                        ruleDeadLetterQueue.metricApproximateNumberOfMessagesVisible(max())),
                graph("Age of oldest message (s)", queue.metricApproximateAgeOfOldestMessage(max())));
        List<IWidget> invocations = List.of(
                graph("Invocations",
                        function.metricInvocations(sum()),
                        function.metricErrors(sum()),
                        function.metricThrottles(sum())),
                graph("Duration (ms)",
                        function.metricDuration(stat("p50")),
                        function.metricDuration(stat("p99")),
                        function.metricDuration(max())));
        List<IWidget> outcomes = List.of(
                graph("Sync outcomes (records)",
                        outcome("succeeded", integrationName),
                        outcome("failed", integrationName),
                        outcome("skipped", integrationName)));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(resourceName)
                .widgets(List.of(queues, invocations, outcomes))
                .build();
    }

    /** Records answered by a function that could not start ({@link SyncMetrics#STARTUP_FAILED}), summed. */
    private static Metric startupFailures(String integrationName) {
        return Metric.Builder.create()
                .namespace(SyncMetrics.HEALTH_NAMESPACE)
                .metricName(SyncMetrics.STARTUP_FAILED)
                .dimensionsMap(Map.of("integration", integrationName))
                .statistic("Sum")
                .period(ONE_MINUTE)
                .build();
    }

    /** One of the pipeline's EMF record counts (Powertools metrics), summed over the integration. */
    private static Metric outcome(String name, String integrationName) {
        return Metric.Builder.create()
                .namespace(METRICS_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("integration", integrationName))
                .statistic("Sum")
                .period(ONE_MINUTE)
                .build();
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create().title(title).left(List.of(metrics)).width(12).height(6).build();
    }

    private static Metric ruleMetric(String name, Map<String, String> dimensions) {
        return Metric.Builder.create()
                .namespace("AWS/Events")
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic("Sum")
                .period(ONE_MINUTE)
                .build();
    }

    private static MetricOptions max() {
        return stat("Maximum");
    }

    private static MetricOptions sum() {
        return stat("Sum");
    }

    private static MetricOptions stat(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(ONE_MINUTE).build();
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
}
