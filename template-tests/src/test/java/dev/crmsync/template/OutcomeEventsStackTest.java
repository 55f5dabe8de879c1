package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.JSON;
import static dev.crmsync.template.SynthesizedStack.getAtt;
import static dev.crmsync.template.SynthesizedStack.ref;
import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.OutcomeType;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.Integration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.event.ruler.GenericMachine;

/**
 * crm-sync's own outcome events (source {@code crm-sync}, {@code sync.*}) on the stack's bus: no
 * integration's rule ever routes one (checked with EventBridge's matcher on the synthesized rule
 * patterns), the CRM can never be configured with their source, and each function may put them on
 * its bus only, under that source. Needs the built function jars.
 */
class OutcomeEventsStackTest {

    private static SynthesizedStack synth;
    private static String bus;
    private static final GenericMachine<String> RULES =
            GenericMachine.<String>builder().build();

    @BeforeAll
    static void synthesize() throws Exception {
        synth = SynthesizedStack.withDefaults();
        bus = synth.ofType("AWS::Events::EventBus").keySet().iterator().next();
        for (Map.Entry<String, Map<String, Object>> rule :
                synth.ofType("AWS::Events::Rule").entrySet()) {
            Map<String, Object> properties = typed(rule.getValue().get("Properties"));
            RULES.addRule(rule.getKey(), JSON.writeValueAsString(properties.get("EventPattern")));
        }
    }

    @Test
    void noRuleOfTheTemplateMatchesAnOutcomeEvent() throws Exception {
        assertThat(synth.ofType("AWS::Events::Rule")).hasSameSizeAs(Catalog.INTEGRATIONS);
        for (Integration integration : Catalog.INTEGRATIONS) {
            // the control: the same envelope with the CRM's source and a detail-type the rule takes is matched
            String crmEvent = envelope("crm", integration.detailTypes().getFirst(), integration, "applied");
            assertThat(RULES.rulesForJSONEvent(crmEvent))
                    .as("control: %s", crmEvent)
                    .isNotEmpty();

            for (OutcomeType outcome : OutcomeType.values()) {
                String event =
                        envelope(OutcomeType.EVENT_SOURCE, outcome.detailType(), integration, outcome.settingName());
                assertThat(RULES.rulesForJSONEvent(event)).as(event).isEmpty();
            }
        }
    }

    @Test
    void neitherTheCrmsSourceNorAnIntegrationsTriggerCanBeAnOutcomeEvents() {
        assertThatThrownBy(() -> SynthesizedStack.withContext(Map.of("crmSource", "crm-sync")))
                .hasMessageContaining("crmSource must not be 'crm-sync'")
                .hasMessageContaining("outcome events");
        assertThatThrownBy(() -> Integration.builder("audit")
                        .handler("X")
                        .functionJar("x.jar")
                        .detailTypes("deal.closed", "sync.failed")
                        .build())
                .hasMessageContaining("sync.failed is crm-sync's own outcome event");
    }

    @Test
    void eachFunctionMayPutEventsOnTheStacksBusOnlyUnderCrmSyncsSource() {
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources p = PipelineResources.of(synth, integration, "dev");
            Map<String, Object> variables = typed(SynthesizedStack.<Map<String, Object>>typed(
                            synth.properties(p.function()).get("Environment"))
                    .get("Variables"));
            assertThat(variables)
                    .containsEntry("CRM_SYNC_EVENT_BUS", ref(bus))
                    .containsEntry("CRM_SYNC_PUBLISH_OUTCOMES", OutcomeType.format(integration.publishedOutcomes()));
            if (integration.publishedOutcomes().isEmpty()) {
                assertThat(putEventsStatements(synth, p.role())).isEmpty();
            } else {
                assertThat(putEventsStatements(synth, p.role()))
                        .containsExactly(Map.of(
                                "Effect", "Allow",
                                "Action", "events:PutEvents",
                                "Resource", getAtt(bus, "Arn"),
                                "Condition", Map.of("StringEquals", Map.of("events:source", "crm-sync")),
                                "Sid", "OutcomeEvents"));
            }
        }
    }

    @Test
    void anIntegrationThatPublishesNoOutcomesMayNotPutEvents() {
        Integration silent = Catalog.INTEGRATIONS.getFirst().toBuilder()
                .publishedOutcomes(Set.of())
                .build();
        SynthesizedStack stack = SynthesizedStack.withCatalog(List.of(silent));
        PipelineResources p = PipelineResources.of(stack, silent, "dev");

        assertThat(stack.properties(p.function()).toString()).contains("CRM_SYNC_PUBLISH_OUTCOMES=none");
        assertThat(putEventsStatements(stack, p.role())).isEmpty();
    }

    /** An outcome event as EventBridge delivers it to rules (events/README.md, "Outcome events"). */
    private static String envelope(String source, String detailType, Integration integration, String outcome)
            throws IOException {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", "7c1d2a8e-0000-4000-8000-000000000001")
                .put("detail-type", detailType)
                .put("source", source)
                .put("account", "123456789012")
                .put("time", "2026-03-14T10:20:25Z")
                .put("region", "us-east-1");
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail")
                .put("integration", integration.name())
                .put("eventId", "01JPA6Q4E7H0K3N6R9T2W5Y8C1")
                .put("crmDetailType", integration.detailTypes().getFirst())
                .put("object", "account")
                .put("recordId", "001A000001abcDE")
                .put("version", 1773483622045L)
                .put("attempt", 1);
        switch (outcome) {
            case "applied" -> detail.put("externalId", "cus_NffrFeUfNV2Hib");
            case "failed" -> detail.put("errorClass", "vendor_5xx").put("retrying", true);
            default -> detail.put("skipReason", "duplicate");
        }
        return JSON.writeValueAsString(event);
    }

    private static List<Map<String, Object>> putEventsStatements(SynthesizedStack stack, String role) {
        List<Map<String, Object>> statements = new ArrayList<>();
        stack.template
                .findResources(
                        "AWS::IAM::Policy", Map.of("Properties", Map.of("Roles", Match.arrayWith(List.of(ref(role))))))
                .values()
                .forEach(policy -> {
                    Map<String, Object> document =
                            typed(SynthesizedStack.<Map<String, Object>>typed(policy.get("Properties"))
                                    .get("PolicyDocument"));
                    for (Map<String, Object> statement :
                            SynthesizedStack.<List<Map<String, Object>>>typed(document.get("Statement"))) {
                        if (String.valueOf(statement.get("Action")).contains("events:")) {
                            statements.add(statement);
                        }
                    }
                });
        return statements;
    }
}
