package dev.crmsync.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The local run end to end on the local servers: 200 generated changes, each applied or skipped by every
 * integration whose rule routes it.
 */
class LocalRunTest {
    @Test
    void twoHundredGeneratedChangesAreAppliedOrSkippedByEveryIntegrationTheyRouteTo() throws Exception {
        JsonNode summary = run("generated", RunOptions.parse("--generate", "200", "--seed", "7"));

        assertThat(summary.path("mismatches")).isEmpty();
        assertThat(summary.path("ok").asBoolean()).isTrue();
        assertThat(summary.path("events").asInt()).isEqualTo(200);
        long routedInAll = 0;
        for (JsonNode integration : summary.path("integrations")) {
            String name = integration.path("name").asText();
            assertThat(integration.path("deadLetters")).as(name).isEmpty();
            assertThat(integration.path("waiting")).as(name).isEmpty();
            assertThat(integration.path("applied").size()
                            + integration.path("skipped").size())
                    .as(name)
                    .isEqualTo(integration.path("routed").asInt());
            assertThat(integration.path("applied").size()).as(name).isPositive();
            routedInAll += integration.path("routed").asInt();
        }
        assertThat(routedInAll).isGreaterThan(200);
    }

    private static JsonNode run(String stage, RunOptions options) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        JsonNode summary =
                new LocalRun(options, new PrintStream(screen, true, StandardCharsets.UTF_8), false, stage).run();
        String printed = screen.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("== billing (Stripe)");
        assertThat(printed).contains(summary.path("ok").asBoolean() ? "OK: all" : "NOT OK");
        return summary;
    }
}
