package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.CapturedLogs;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.LocalEventBridge;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The outcome events of the pipeline, on real local servers (dynalite, ElasticMQ, the Secrets
 * Manager endpoint, the example vendor) and the local EventBridge endpoint, which keeps what the SDK
 * client sent it. Each batch holds an applied record, a skipped one (an echo) and a failed one (a deal
 * whose account is not synced yet).
 */
class OutcomeEventsTest {
    private static final Set<String> DETAIL_FIELDS = Set.of(
            "integration",
            "eventId",
            "crmDetailType",
            "object",
            "recordId",
            "version",
            "attempt",
            "externalId",
            "skipReason",
            "errorClass",
            "retrying");

    private final ExampleSandbox vendor = ExampleSandbox.shared();
    private final LocalEventBridge eventBridge = LocalEventBridge.shared();
    private final String bus = "crm-sync-test-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local = LocalDeployment.of(vendor, () -> {
        ExampleHarness harness = new ExampleHarness(vendor, 5, 30);
        harness.environment.put("CRM_SYNC_EVENT_BUS", bus);
        return harness;
    });

    /** The three records of a batch, sent and processed in one invocation, and how long that invocation took. */
    private record Batch(
            String account, String echoed, String deal, LocalEventSourceMapping.Invocation invocation, Duration took) {}

    private Batch processAppliedSkippedAndFailed(Duration functionTimeout) {
        String account = SampleEvents.unique("001");
        String echoed = SampleEvents.unique("001");
        String deal = SampleEvents.unique("006");
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme Corporation"));
        local.harness()
                .send(SampleEvents.withOrigin(
                        SampleEvents.accountUpserted(echoed, 1, "Globex Corporation"), ExampleConnector.INTEGRATION));
        local.harness().send(SampleEvents.dealClosed(deal, SampleEvents.unique("001"), "1250.50", "evt-" + deal));
        local.reconfigure(UnaryOperator.identity(), functionTimeout);
        List<Message> received = new ArrayList<>();
        for (int tries = 0; received.size() < 3 && tries < 20; tries++) {
            received.addAll(local.esm().receive(3 - received.size()));
        }
        assertThat(received).hasSize(3);
        Instant start = Instant.now();
        LocalEventSourceMapping.Invocation invocation = local.esm().invoke(received);
        return new Batch(account, echoed, deal, invocation, Duration.between(start, Instant.now()));
    }

    private Batch processAppliedSkippedAndFailed() {
        return processAppliedSkippedAndFailed(ExampleHarness.FUNCTION_TIMEOUT);
    }

    @Test
    void appliedSkippedAndFailedRecordsAreTheEntriesOfOnePutEventsCall() {
        local.harness().environment.put("CRM_SYNC_PUBLISH_OUTCOMES", "applied,failed,skipped");
        Batch batch = processAppliedSkippedAndFailed();

        assertThat(eventBridge.calls(bus))
                .singleElement()
                .satisfies(call -> assertThat(call.entries()).hasSize(3));
        List<LocalEventBridge.Entry> entries = eventBridge.entries(bus);
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.source()).isEqualTo("crm-sync");
            assertThat(entry.eventBusName()).isEqualTo(bus);
            assertThat(entry.time()).isBetween(Instant.now().minusSeconds(30), Instant.now());
            assertThat(entry.detail().get("integration").asText()).isEqualTo(ExampleConnector.INTEGRATION);
            assertThat(entry.detail().get("attempt").asInt()).isEqualTo(1);
            // ids, versions and classes only: nothing of the record's data, no reason text
            assertThat(fieldNames(entry.detail())).isSubsetOf(DETAIL_FIELDS);
            assertThat(entry.detail().toString()).doesNotContain("Acme", "Globex", "acme.example", "1250");
        });

        String vendorId = vendor.record(batch.account()).orElseThrow().get("id").asText();
        JsonNode applied = detailOf(entries, "sync.applied");
        assertThat(applied.get("eventId").asText()).isEqualTo("evt-" + batch.account() + "-v1");
        assertThat(applied.get("crmDetailType").asText()).isEqualTo("account.upserted");
        assertThat(applied.get("object").asText()).isEqualTo("account");
        assertThat(applied.get("recordId").asText()).isEqualTo(batch.account());
        assertThat(applied.get("version").asLong()).isEqualTo(1);
        assertThat(applied.get("externalId").asText()).isEqualTo(vendorId);
        JsonNode skipped = detailOf(entries, "sync.skipped");
        assertThat(skipped.get("recordId").asText()).isEqualTo(batch.echoed());
        assertThat(skipped.get("skipReason").asText()).isEqualTo("echo");
        assertThat(skipped.has("externalId")).isFalse();
        JsonNode failed = detailOf(entries, "sync.failed");
        assertThat(failed.get("eventId").asText()).isEqualTo("evt-" + batch.deal());
        assertThat(failed.get("crmDetailType").asText()).isEqualTo("deal.closed");
        assertThat(failed.get("object").asText()).isEqualTo("deal");
        assertThat(failed.get("recordId").asText()).isEqualTo(batch.deal());
        assertThat(failed.get("errorClass").asText()).isEqualTo("dependency_missing");
        assertThat(failed.get("retrying").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "CRM_SYNC_PUBLISH_OUTCOMES={0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "(unset)",
            value = {
                "(unset)         | sync.applied sync.failed",
                "skipped         | sync.skipped",
                "failed,applied  | sync.applied sync.failed",
                "none            | ''"
            })
    void theIntegrationsSettingChoosesWhichOutcomesArePublished(String setting, String expectedDetailTypes) {
        if (setting != null) {
            local.harness().environment.put("CRM_SYNC_PUBLISH_OUTCOMES", setting);
        }
        processAppliedSkippedAndFailed();

        List<String> published = eventBridge.entries(bus).stream()
                .map(LocalEventBridge.Entry::detailType)
                .sorted()
                .toList();
        assertThat(published)
                .isEqualTo(expectedDetailTypes.isBlank() ? List.of() : List.of(expectedDetailTypes.split(" ")));
        if (published.isEmpty()) {
            assertThat(eventBridge.calls(bus)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = LocalEventBridge.Answer.class,
            names = {"SERVER_ERROR", "FAIL_ENTRIES"})
    void aPutEventsThatFailsLeavesEveryRecordsOutcomeAsItWas(LocalEventBridge.Answer answer) {
        eventBridge.answer(bus, answer);
        Batch batch;
        try (CapturedLogs logs = new CapturedLogs()) {
            batch = processAppliedSkippedAndFailed();
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("outcome events not published"));
        }

        assertThat(eventBridge.calls(bus)).isNotEmpty();
        // the deal alone failed, as it would have without outcome events; the others were deleted
        Set<String> failed = batch.invocation().failedMessageIds();
        assertThat(failed).hasSize(1);
        assertThat(local.harness().queuedMessages()).isEqualTo(1);
        assertThat(local.harness()
                        .statusItem("evt-" + batch.deal())
                        .get("errorClass")
                        .s())
                .isEqualTo("dependency_missing");
        assertThat(local.harness()
                        .recordItem("account", batch.account())
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
        assertThat(vendor.records())
                .singleElement()
                .satisfies(r -> assertThat(r.get("id").asText()).isEqualTo(batch.account()));
        assertThat(local.harness().recordItem("account", batch.echoed())).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aSlowEventBridgeDoesNotHoldTheResponsePastTheInvocationsDeadline() {
        Duration functionTimeout = Duration.ofSeconds(3);
        eventBridge.delay(bus, Duration.ofSeconds(15));

        Batch batch = processAppliedSkippedAndFailed(functionTimeout);

        assertThat(eventBridge.calls(bus)).isNotEmpty();
        // the invocation (and its deletes) ended before its deadline: Lambda would otherwise fail, and repeat, the
        // batch
        assertThat(batch.took()).isLessThan(functionTimeout);
        assertThat(batch.invocation().failedMessageIds()).hasSize(1);
        assertThat(local.harness()
                        .recordItem("account", batch.account())
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
        assertThat(local.harness().queuedMessages()).isEqualTo(1);
    }

    private static JsonNode detailOf(List<LocalEventBridge.Entry> entries, String detailType) {
        List<JsonNode> details = entries.stream()
                .filter(e -> detailType.equals(e.detailType()))
                .map(LocalEventBridge.Entry::detail)
                .toList();
        assertThat(details).as(detailType).hasSize(1);
        return details.getFirst();
    }

    private static Set<String> fieldNames(JsonNode detail) {
        Set<String> names = new java.util.TreeSet<>();
        detail.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
