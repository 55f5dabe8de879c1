package dev.crmsync.synccore.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.secrets.IntegrationSecret;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.testkit.LocalAws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * The per-record protocol (claim → apply → one credentials refresh → commit) on the calling
 * thread, against dynalite and a local Secrets Manager, with a scripted connector in place of a
 * vendor: what it claims, what it hands the connector, what it commits, and what it never lets
 * out of an exception.
 */
class RecordProtocolTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String KEY = "sk_live_51SecretValueThatMustNeverLeak";
    private final LocalAws aws = LocalAws.get();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ScriptedConnector connector = new ScriptedConnector();
    private SyncStateStore store;
    private String table;
    private String secretId;
    private RecordProtocol protocol;
    private IntegrationSecret secret;

    @BeforeEach
    void setUp() {
        table = aws.createStateTable("protocol-" + UUID.randomUUID());
        store = new SyncStateStore(aws.dynamo(), table, clock, Duration.ofDays(30));
        secretId = "crm-sync/test/protocol-" + UUID.randomUUID();
        aws.putSecret(secretId, "{\"apiKey\":\"" + KEY + "\"}");
        SecretsManagerClient client = SecretsManagerClient.builder()
                .endpointOverride(aws.secretsEndpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        secret = new IntegrationSecret(
                SecretsProvider.builder().withClient(client).build(),
                SecretsProvider.builder().withClient(client).build(),
                secretId,
                new ObjectMapper(),
                Duration.ofMinutes(5),
                clock);
        protocol = new RecordProtocol(connector, clock, secretId, Duration.ofSeconds(10));
    }

    private static InvocationInstants instants() {
        return InvocationInstants.of(NOW, 5_000, Duration.ofSeconds(2));
    }

    private static PendingRecord account(String recordId, long version) {
        SQSMessage message = new SQSMessage();
        message.setMessageId("m-" + recordId + "-" + version);
        ObjectMapper json = new ObjectMapper();
        CrmEvent event = new CrmEvent(
                "evt-" + recordId + "-v" + version,
                "account.upserted",
                "account",
                recordId,
                version,
                NOW.minusSeconds(1),
                "crm",
                List.of(),
                json.createObjectNode().put("name", "Acme"));
        return new PendingRecord(
                message,
                new Delivery(message.getMessageId(), 1, NOW),
                event,
                new Operation.SyncRecord("account", recordId),
                StateKey.record("test", "account", recordId));
    }

    private static PendingRecord withVendorKeys(PendingRecord record, Set<String> keys) {
        return new PendingRecord(
                record.message(),
                record.delivery(),
                record.event(),
                new Operation.SyncRecord("account", record.event().recordId(), keys),
                record.claimKey());
    }

    private RecordVerdict run(PendingRecord record, Map<RecordRef, String> mappings, BatchCredentials credentials) {
        return protocol.run(record, store, instants(), mappings, credentials);
    }

    private Map<String, AttributeValue> item(PendingRecord record) {
        Map<String, AttributeValue> item = aws.dynamo()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(record.claimKey())))
                        .consistentRead(true))
                .item();
        return item == null ? Map.of() : item;
    }

    @Test
    void anExceptionThatQuotesTheSecretNeverCarriesItOut() {
        // what the JDK HTTP client says about a header value it rejects
        connector.script(request -> {
            throw new IllegalArgumentException(
                    "invalid header value: \"Bearer " + request.credentials().require("apiKey") + "\u200b\"");
        });
        BatchCredentials credentials = new BatchCredentials(secret);

        RecordVerdict verdict = run(account("001", 1), Map.of(), credentials);

        assertThat(verdict).isInstanceOf(RecordVerdict.Failed.class);
        String reason = ((RecordVerdict.Failed) verdict).failure().reason();
        assertThat(reason)
                .contains("IllegalArgumentException")
                .contains("[redacted]")
                .doesNotContain(KEY)
                .doesNotContain("sk_live");
    }

    @Test
    void anUnexpectedExceptionInAConnectorIsPermanentAndRedacted() {
        // e.g. a mapping that meets a value it did not expect: every retry would throw the same way
        connector.script(request -> {
            throw new NumberFormatException(
                    "Infinite or NaN, key " + request.credentials().require("apiKey"));
        });

        RecordVerdict verdict = run(account("001", 1), Map.of(), new BatchCredentials(secret));

        assertThat(verdict).isInstanceOf(RecordVerdict.Failed.class);
        SyncFailure failure = ((RecordVerdict.Failed) verdict).failure();
        assertThat(failure).isInstanceOf(SyncFailure.Permanent.class);
        assertThat(failure.errorClass()).isEqualTo("internal");
        assertThat(failure.reason()).contains("NumberFormatException").doesNotContain(KEY);
        // the lease travels with the verdict, so the give-up releases it in the same write
        assertThat(((RecordVerdict.Failed) verdict).heldLease()).isPresent();
    }

    @Test
    void aRejectedKeyIsReReadOnceForTheBatchAndUsedByEveryRecordAfter() {
        String rotated = "sk_live_51RotatedValue000000000000002";
        List<String> keysSent = new ArrayList<>();
        connector.script(request -> {
            String key = request.credentials().require("apiKey");
            keysSent.add(key);
            return key.equals(rotated)
                    ? new SyncResult.Applied("cus_" + keysSent.size())
                    : new SyncResult.Failed(new SyncFailure.Unauthorized("401"));
        });
        BatchCredentials credentials = new BatchCredentials(secret);
        credentials.current();
        aws.putSecret(secretId, "{\"apiKey\":\"" + rotated + "\"}");

        assertThat(run(account("001", 1), Map.of(), credentials)).isInstanceOf(RecordVerdict.Applied.class);
        assertThat(run(account("002", 1), Map.of(), credentials)).isInstanceOf(RecordVerdict.Applied.class);
        assertThat(run(account("003", 1), Map.of(), credentials)).isInstanceOf(RecordVerdict.Applied.class);

        assertThat(keysSent).containsExactly(KEY, rotated, rotated, rotated);
    }

    @Test
    void aKeyRejectedAlsoAfterTheReReadFailsTheRestOfTheBatchWithoutACall() {
        connector.script(request -> new SyncResult.Failed(new SyncFailure.Unauthorized("401")));
        BatchCredentials credentials = new BatchCredentials(secret);

        RecordVerdict first = run(account("001", 1), Map.of(), credentials);
        int callsAfterFirst = connector.calls.size();
        RecordVerdict second = run(account("002", 1), Map.of(), credentials);

        assertThat(((RecordVerdict.Failed) first).failure()).isInstanceOf(SyncFailure.Permanent.class);
        assertThat(((RecordVerdict.Failed) second).failure().errorClass()).isEqualTo("unauthorized");
        assertThat(callsAfterFirst).isEqualTo(2);
        assertThat(connector.calls).hasSize(2);
    }

    @Test
    void aMissingDependencyIsAWaitDecidedBeforeAnythingIsClaimed() {
        connector.dependsOn(new RecordRef("account", "001-parent"));
        PendingRecord record = account("002", 1);

        RecordVerdict verdict = run(record, Map.of(), new BatchCredentials(secret));

        assertThat(verdict).isInstanceOf(RecordVerdict.Waiting.class);
        assertThat(((RecordVerdict.Waiting) verdict).failure().reason()).contains("001-parent");
        assertThat(item(record)).isEmpty();
        assertThat(connector.calls).isEmpty();
    }

    @Test
    void theKeyGenerationAConnectorEndsOnIsCommittedAndHandedToTheNextAttempt() {
        connector.script(
                request -> new SyncResult.Applied("cus_1", Map.of(), request.keyGeneration() + 1, Optional.empty()));
        run(account("001", 1), Map.of(), new BatchCredentials(secret));
        assertThat(item(account("001", 1)).get("keyGeneration").n()).isEqualTo("1");

        connector.script(request -> new SyncResult.Applied("cus_1", Map.of(), 0, Optional.empty()));
        run(account("001", 2), Map.of(), new BatchCredentials(secret));

        assertThat(connector.calls.getLast().keyGeneration()).isEqualTo(1);
        // a connector reporting an older generation never moves the item back
        assertThat(item(account("001", 2)).get("keyGeneration").n()).isEqualTo("1");
    }

    @Test
    void theConnectorIsHandedTheLiveKeysOfTheRecordAndTheCommitKeepsThoseItReports() {
        PendingRecord first = withVendorKeys(account("001", 1), Set.of("h1"));
        connector.script(request -> new SyncResult.Applied("h1", Map.of(), 0, Optional.empty(), Set.of("h1")));
        run(first, Map.of(), new BatchCredentials(secret));

        connector.script(request -> new SyncResult.Applied("h2", Map.of(), 0, Optional.empty(), Set.of("h2")));
        run(withVendorKeys(account("001", 2), Set.of("h2")), Map.of(), new BatchCredentials(secret));

        assertThat(connector.calls.getLast().liveKeys()).containsExactlyInAnyOrder("h1", "h2");
        assertThat(item(first).get("liveVendorKeys").ss()).containsExactly("h2");
    }

    @Test
    void aStateWithNothingToSendStillHandlesItsVersionAndKeepsTheMapping() {
        run(account("001", 1), Map.of(), new BatchCredentials(secret));
        connector.script(request -> new SyncResult.NotApplicable("the contact has no e-mail"));

        RecordVerdict verdict = run(account("001", 3), Map.of(), new BatchCredentials(secret));

        assertThat(verdict).isInstanceOf(RecordVerdict.Skipped.class);
        assertThat(((RecordVerdict.Skipped) verdict).reason()).isEqualTo("not_applicable");
        assertThat(item(account("001", 3)).get("appliedVersion").n()).isEqualTo("3");
        assertThat(item(account("001", 3)).get("externalId").s()).isEqualTo("ext-1");
        // an older state arriving later is stale: never sent over the newer one
        int calls = connector.calls.size();
        assertThat(run(account("001", 2), Map.of(), new BatchCredentials(secret)))
                .isInstanceOf(RecordVerdict.Skipped.class);
        assertThat(connector.calls).hasSize(calls);
    }

    @Test
    void everyAttemptHoldsItsOwnLeaseAndCallsEndBeforeIt() {
        connector.script(request -> new SyncResult.Failed(new SyncFailure.Retryable("vendor_5xx", "503")));
        RecordVerdict first = run(account("001", 1), Map.of(), new BatchCredentials(secret));
        store.release(
                account("001", 1).claimKey(),
                ((RecordVerdict.Failed) first).heldLease().orElseThrow());
        RecordVerdict second = run(account("001", 1), Map.of(), new BatchCredentials(secret));

        assertThat(((RecordVerdict.Failed) first).heldLease())
                .isNotEqualTo(((RecordVerdict.Failed) second).heldLease());
        // the calls' deadline lies inside the lease the claim took (the invocation's end)
        Instant callsEnd = connector.calls.getLast().calls().callDeadline();
        assertThat(callsEnd).isBefore(instants().leaseEnd());
        assertThat(connector.calls.getLast().callTimeout()).contains(Duration.between(NOW, callsEnd));
    }

    /** A connector whose answers the test scripts; it records what it was handed. */
    private static final class ScriptedConnector implements Connector {
        final Deque<SyncRequest> calls = new ArrayDeque<>();
        private Function<SyncRequest, SyncResult> answer = request -> new SyncResult.Applied("ext-1");
        private List<RecordRef> dependencies = List.of();

        void script(Function<SyncRequest, SyncResult> answer) {
            this.answer = answer;
        }

        void dependsOn(RecordRef ref) {
            this.dependencies = List.of(ref);
        }

        @Override
        public String integration() {
            return "test";
        }

        @Override
        public Operation plan(CrmEvent event) {
            return new Operation.SyncRecord(event.object(), event.recordId());
        }

        @Override
        public List<RecordRef> dependencies(CrmEvent event) {
            return dependencies;
        }

        @Override
        public SyncResult apply(SyncRequest request) {
            calls.add(request);
            return answer.apply(request);
        }
    }
}
