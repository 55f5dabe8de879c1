package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.JSON;
import static dev.crmsync.template.SynthesizedStack.getAtt;
import static dev.crmsync.template.SynthesizedStack.render;
import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.Integration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.event.ruler.GenericMachine;

/**
 * Which integrations each sample event reaches: the rule patterns of the synthesized template, fed
 * to EventBridge's own matcher (event-ruler), against the table in events/routing.json. Each rule
 * is named for the integration at the end of its chain (rule → queue → event source mapping →
 * function), so a rule wired to the wrong queue fails here too. Needs the built function jars.
 */
class RoutingTest {

    private static final Path EVENTS = SynthesizedStack.REPO_ROOT.resolve("events");
    private static final Path SAMPLES = EVENTS.resolve("samples");
    /** Strict: a file with anything after its JSON value is not a parseable sample. */
    private static final ObjectReader STRICT_JSON = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final GenericMachine<String> RULES =
            GenericMachine.<String>builder().build();
    private static final Set<String> INTEGRATIONS_WITH_A_RULE = new TreeSet<>();
    private static JsonNode routing;

    @BeforeAll
    static void loadRulesAndRoutingTable() throws IOException {
        SynthesizedStack synth = SynthesizedStack.withDefaults();
        for (Map.Entry<String, Map<String, Object>> rule :
                synth.ofType("AWS::Events::Rule").entrySet()) {
            Map<String, Object> properties = typed(rule.getValue().get("Properties"));
            String pattern = JSON.writeValueAsString(properties.get("EventPattern"));
            for (Map<String, Object> target :
                    SynthesizedStack.<List<Map<String, Object>>>typed(properties.get("Targets"))) {
                String integration = integrationFedBy(synth, target.get("Arn"));
                RULES.addRule(integration, pattern);
                INTEGRATIONS_WITH_A_RULE.add(integration);
            }
        }
        routing = JSON.readTree(EVENTS.resolve("routing.json").toFile());
    }

    @TestFactory
    Stream<DynamicTest> eachSampleReachesExactlyTheIntegrationsOfTheRoutingTable() {
        return entries(routing.get("samples")).entrySet().stream()
                .map(entry -> dynamicTest(entry.getKey(), () -> {
                    String event = Files.readString(SAMPLES.resolve(entry.getKey()));
                    Set<String> expected = new TreeSet<>();
                    entry.getValue().forEach(integration -> expected.add(integration.asText()));
                    assertThat(new TreeSet<>(RULES.rulesForJSONEvent(event)))
                            .as(entry.getKey())
                            .isEqualTo(expected);
                }));
    }

    @Test
    void everyParseableSampleHasAnEntryInTheRoutingTable() throws IOException {
        Set<String> parseable;
        try (Stream<Path> files = Files.walk(SAMPLES)) {
            parseable = files.filter(Files::isRegularFile)
                    .filter(RoutingTest::isJson)
                    .map(file -> SAMPLES.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(parseable).isNotEmpty();
        assertThat(entries(routing.get("samples")).keySet()).containsAll(parseable);
    }

    @Test
    void everyEntryOfTheRoutingTableIsASampleFile() {
        assertThat(entries(routing.get("samples")).keySet())
                .allSatisfy(path -> assertThat(SAMPLES.resolve(path)).isRegularFile());
    }

    @Test
    void rulesAndRoutingTableCoverExactlyTheCatalog() {
        Set<String> catalog = new TreeSet<>();
        for (Integration integration : Catalog.INTEGRATIONS) {
            catalog.add(integration.name());
        }
        Set<String> named = new TreeSet<>();
        entries(routing.get("samples"))
                .values()
                .forEach(integrations -> integrations.forEach(i -> named.add(i.asText())));
        assertThat(INTEGRATIONS_WITH_A_RULE).isEqualTo(catalog);
        assertThat(named).as("integrations named in events/routing.json").isEqualTo(catalog);
    }

    /** The integration whose function consumes the queue at {@code targetArn}. */
    private static String integrationFedBy(SynthesizedStack synth, Object targetArn) {
        String queue = String.valueOf(((List<?>) ((Map<?, ?>) targetArn).get("Fn::GetAtt")).get(0));
        String mapping = synth.idOf("AWS::Lambda::EventSourceMapping", Map.of("EventSourceArn", getAtt(queue, "Arn")));
        String invoked = render(synth.properties(mapping).get("FunctionName"));
        Set<String> functions = new HashSet<>();
        synth.ofType("AWS::Lambda::Alias").forEach((alias, resource) -> {
            if (invoked.contains("\"" + alias + "\"")) {
                Map<String, Object> properties = typed(resource.get("Properties"));
                functions.add(String.valueOf(((Map<?, ?>) properties.get("FunctionName")).get("Ref")));
            }
        });
        assertThat(functions).as("function fed by %s", queue).hasSize(1);
        Map<String, Object> environment =
                typed(synth.properties(functions.iterator().next()).get("Environment"));
        Map<String, Object> variables = typed(environment.get("Variables"));
        return String.valueOf(variables.get("CRM_SYNC_INTEGRATION"));
    }

    private static boolean isJson(Path file) {
        try {
            return !STRICT_JSON.readTree(Files.readString(file)).isMissingNode();
        } catch (JsonProcessingException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> entries(JsonNode object) {
        Map<String, JsonNode> entries = new TreeMap<>();
        object.properties().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        return entries;
    }
}
