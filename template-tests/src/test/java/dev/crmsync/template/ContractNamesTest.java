package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.ContextKey;
import dev.crmsync.infra.Integration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The stack speaks the contract's names: its catalog is the contract's integrations, and every
 * environment variable it sets and context key it reads is one the contract (and so the docs' generated
 * tables) names. The default stack needs the built function jars.
 */
class ContractNamesTest {

    @Test
    void theCatalogIsTheContractsIntegrationsWithTheirDetailTypes() {
        Map<String, List<String>> catalog = new TreeMap<>();
        for (Integration integration : Catalog.INTEGRATIONS) {
            catalog.put(integration.name(), integration.detailTypes());
        }
        Map<String, List<String>> contract = new TreeMap<>();
        for (IntegrationId id : IntegrationId.values()) {
            contract.put(id.wireName(), id.detailTypes());
        }
        assertThat(catalog).isEqualTo(contract);
    }

    @Test
    void everyConnectorOptionOfTheCatalogIsANamedVariableReadFromANamedContextKey() {
        Set<String> contextKeys =
                Arrays.stream(ContextKey.values()).map(ContextKey::key).collect(Collectors.toSet());
        for (Integration integration : Catalog.INTEGRATIONS) {
            integration.options().forEach((name, option) -> {
                assertThat(EnvVar.ofOption(name))
                        .as("%s's option %s is an EnvVar", integration.name(), name)
                        .isPresent();
                if (option.contextKey() != null) {
                    assertThat(contextKeys)
                            .as("%s's option %s's context key", integration.name(), name)
                            .contains(option.contextKey());
                }
            });
        }
    }

    @Test
    void everyVariableTheStackSetsIsNamedInTheContract() {
        // every connector option set, so that each CRM_SYNC_OPTION_<NAME> appears
        SynthesizedStack synth = SynthesizedStack.withContext(Map.of(
                ContextKey.MARKETING_LIST_ID.key(), "a1b2c3d4e5",
                ContextKey.HELPDESK_SUBDOMAIN.key(), "acme",
                ContextKey.NOTIFICATIONS_CHANNEL.key(), "C0123456789",
                ContextKey.CRM_RECORD_URL_TEMPLATE.key(), "https://crm.example.com/deals/{recordId}"));
        Set<String> named = Arrays.stream(EnvVar.values()).map(EnvVar::wireName).collect(Collectors.toSet());
        Set<String> set = new TreeSet<>();
        synth.ofType("AWS::Lambda::Function").forEach((id, resource) -> {
            Map<String, Object> properties = typed(resource.get("Properties"));
            Map<String, Object> environment = typed(properties.get("Environment"));
            if (environment != null) {
                set.addAll(SynthesizedStack.<Map<String, Object>>typed(environment.get("Variables"))
                        .keySet());
            }
        });
        assertThat(set)
                .contains(
                        EnvVar.CRM_SYNC_OPTION_LIST_ID.wireName(),
                        EnvVar.CRM_SYNC_OPTION_SUBDOMAIN.wireName(),
                        EnvVar.CRM_SYNC_OPTION_CHANNEL.wireName(),
                        EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE.wireName());
        assertThat(named).containsAll(set);
    }
}
