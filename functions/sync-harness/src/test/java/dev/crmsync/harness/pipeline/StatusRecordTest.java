package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status record tells the truth after a redrive: once on-call fixed the cause and redrove the
 * DLQ, no event that has since been applied or skipped still shows as failed — also when several
 * events of one record had failed.
 */
class StatusRecordTest {
    private final ExampleSandbox vendor = ExampleSandbox.shared();

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local = LocalDeployment.of(vendor, () -> new ExampleHarness(vendor, 3, 30));

    @Test
    void afterARedriveEveryStatusOfTheRecordSaysAppliedOrSkippedNeverFailed() throws InterruptedException {
        String account = SampleEvents.unique("001");
        String first = "evt-" + account + "-v1";
        String second = "evt-" + account + "-v2";
        // the vendor rejects both versions (say, a field it refuses): both end in the DLQ
        vendor.rejectNext("PUT", "/records/.*", 2, 400, "invalid_request", "Invalid field");
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme", first));
        local.esm().drain(Duration.ofSeconds(10));
        local.harness().send(SampleEvents.accountUpserted(account, 2, "Acme v2", second));
        local.esm().drain(Duration.ofSeconds(10));
        assertThat(local.harness().dlqMessages()).hasSize(2);
        assertThat(local.harness().statusItem(first).get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(local.harness().statusItem(second).get("outcome").s()).isEqualTo("FAILED_PERMANENT");

        // on-call fixes the cause and redrives the DLQ
        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");
        assertThat(local.harness().statusItem(first).get("outcome").s()).isIn("APPLIED", "SKIPPED");
        assertThat(local.harness().statusItem(second).get("outcome").s()).isEqualTo("APPLIED");
        assertThat(local.harness().recordItem("account", account)).doesNotContainKey("failedEvents");
    }
}
