package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.CapturedLogs;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failure handling on real local servers, whatever the vendor: a connection reset is retried with
 * a short visibility; invalid input reaches the DLQ within seconds through the queue's
 * RedrivePolicy with a status record; a secret that cannot be sent fails without showing it.
 */
class FaultTest {
    private final ExampleSandbox vendor = ExampleSandbox.shared();

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local = LocalDeployment.of(vendor, () -> new ExampleHarness(vendor, 4, 30));

    @Test
    void connectionResetIsRetried() {
        String account = SampleEvents.unique("001");
        vendor.resetConnectionNext("PUT", "/records/.*", 1);
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));

        local.esm().pollOnce();
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("network");
        local.esm().drain(Duration.ofSeconds(20));
        assertThat(vendor.records()).hasSize(1);
        assertThat(local.harness().visibilityTimeouts).containsExactly(1);
    }

    @Test
    void schemaInvalidInputReachesTheDlqWithItsReason() throws Exception {
        String body = Files.readString(SampleEvents.samples().resolve("invalid/missing-record-id.json"));
        String eventId = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(body)
                .path("detail")
                .path("eventId")
                .asText();
        local.harness().send(body);
        local.harness().send(Files.readString(SampleEvents.samples().resolve("invalid/malformed-json.json")));

        Map<String, AttributeValue> status = local.drainToTheDlq(eventId, "schema_invalid", 2);
        assertThat(status.get("reason").s()).contains("recordId");
        assertThat(vendor.calls()).isEmpty();
    }

    @Test
    void aSecretWithALineBreakFailsWithoutShowingItsValue() {
        local.harness().aws.putSecret(local.harness().secretId, "{\"apiKey\":\"" + ExampleHarness.API_KEY + "\\n\"}");
        String account = SampleEvents.unique("001");
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));
        local.esm().pollOnce();

        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + account + "-v1");
        assertThat(status.get("reason").s()).contains("control character").doesNotContain(ExampleHarness.API_KEY);
        assertThat(vendor.calls()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-width space \u200b", "closing smart quote \u201d"})
    void aSecretWithACharacterNoHeaderCarriesFailsWithoutShowingAnyPartOfIt(String pasted) {
        String key = "ex_test_PastedKeyQwErTy" + pasted.substring(pasted.length() - 1) + "ZxCvBn9876";
        local.harness().aws.putSecret(local.harness().secretId, "{\"apiKey\":\"" + key + "\"}");
        String account = SampleEvents.unique("001");
        List<String> logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            local.deliver(SampleEvents.accountUpserted(account, 1, "Acme"));
            logs = captured.lines();
        }

        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + account + "-v1");
        assertThat(logs).anySatisfy(line -> assertThat(line).contains(account));
        for (String part : List.of("PastedKey", "QwErTy", "ZxCvBn", "ex_test_Pasted")) {
            assertThat(status.get("reason").s()).doesNotContain(part);
            assertThat(logs).noneMatch(line -> line.contains(part));
        }
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("unauthorized");
        assertThat(status.get("reason").s()).contains("'apiKey'").contains("HTTP header cannot carry");
        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(vendor.calls()).isEmpty();
    }
}
