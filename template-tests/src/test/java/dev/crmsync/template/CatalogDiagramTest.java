package dev.crmsync.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.CatalogDiagram;
import dev.crmsync.infra.Integration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * README.md's diagram and catalog table say what the catalog deploys: both are regenerated here in
 * memory and compared with the text between their markers. Needs no function jar and no synthesis.
 */
class CatalogDiagramTest {

    private static String readme() throws IOException {
        return Files.readString(SynthesizedStack.REPO_ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void readmeDiagramIsTheCatalogs() throws IOException {
        assertThat(CatalogDiagram.DIAGRAM.in(readme()))
                .as(
                        "README.md's diagram disagrees with the catalog: run `%s` from the repository root",
                        CatalogDiagram.COMMAND)
                .isEqualTo(CatalogDiagram.diagramRegion(Catalog.INTEGRATIONS));
    }

    @Test
    void readmeCatalogTableIsTheCatalogs() throws IOException {
        assertThat(CatalogDiagram.TABLE.in(readme()))
                .as(
                        "README.md's catalog table disagrees with the catalog: run `%s` from the repository root",
                        CatalogDiagram.COMMAND)
                .isEqualTo(CatalogDiagram.tableRegion(Catalog.INTEGRATIONS));
    }

    @Test
    void everyCatalogEntryNamesItsVendorAndHasTheContractTheTableLinks() {
        for (Integration integration : Catalog.INTEGRATIONS) {
            assertThat(integration.vendor())
                    .as("%s: name its vendor in the catalog (Integration.Builder.vendor)", integration.name())
                    .isNotNull();
            assertThat(SynthesizedStack.REPO_ROOT
                            .resolve(integration.moduleDirectory())
                            .resolve("CONTRACT.md"))
                    .as("%s's contract, linked from the README's catalog table", integration.name())
                    .isRegularFile();
        }
    }

    @Test
    void anEntryAddedToTheCatalogAppearsWithEveryFlowOfItsPipeline() throws IOException {
        List<Integration> grown = new ArrayList<>(Catalog.INTEGRATIONS);
        grown.add(Integration.builder("chat-ops")
                .handler("dev.crmsync.chatops.ChatOpsSyncHandler")
                .functionJar("functions/chat-ops/target/chat-ops.jar")
                .detailTypes("deal.closed")
                .vendor("Slack")
                .publishedOutcomes(Set.of())
                .build());
        String regenerated = CatalogDiagram.render(readme(), grown);
        String diagram = CatalogDiagram.DIAGRAM.in(regenerated);

        assertThat(diagram)
                .contains(
                        "bus -- \"source + detail-type\" --> chat_ops_rule",
                        "chat_ops_rule[\"rule crm-sync-{stage}-chat-ops<br/>deal.closed\"]",
                        "chat_ops_rule -- \"retries up to 24 h\" --> chat_ops_queue",
                        "chat_ops_rule -. \"undeliverable\" .-> chat_ops_rule_dlq",
                        "chat_ops_queue -- \"batches of 10\" --> chat_ops_fn",
                        "chat_ops_queue -. \"retry window (7 h) over,<br/>or a permanent failure\" .-> chat_ops_dlq",
                        "chat_ops_dlq -. \"redrive\" .-> chat_ops_queue",
                        "chat_ops_fn(\"function crm-sync-{stage}-chat-ops<br/>ChatOpsSyncHandler\")",
                        "chat_ops_fn -- \"API calls\" --> chat_ops_vendor",
                        "chat_ops_vendor([\"Slack\"])");
        // it publishes no outcome events, so no edge leads from its function back to the bus
        assertThat(diagram).doesNotContain("chat_ops_fn -. \"sync.");
        for (Integration integration : Catalog.INTEGRATIONS) {
            String id = integration.name().replace('-', '_');
            if (!integration.publishedOutcomes().isEmpty()) {
                assertThat(diagram).containsPattern(id + "_fn -\\. \"sync\\.[^\"]*source: crm-sync\" \\.-> bus");
            }
        }
        assertThat(CatalogDiagram.TABLE.in(regenerated))
                .contains("| `chat-ops` | `deal.closed` | Slack | none | "
                        + "[functions/chat-ops/CONTRACT.md](functions/chat-ops/CONTRACT.md) |");
    }
}
