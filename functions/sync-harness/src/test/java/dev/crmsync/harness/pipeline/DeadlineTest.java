package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch that cannot finish before the invocation's deadline: the records that fit are applied
 * and acknowledged, the rest are not started and come back soon — the batch is never sent back
 * whole, and nothing is lost.
 */
class DeadlineTest {
    private final ExampleSandbox vendor = ExampleSandbox.shared();

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local = LocalDeployment.of(vendor, () -> new ExampleHarness(vendor, 10, 30));

    @Test
    void recordsThatWouldOutliveTheInvocationAreNotStartedAndComeBackLater() throws InterruptedException {
        ExampleHarness harness = local.harness();
        // One vendor call at a time, each of 800 ms (an account is one call), a 5 s invocation
        // and a 2.5 s margin (longer than one record takes): only the first few records of the batch fit.
        local.reconfigure(
                config -> config.withTuning(1, Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(2)),
                Duration.ofSeconds(5));
        LocalEventSourceMapping esm = local.esm();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String account = SampleEvents.unique("001");
            accounts.add(account);
            harness.send(SampleEvents.accountUpserted(account, 1, "Account " + i));
        }
        vendor.setLatency(Duration.ofMillis(800));

        List<software.amazon.awssdk.services.sqs.model.Message> batch = new ArrayList<>();
        for (int tries = 0; batch.size() < 8 && tries < 20; tries++) {
            batch.addAll(esm.receive(8 - batch.size()));
        }
        LocalEventSourceMapping.Invocation invocation = esm.invoke(batch);

        assertThat(invocation.received()).isEqualTo(8);
        assertThat(invocation.failedMessageIds()).isNotEmpty().hasSizeLessThan(8);
        // no record was left running past the response: nothing reaches the vendor afterwards
        int callsAtResponse = vendor.calls().size();
        Thread.sleep(Duration.ofMillis(1500));
        assertThat(vendor.calls()).hasSize(callsAtResponse);
        assertThat(vendor.records()).hasSize(8 - invocation.failedMessageIds().size());
        // not-started records come back within seconds, not after the queue's 30 s visibility timeout
        assertThat(harness.visibilityTimeouts)
                .hasSize(invocation.failedMessageIds().size())
                .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(1));

        vendor.setLatency(Duration.ZERO);
        harness.eventSourceMapping(harness.pipeline()).drain(Duration.ofSeconds(20));
        assertThat(vendor.records()).hasSize(8);
        for (String account : accounts) {
            assertThat(harness.recordItem("account", account)
                            .get("appliedVersion")
                            .n())
                    .isEqualTo("1");
        }
        assertThat(harness.dlqMessages()).isEmpty();
    }
}
