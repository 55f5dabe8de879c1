package dev.crmsync.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.testkit.LocalAws;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Steps both contract suites take: a key rotation, and what a refused key must leave behind. */
final class ContractSteps {
    private ContractSteps() {}

    /**
     * Warms the function up (its secret read once), then rotates the key as on-call does: the vendor
     * accepts only the new one, and the secret holds it.
     */
    static void rotateTheSecret(
            IntegrationHarness harness,
            VendorSandbox<?> vendor,
            String apiKey,
            UnaryOperator<String> secretFor,
            Runnable warmUp) {
        warmUp.run();
        assertThat(LocalAws.get().secrets().readsOf(harness.secretId)).isEqualTo(1);
        String rotated = apiKey + "-rotated";
        vendor.revokeApiKeys(apiKey).acceptApiKeys(rotated);
        harness.aws.putSecret(harness.secretId, secretFor.apply(rotated));
    }

    /** After a rotation: the secret was read again once, for the first call refused, and nothing is in the DLQ. */
    static void assertTheSecretWasReadTwice(IntegrationHarness harness) {
        assertThat(LocalAws.get().secrets().readsOf(harness.secretId)).isEqualTo(2);
        assertThat(harness.dlqMessages()).isEmpty();
    }

    /**
     * The one wait after a rate-limited attempt: what the vendor's {@code Retry-After} asked
     * ({@code retryAfterSeconds}, longer than the first backoff), or the pipeline's own backoff
     * when the vendor names no wait.
     */
    static void assertTheWaitAfterARateLimit(
            IntegrationHarness harness, VendorProfile.RateLimitAnswer answer, int retryAfterSeconds) {
        if (answer == VendorProfile.RateLimitAnswer.WITH_RETRY_AFTER) {
            assertThat(harness.visibilityTimeouts).containsExactly(retryAfterSeconds);
        } else {
            assertThat(harness.visibilityTimeouts)
                    .singleElement()
                    .satisfies(seconds -> assertThat(seconds).isPositive());
        }
    }

    /**
     * A key refused also after the secret was read again: {@code unauthorized} in the DLQ, naming the secret, never
     * the key.
     */
    static void assertUnauthorizedWithoutTheKey(IntegrationHarness harness, String eventId, String apiKey) {
        assertThat(harness.dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = harness.statusItem(eventId);
        assertThat(status.get("errorClass").s()).isEqualTo("unauthorized");
        assertThat(status.get("reason").s()).contains(harness.secretId).doesNotContain(apiKey);
        assertThat(harness.dlqMessages().getFirst().body()).doesNotContain(apiKey);
        assertThat(LocalAws.get().secrets().readsOf(harness.secretId)).isEqualTo(2);
    }
}
