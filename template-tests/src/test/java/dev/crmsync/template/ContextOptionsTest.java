package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.CrmSyncStack;
import dev.crmsync.infra.Integration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * Every context option set (cdk deploy -c ...): an existing partner bus, another CRM source, a stage, an alarm e-mail.
 * Needs the built function jars.
 */
class ContextOptionsTest {

    private static final String PARTNER_BUS = "aws.partner/salesforce.com/00D000000000001/0YL000000000001";
    private static final String SOURCE = "aws.partner/salesforce.com/00D000000000001/0YL000000000001";

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.withContext(Map.of(
                "stage", "prod", "crmSource", SOURCE, "eventBusName", PARTNER_BUS, "alarmEmail", "oncall@example.com"));
    }

    @Test
    void stackAndResourceNamesCarryTheStage() {
        assertThat(synth.stack.getStackName()).isEqualTo("CrmSync-prod");
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources p = PipelineResources.of(synth, integration, "prod");
            assertThat(p.name()).isEqualTo("crm-sync-prod-" + integration.name());
        }
    }

    @Test
    void anExistingBusIsUsedByNameNotCreated() {
        synth.template.resourceCountIs("AWS::Events::EventBus", 0);
        synth.template.allResourcesProperties("AWS::Events::Rule", Map.of("EventBusName", PARTNER_BUS));
        synth.template.hasOutput("EventBusName", Map.of("Value", PARTNER_BUS));
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources p = PipelineResources.of(synth, integration, "prod");
            assertThat(synth.properties(p.function()).toString()).contains("CRM_SYNC_EVENT_BUS=" + PARTNER_BUS);
            synth.template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of(
                            "MetricName",
                            "FailedInvocations",
                            "Dimensions",
                            List.of(
                                    Map.of("Name", "EventBusName", "Value", PARTNER_BUS),
                                    Map.of("Name", "RuleName", "Value", ref(p.rule())))));
        }
    }

    @Test
    void rulesMatchTheConfiguredCrmSource() {
        for (Integration integration : Catalog.INTEGRATIONS) {
            PipelineResources p = PipelineResources.of(synth, integration, "prod");
            assertThat(synth.properties(p.rule()).get("EventPattern"))
                    .isEqualTo(Map.of("source", List.of(SOURCE), "detail-type", integration.detailTypes()));
        }
    }

    @Test
    void alarmEmailIsSubscribedToTheTopic() {
        String topic = synth.ofType("AWS::SNS::Topic").keySet().iterator().next();
        synth.template.hasResourceProperties(
                "AWS::SNS::Subscription",
                Map.of(
                        "Protocol", "email",
                        "Endpoint", "oncall@example.com",
                        "TopicArn", ref(topic)));
    }

    @Test
    void cdkNagStillFindsNothingUnsuppressed() {
        Annotations annotations = Annotations.fromStack(synth.stack);
        annotations.hasNoError("*", Match.anyValue());
        annotations.hasNoWarning("*", Match.anyValue());
    }

    @Test
    void contextValuesAreChecked() {
        assertThatThrownBy(() -> new CrmSyncStack.Settings("Prod Stage", "crm", Optional.empty(), Optional.empty()))
                .hasMessageContaining("stage");
        assertThatThrownBy(() -> new CrmSyncStack.Settings("prod", " ", Optional.empty(), Optional.empty()))
                .hasMessageContaining("crmSource");
        assertThatThrownBy(() -> new CrmSyncStack.Settings("prod", "crm", Optional.empty(), Optional.of("on-call")))
                .hasMessageContaining("alarmEmail");
    }
}
