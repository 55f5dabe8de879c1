package dev.crmsync.synccore.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.synccore.state.SyncStatus;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.DeadlineContext;
import dev.crmsync.testkit.LocalAws;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A function whose pipeline cannot be built (a missing option, a missing variable) against
 * ElasticMQ and dynalite: every record is failed with a long visibility and a status item naming
 * the problem, never left to fail the whole invocation.
 */
class StartupFailureTest {
    private static final String EVENT = """
            {"version":"0","id":"env-1","detail-type":"account.upserted","source":"crm",
             "detail":{"eventId":"evt-startup-1","object":"account","recordId":"001A","version":1,
                       "occurredAt":"2026-12-01T10:00:00Z","origin":"crm","data":{"name":"Acme"}}}""";
    /** A connector that needs an option the deployment did not set, as helpdesk needs its subdomain. */
    private static final Function<ConnectorSettings, Connector> NEEDS_A_CHANNEL = settings -> {
        throw new IllegalStateException("test: CRM_SYNC_OPTION_CHANNEL is not set; set it to the channel to post to");
    };

    private final LocalAws aws = LocalAws.get();
    private String table;
    private AwsEnvironment.QueuePair queue;
    private Map<String, String> environment;

    @BeforeEach
    void deployment() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        table = aws.createStateTable("startup-" + id);
        // visibility 0: a message the function does not hide is visible again at once
        queue = aws.createQueuePair("startup-" + id, 3, 0);
        environment = new HashMap<>(Map.of(
                "CRM_SYNC_INTEGRATION", "test",
                "CRM_SYNC_TABLE", table,
                "CRM_SYNC_QUEUE_URL", queue.queueUrl(),
                "CRM_SYNC_SECRET_ID", "crm-sync/test/startup",
                "CRM_SYNC_MAX_RECEIVE_COUNT", "3"));
    }

    private SyncFunction function() {
        return SyncFunction.start(
                environment,
                () -> new AwsClients(aws.dynamo(), aws.sqs(), null),
                Clock.systemUTC(),
                () -> 0.5,
                NEEDS_A_CHANNEL);
    }

    private SQSBatchResponse deliver(SyncFunction function) {
        List<Message> received = aws.sqs()
                .receiveMessage(b -> b.queueUrl(queue.queueUrl())
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
        SQSEvent batch = new SQSEvent();
        batch.setRecords(received.stream()
                .map(m -> {
                    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                    record.setMessageId(m.messageId());
                    record.setReceiptHandle(m.receiptHandle());
                    record.setBody(m.body());
                    Map<String, String> attributes = new HashMap<>();
                    m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
                    record.setAttributes(attributes);
                    return record;
                })
                .toList());
        return function.process(batch, new DeadlineContext("test", Duration.ofSeconds(20)));
    }

    private SyncStatus status(String eventId) {
        return new SyncStateStore(aws.dynamo(), table, Clock.systemUTC(), Duration.ofDays(30))
                .status("test", eventId)
                .orElseThrow();
    }

    @Test
    void aMissingOptionFailsEveryRecordWithALongVisibilityAndAStatusNamingIt() {
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(EVENT));
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody("not json"));
        SyncFunction function = function();

        SQSBatchResponse response = deliver(function);

        assertThat(function).isInstanceOf(StartupFailure.class);
        assertThat(response.getBatchItemFailures()).hasSize(2);
        SyncStatus status = status("evt-startup-1");
        assertThat(status.outcome()).isEqualTo("RETRYING");
        assertThat(status.errorClass()).isEqualTo("startup_failed");
        assertThat(status.reason()).contains("CRM_SYNC_OPTION_CHANNEL").contains("back in 15 min");
        assertThat(status.recordId()).isEqualTo("001A");
        assertThat(status.attempts()).isEqualTo(1);
        // an unreadable body is named by its message id, as the pipeline names it
        String messageId = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .filter(id -> !id.equals(status.messageId()))
                .findFirst()
                .orElseThrow();
        assertThat(status(messageId).errorClass()).isEqualTo("startup_failed");
        // hidden for the long visibility, not back at once (the queue's own visibility is 0)
        assertThat(aws.sqs()
                        .receiveMessage(b -> b.queueUrl(queue.queueUrl()).maxNumberOfMessages(10))
                        .messages())
                .isEmpty();
    }

    @Test
    void onItsLastReceiveTheStatusSaysTheMessageGoesToTheDlq() {
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(EVENT));
        SyncFunction function = function();
        // the queue's maxReceiveCount is 3: received twice already, the third receive is the last
        for (int i = 0; i < 2; i++) {
            aws.sqs()
                    .receiveMessage(b -> b.queueUrl(queue.queueUrl()).visibilityTimeout(0))
                    .messages();
        }

        deliver(function);

        SyncStatus status = status("evt-startup-1");
        assertThat(status.outcome()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.attempts()).isEqualTo(3);
        assertThat(status.reason())
                .startsWith("gave up after 3 receives: the function could not start: ")
                .contains("CRM_SYNC_OPTION_CHANNEL");
    }

    @Test
    void aMissingVariableIsAStartupFailureToo() {
        environment.remove("CRM_SYNC_SECRET_ID");
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(EVENT));

        SQSBatchResponse response = deliver(SyncFunction.start(
                environment,
                () -> new AwsClients(aws.dynamo(), aws.sqs(), null),
                Clock.systemUTC(),
                () -> 0.5,
                settings -> {
                    throw new AssertionError("not reached");
                }));

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(status("evt-startup-1").reason()).contains("CRM_SYNC_SECRET_ID");
    }

    @Test
    void withoutATableTheRecordsStillFailWithTheLongVisibility() {
        environment.remove("CRM_SYNC_TABLE");
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(EVENT));

        SQSBatchResponse response = deliver(function());

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(aws.sqs()
                        .receiveMessage(b -> b.queueUrl(queue.queueUrl()).maxNumberOfMessages(10))
                        .messages())
                .isEmpty();
    }
}
