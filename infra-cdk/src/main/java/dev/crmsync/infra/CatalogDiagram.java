package dev.crmsync.infra;

import dev.crmsync.contract.OutcomeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The README's architecture diagram (a Mermaid flowchart of every flow) and its catalog table,
 * generated from {@link Catalog} so that they stay true as integrations are added. {@link #main}
 * writes them into README.md between their markers, with the other generated tables of the docs
 * ({@link GeneratedDocs}); run it with {@value #COMMAND} from the repository root. A template test
 * regenerates each in memory and fails when the file differs.
 */
public final class CatalogDiagram {

    /** The one command that regenerates every generated region of the docs (README.md's and docs/'s). */
    public static final String COMMAND = "mvn -q -pl infra-cdk -am compile exec:java@catalog-diagram -Dexec.skip=true "
            + "-Dexec.mainClass=dev.crmsync.infra.CatalogDiagram";

    public static final MarkedRegion DIAGRAM =
            new MarkedRegion("README.md", "<!-- catalog-diagram:start -->", "<!-- catalog-diagram:end -->");
    public static final MarkedRegion TABLE =
            new MarkedRegion("README.md", "<!-- catalog-table:start -->", "<!-- catalog-table:end -->");

    private static final String GENERATED = MarkedRegion.generatedFrom("infra-cdk's Catalog");

    private CatalogDiagram() {}

    /**
     * Rewrites every generated region of the docs: README.md's diagram and catalog table, and the
     * configuration and error-class tables ({@link GeneratedDocs}).
     */
    public static void main(String[] args) throws IOException {
        GeneratedDocs.main(args);
    }

    /** {@code readme} with both regions generated for {@code integrations}. */
    public static String render(String readme, List<Integration> integrations) {
        return TABLE.replacedIn(DIAGRAM.replacedIn(readme, diagramRegion(integrations)), tableRegion(integrations));
    }

    /** What belongs between the diagram markers. */
    public static String diagramRegion(List<Integration> integrations) {
        return "\n" + GENERATED + "\n```mermaid\n" + diagram(integrations) + "```\n";
    }

    /** What belongs between the catalog table markers. */
    public static String tableRegion(List<Integration> integrations) {
        return "\n" + GENERATED + "\n"
                + "The integrations of the catalog "
                + "([Catalog.java](infra-cdk/src/main/java/dev/crmsync/infra/Catalog.java)). This"
                + " table and the diagram above are generated from it: after changing the catalog, run `" + COMMAND
                + "` from the"
                + " repository root (`CatalogDiagramTest` fails until README.md agrees with the catalog).\n\n"
                + table(integrations);
    }

    /**
     * The flowchart: CRM → bus → rule → queue → function → vendor per integration, with the rule-target
     * DLQ, the DLQ and its redrive, the function's secret and the shared state table, and the outcome
     * events the function puts back on the bus. Resource names as the stack gives them, {@code {stage}}
     * standing for the deployment's stage.
     */
    static String diagram(List<Integration> integrations) {
        List<String> lines = new ArrayList<>();
        lines.add("flowchart LR");
        lines.add("    crm([\"CRM\"]) -- \"PutEvents<br/>source: crm (context crmSource)\" --> bus{{\"EventBridge "
                + "bus<br/>crm-sync-{stage}\"}}");
        lines.add("    table[(\"DynamoDB state table<br/>claims, mapping, status\")]");
        for (Integration integration : integrations) {
            String id = integration.name().replace('-', '_');
            String resource = "crm-sync-{stage}-" + integration.name();
            lines.add("    subgraph " + id + "_pipeline[\"" + integration.name() + "\"]");
            lines.add("        " + id + "_rule[\"rule " + resource + "<br/>"
                    + String.join("<br/>", integration.detailTypes()) + "\"]");
            lines.add("        " + id + "_queue[[\"queue " + resource + "\"]]");
            lines.add("        " + id + "_fn(\"function " + resource + "<br/>" + simpleName(integration.handlerClass())
                    + "\")");
            lines.add("        " + id + "_rule_dlq[[\"rule-target DLQ<br/>" + resource + "-rule-dlq\"]]");
            lines.add("        " + id + "_dlq[[\"DLQ " + resource + "-dlq\"]]");
            lines.add("        " + id + "_secret[/\"secret crm-sync/{stage}/" + integration.name() + "\"/]");
            lines.add("    end");
            lines.add("    " + id + "_vendor([\"" + vendor(integration) + "\"])");
            lines.add("    bus -- \"source + detail-type\" --> " + id + "_rule");
            lines.add("    " + id + "_rule -- \"retries up to " + IntegrationPipeline.RULE_MAX_EVENT_AGE.toHours()
                    + " h\" --> " + id + "_queue");
            lines.add("    " + id + "_rule -. \"undeliverable\" .-> " + id + "_rule_dlq");
            lines.add("    " + id + "_queue -- \"batches of " + integration.batchSize() + "\" --> " + id + "_fn");
            lines.add("    " + id + "_queue -. \"retry window (" + RetryArithmetic.readable(integration.retryWindow())
                    + ") over,<br/>or a permanent failure\" .-> " + id + "_dlq");
            lines.add("    " + id + "_dlq -. \"redrive\" .-> " + id + "_queue");
            lines.add("    " + id + "_fn -- \"API calls\" --> " + id + "_vendor");
            lines.add("    " + id + "_fn --- " + id + "_secret");
            lines.add("    " + id + "_fn --- table");
            if (!integration.publishedOutcomes().isEmpty()) {
                lines.add("    " + id + "_fn -. \"" + outcomes(integration, "<br/>") + "<br/>source: "
                        + OutcomeType.EVENT_SOURCE + "\" .-> bus");
            }
        }
        return lines.stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    /** The catalog as a Markdown table: what each integration consumes, calls, publishes and where its contract is. */
    static String table(List<Integration> integrations) {
        StringBuilder table = new StringBuilder()
                .append("| integration | trigger (detail-types) | vendor | outcome events | contract |\n")
                .append("|---|---|---|---|---|\n");
        for (Integration integration : integrations) {
            String contract = integration.moduleDirectory() + "/CONTRACT.md";
            table.append("| `")
                    .append(integration.name())
                    .append("` | ")
                    .append(integration.detailTypes().stream()
                            .map(t -> "`" + t + "`")
                            .collect(Collectors.joining(", ")))
                    .append(" | ")
                    .append(vendor(integration))
                    .append(" | ")
                    .append(integration.publishedOutcomes().isEmpty() ? "none" : outcomes(integration, ", "))
                    .append(" | ")
                    .append("[")
                    .append(contract)
                    .append("](")
                    .append(contract)
                    .append(") |\n");
        }
        return table.toString();
    }

    private static String outcomes(Integration integration, String separator) {
        List<String> names = new ArrayList<>();
        for (OutcomeType outcome : OutcomeType.values()) {
            if (integration.publishedOutcomes().contains(outcome)) {
                names.add(outcome.detailType());
            }
        }
        return String.join(separator, names);
    }

    private static String vendor(Integration integration) {
        return integration.vendor() == null ? "(vendor not named)" : integration.vendor();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
