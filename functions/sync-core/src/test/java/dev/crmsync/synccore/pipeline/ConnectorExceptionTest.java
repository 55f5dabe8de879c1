package dev.crmsync.synccore.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.synccore.state.SyncStatus;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A connector that throws while planning an event (a bug meeting data it did not expect), in the
 * whole pipeline against ElasticMQ, dynalite and a local Secrets Manager: that event fails
 * permanently with a status record, the batch's other events are applied.
 */
class ConnectorExceptionTest {
    private final LocalAws aws = LocalAws.get();

    private static String accountUpserted(String recordId) {
        return """
                {"version":"0","id":"env-%1$s","detail-type":"account.upserted","source":"crm",
                 "detail":{"eventId":"evt-%1$s","object":"account","recordId":"%1$s","version":1,
                           "occurredAt":"2026-12-01T10:00:00Z","origin":"crm","data":{"name":"Acme"}}}\
                """.formatted(recordId);
    }

    /** Plans every account but the one whose id starts with "bad", for which it throws. */
    private static final class ThrowsWhilePlanning implements Connector {
        @Override
        public String integration() {
            return "test";
        }

        @Override
        public Operation plan(CrmEvent event) {
            if (event.recordId().startsWith("bad")) {
                throw new IllegalArgumentException("unexpected record id " + event.recordId());
            }
            return new Operation.SyncRecord(event.object(), event.recordId());
        }

        @Override
        public SyncResult apply(SyncRequest request) {
            return new SyncResult.Applied("ext-" + request.event().recordId());
        }
    }

    @Test
    void anExceptionWhilePlanningFailsThatEventPermanentlyAndNotTheBatch() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String table = aws.createStateTable("planning-" + id);
        AwsEnvironment.QueuePair queue = aws.createQueuePair("planning-" + id, 5, 30);
        String secretId = "crm-sync/test/planning-" + id;
        aws.putSecret(secretId, "{\"apiKey\":\"k\"}");
        SyncConfig config = SyncConfig.from(Map.of(
                "CRM_SYNC_INTEGRATION",
                "test",
                "CRM_SYNC_TABLE",
                table,
                "CRM_SYNC_QUEUE_URL",
                queue.queueUrl(),
                "CRM_SYNC_SECRET_ID",
                secretId));
        SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(aws.secretsEndpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        SyncPipeline pipeline = SyncPipeline.create(
                config,
                new AwsClients(aws.dynamo(), aws.sqs(), secrets),
                Clock.systemUTC(),
                () -> 0.5,
                settings -> new ThrowsWhilePlanning());
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(accountUpserted("bad-" + id)));
        aws.sqs().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody(accountUpserted("good-" + id)));

        LocalEventSourceMapping.Invocation invocation = new LocalEventSourceMapping(
                        aws.sqs(), queue.queueUrl(), queue.queueArn(), pipeline::process, Duration.ofSeconds(20))
                .pollOnce();

        assertThat(invocation.received()).isEqualTo(2);
        assertThat(invocation.failedMessageIds()).hasSize(1);
        SyncStateStore store = new SyncStateStore(aws.dynamo(), table, Clock.systemUTC(), Duration.ofDays(30));
        SyncStatus status = store.status("test", "evt-bad-" + id).orElseThrow();
        assertThat(status.outcome()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.errorClass()).isEqualTo("internal");
        assertThat(status.reason()).contains("IllegalArgumentException").contains("bad-" + id);
        // on its way to the DLQ at once (visibility 0), not back after a backoff
        assertThat(aws.sqs()
                        .receiveMessage(b -> b.queueUrl(queue.queueUrl()).waitTimeSeconds(1))
                        .messages())
                .hasSize(1);
        assertThat(store.status("test", "evt-good-" + id)).isEmpty();
    }
}
