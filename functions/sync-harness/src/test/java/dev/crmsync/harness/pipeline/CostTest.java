package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.DeadlineContext;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * What the paths off the happy one cost, counted as the requests the function's SDK clients send
 * to real local servers: a redelivered duplicate, a retry, an invalid message on its way to the
 * DLQ, a dependency wait, a key rotation; and that every call the function makes is bounded by
 * an API call timeout that fits the invocation.
 */
class CostTest {
    private final ExampleSandbox vendor = ExampleSandbox.shared();

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local = LocalDeployment.of(vendor, () -> new ExampleHarness(vendor, 5, 30));

    @Test
    void aRedeliveredDuplicateCostsOneWriteAndNoStatusRead() {
        String account = SampleEvents.unique("001");
        String body = SampleEvents.accountUpserted(account, 1, "Acme");
        local.harness().send(body);
        local.esm().drain(Duration.ofSeconds(10));

        // SQS delivers the same message again (its second receive)
        local.harness().dynamoOperations.clear();
        SQSEvent.SQSMessage again = new SQSEvent.SQSMessage();
        again.setMessageId("redelivered-" + account);
        again.setReceiptHandle("rh-" + account);
        again.setBody(body);
        again.setAttributes(Map.of(
                "ApproximateReceiveCount",
                "2",
                "ApproximateFirstReceiveTimestamp",
                Long.toString(Instant.now().minusSeconds(5).toEpochMilli())));
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(again));
        var response = local.pipeline()
                .process(batch, new DeadlineContext(ExampleConnector.INTEGRATION, Duration.ofSeconds(20)));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(local.harness().writes()).isEqualTo(1);
        assertThat(local.harness().reads()).isEqualTo(local.harness().readsPerRefusedClaim());
    }

    @Test
    void aRetryThatSucceedsReadsNothing() {
        String account = SampleEvents.unique("001");
        vendor.failNext("PUT", "/records/.*", 1, 500);
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));
        local.esm().pollOnce();
        // first receive: claim, release (noting the failure on the item), one status record
        assertThat(local.harness().count("UpdateItem")).isEqualTo(2);
        assertThat(local.harness().count("PutItem")).isEqualTo(1);

        local.harness().dynamoOperations.clear();
        local.esm().drain(Duration.ofSeconds(10));
        // second receive: claim, commit, the status turned APPLIED — and no read
        assertThat(local.harness().count("UpdateItem")).isEqualTo(2);
        assertThat(local.harness().count("PutItem")).isEqualTo(1);
        assertThat(local.harness().reads()).isZero();
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
    }

    @Test
    void anInvalidMessageWritesItsStatusOnItsFirstAndLastReceiveOnly() {
        local.harness().send("{\"detail-type\": \"account.upserted\", \"detail\": {\"eventId\": \"evt-bad\"}}");
        local.esm().drain(Duration.ofSeconds(15));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(local.harness().count("PutItem")).isEqualTo(2);
        assertThat(local.harness().count("UpdateItem")).isZero();
        assertThat(local.harness().reads()).isZero();
        assertThat(local.harness().statusItem("evt-bad").get("errorClass").s()).isEqualTo("schema_invalid");
    }

    @Test
    void aDependencyWaitClaimsNothingAndWritesOnlyOnItsFirstReceive() {
        String account = SampleEvents.unique("001");
        String deal = SampleEvents.unique("006");
        local.harness().send(SampleEvents.dealClosed(deal, account, "10.00", "evt-" + deal));
        local.esm().pollOnce();
        // first receive: the status record and the failure noted on the deal's action item
        assertThat(local.harness().count("PutItem")).isEqualTo(1);
        assertThat(local.harness().count("UpdateItem")).isEqualTo(1);
        assertThat(local.harness().count("BatchGetItem")).isEqualTo(1);

        local.harness().dynamoOperations.clear();
        sleep(Duration.ofMillis(1500));
        LocalEventSourceMapping.Invocation second = local.esm().pollOnce();
        assertThat(second.received()).isEqualTo(1);
        assertThat(second.failedMessageIds()).hasSize(1);
        // later receives: the one batched mapping read, no claim, no release, no status
        assertThat(local.harness().dynamoOperations).containsExactly("BatchGetItem");

        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));
        local.esm().drain(Duration.ofSeconds(20));
        assertThat(vendor.orders()).hasSize(1);
        assertThat(local.harness().statusItem("evt-" + deal).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void afterAKeyRotationOnlyTheFirstRecordOfTheBatchCallsWithTheRejectedKey() {
        local.reconfigure(
                config -> config.withTuning(1, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2)));
        // the function has read (and cached) the key in use...
        local.harness().send(SampleEvents.accountUpserted(SampleEvents.unique("001"), 1, "Before rotation"));
        local.esm().drain(Duration.ofSeconds(10));
        // ...then the key is rotated: the vendor refuses the old one
        String rotated = "ex_test_CrmSyncRotatedKey0003";
        vendor.revokeApiKeys(ExampleHarness.API_KEY).acceptApiKeys(rotated);
        local.harness().aws.putSecret(local.harness().secretId, "{\"apiKey\":\"" + rotated + "\"}");
        for (int i = 0; i < 4; i++) {
            local.harness().send(SampleEvents.accountUpserted(SampleEvents.unique("001"), 1, "Account " + i));
        }

        local.esm().drain(Duration.ofSeconds(15));

        assertThat(vendor.records()).hasSize(5);
        assertThat(vendor.calls().stream().filter(c -> c.status() == 401)).hasSize(1);
    }

    @Test
    void everyCallOfTheFunctionCarriesATimeoutThatFitsTheInvocation() {
        List<String> unbounded = Collections.synchronizedList(new ArrayList<>());
        List<Duration> timeouts = Collections.synchronizedList(new ArrayList<>());
        ExecutionInterceptor bounded = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                Optional<Duration> timeout = request instanceof AwsRequest aws
                        ? aws.overrideConfiguration().flatMap(o -> o.apiCallTimeout())
                        : Optional.empty();
                timeout.ifPresentOrElse(
                        timeouts::add, () -> unbounded.add(request.getClass().getSimpleName()));
            }
        };
        LocalEventSourceMapping timed =
                local.harness().eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), bounded));
        String account = SampleEvents.unique("001");
        vendor.failNext("PUT", "/records/.*", 1, 500);
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));
        local.harness()
                .send(SampleEvents.dealClosed(
                        SampleEvents.unique("006"), account, "1.00", "evt-" + SampleEvents.unique("d")));

        timed.pollOnce();

        assertThat(unbounded).isEmpty();
        assertThat(timeouts)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(ExampleHarness.FUNCTION_TIMEOUT));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
