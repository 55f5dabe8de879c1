package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.LocalAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real handler in a separate JVM, configured only through its environment as the stack
 * configures it (plus the SDK's AWS_ENDPOINT_URL_* variables pointing at the local servers):
 * proves the environment contract, the once-per-container wiring and the JSON log lines.
 */
class BillingSyncHandlerProcessTest {
    private final StripeSandbox stripe = StripeSandbox.shared();

    @Test
    void handlerConfiguredOnlyByItsEnvironmentAppliesAnEventAndLogsItsOutcome() throws Exception {
        stripe.reset();
        BillingHarness harness = new BillingHarness(stripe, 5, 30);
        String account = TestEvents.unique("001");
        harness.send(TestEvents.accountUpserted(account, 1, "Acme from a separate JVM"));

        LocalAws aws = LocalAws.get();
        ProcessBuilder process = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                LocalFunctionMain.class.getName(),
                harness.queues.queueArn());
        Map<String, String> env = process.environment();
        env.keySet().removeIf(k -> k.startsWith("CRM_SYNC_") || k.startsWith("AWS_ENDPOINT_URL"));
        env.put("CRM_SYNC_INTEGRATION", "billing");
        env.put("CRM_SYNC_TABLE", harness.table);
        env.put("CRM_SYNC_QUEUE_URL", harness.queues.queueUrl());
        env.put("CRM_SYNC_SECRET_ID", harness.secretId);
        env.put("CRM_SYNC_VENDOR_URL", stripe.baseUrl());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", aws.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", aws.secretsEndpoint().toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_EMF_ENVIRONMENT", "Local");
        env.put("POWERTOOLS_LOG_LEVEL", "INFO");
        env.put("POWERTOOLS_SERVICE_NAME", "crm-sync-billing");
        process.redirectErrorStream(true);
        Process child = process.start();
        List<String> lines = new ArrayList<>();
        try (var reader = child.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();

        assertThat(stripe.customerByCrmId(account))
                .get()
                .satisfies(c -> assertThat(c).containsEntry("name", "Acme from a separate JVM"));
        assertThat(harness.accountItem(account).get("externalId").s()).startsWith("cus_");
        JsonNode outcome = outcomeLine(lines, "evt-" + account + "-v1");
        assertThat(outcome.path("outcome").asText()).isEqualTo("applied");
        assertThat(outcome.path("level").asText()).isEqualTo("INFO");
        assertThat(outcome.path("recordId").asText()).isEqualTo(account);
        assertThat(outcome.path("detailType").asText()).isEqualTo("account.upserted");
        assertThat(outcome.path("attempt").asInt()).isEqualTo(1);
        assertThat(String.join("\n", lines)).doesNotContain(BillingHarness.API_KEY);
    }

    private static JsonNode outcomeLine(List<String> lines, String eventId) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            if (line.startsWith("{") && line.contains("\"eventId\":\"" + eventId + "\"")) {
                return json.readTree(line);
            }
        }
        throw new AssertionError("no JSON log line for " + eventId + " in:\n" + String.join("\n", lines));
    }
}
