package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.ConnectorOption;
import dev.crmsync.infra.Integration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog's bound on simultaneous vendor requests (event source mapping MaximumConcurrency ×
 * CRM_SYNC_MAX_CONCURRENCY, within a vendor's connection limit) and its per-deployment connector
 * options (CRM_SYNC_OPTION_NAME, from the catalog or from CDK context), read from the synthesized
 * template. Needs the built function jars.
 */
class VendorBoundsAndOptionsStackTest {
    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.withDefaults();
    }

    private static Map<String, Object> variables(SynthesizedStack stack, Integration integration) {
        PipelineResources p = PipelineResources.of(stack, integration, "dev");
        return typed(SynthesizedStack.<Map<String, Object>>typed(
                        stack.properties(p.function()).get("Environment"))
                .get("Variables"));
    }

    private static int maximumConcurrency(SynthesizedStack stack, Integration integration) {
        PipelineResources p = PipelineResources.of(stack, integration, "dev");
        Map<String, Object> scaling =
                typed(stack.properties(p.eventSourceMapping()).get("ScalingConfig"));
        return ((Number) scaling.get("MaximumConcurrency")).intValue();
    }

    private static Integration marketing() {
        return Catalog.INTEGRATIONS.stream()
                .filter(i -> i.name().equals("marketing"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void marketingNeverHasMoreThanTenMailchimpRequestsInFlight() {
        Integration marketing = marketing();
        int invocations = maximumConcurrency(synth, marketing);
        int callsPerInvocation =
                Integer.parseInt((String) variables(synth, marketing).get("CRM_SYNC_MAX_CONCURRENCY"));

        assertThat(invocations * callsPerInvocation).isLessThanOrEqualTo(10);
        assertThat(invocations).isEqualTo(marketing.maxConcurrency());
        assertThat(callsPerInvocation).isEqualTo(marketing.vendorCallsPerInvocation());
    }

    @Test
    void everyFunctionGetsItsVendorCallBoundAndStaysWithinItsVendorsLimit() {
        for (Integration integration : Catalog.INTEGRATIONS) {
            Map<String, Object> variables = variables(synth, integration);
            assertThat(variables)
                    .as(integration.name())
                    .containsEntry(
                            "CRM_SYNC_MAX_CONCURRENCY", Integer.toString(integration.vendorCallsPerInvocation()));
            if (integration.vendorConnectionLimit() > 0) {
                assertThat(maximumConcurrency(synth, integration) * integration.vendorCallsPerInvocation())
                        .as(integration.name())
                        .isLessThanOrEqualTo(integration.vendorConnectionLimit());
            }
        }
    }

    @Test
    void aCatalogEntryOverItsVendorsLimitIsRefused() {
        assertThatThrownBy(() -> Integration.builder("mail")
                        .handler("X")
                        .functionJar("x.jar")
                        .detailTypes("contact.upserted")
                        .maxConcurrency(3)
                        .vendorCallsPerInvocation(4)
                        .vendorConnectionLimit(10)
                        .build())
                .hasMessageContaining("maxConcurrency (3) × vendorCallsPerInvocation (4) = 12")
                .hasMessageContaining("limit of 10");
        assertThatThrownBy(() -> Integration.builder("mail")
                        .handler("X")
                        .functionJar("x.jar")
                        .detailTypes("contact.upserted")
                        .option("list id", ConnectorOption.value("x"))
                        .build())
                .hasMessageContaining("CRM_SYNC_OPTION_<NAME>");
    }

    @Test
    void anOptionFromContextBecomesTheFunctionsOptionVariable() {
        SynthesizedStack withList = SynthesizedStack.withContext(Map.of("marketingListId", "9e1a7c3b5d"));

        assertThat(variables(withList, marketing())).containsEntry("CRM_SYNC_OPTION_LIST_ID", "9e1a7c3b5d");
        assertThat(variables(synth, marketing())).doesNotContainKey("CRM_SYNC_OPTION_LIST_ID");
    }

    @Test
    void anOptionWrittenInTheCatalogIsSetAsIs() {
        Integration billing = Catalog.INTEGRATIONS.getFirst().toBuilder()
                .option("CHANNEL", ConnectorOption.value("C0123456"))
                .build();
        SynthesizedStack stack = SynthesizedStack.withCatalog(List.of(billing));

        assertThat(variables(stack, billing)).containsEntry("CRM_SYNC_OPTION_CHANNEL", "C0123456");
    }
}
