package dev.crmsync.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every region of the docs generated from code, and the one command that rewrites them all
 * ({@value CatalogDiagram#COMMAND}, from the repository root): README.md's diagram and catalog
 * table, docs/configuration.md's tables and docs/RUNBOOK.md's error classes. The template tests
 * regenerate each in memory and fail, naming that command, when a file differs.
 */
public final class GeneratedDocs {

    /** One generated region and what it holds. */
    public record Part(MarkedRegion region, Supplier<String> content) {}

    /** Every generated region, by file. */
    public static List<Part> parts() {
        return List.of(
                new Part(CatalogDiagram.DIAGRAM, () -> CatalogDiagram.diagramRegion(Catalog.INTEGRATIONS)),
                new Part(CatalogDiagram.TABLE, () -> CatalogDiagram.tableRegion(Catalog.INTEGRATIONS)),
                new Part(ConfigurationTable.REGION, ConfigurationTable::region),
                new Part(ErrorClassTable.REGION, ErrorClassTable::region));
    }

    private GeneratedDocs() {}

    /** Rewrites every generated region whose file differs from what the code generates. */
    public static void main(String[] args) throws IOException {
        Path root = CrmSyncApp.repoRoot(Path.of(""));
        Map<String, List<Part>> byFile = new LinkedHashMap<>();
        for (Part part : parts()) {
            byFile.computeIfAbsent(part.region().file(), file -> new ArrayList<>())
                    .add(part);
        }
        for (Map.Entry<String, List<Part>> file : byFile.entrySet()) {
            Path path = root.resolve(file.getKey());
            String before = Files.readString(path, StandardCharsets.UTF_8);
            String after = before;
            for (Part part : file.getValue()) {
                after = part.region().replacedIn(after, part.content().get());
            }
            if (after.equals(before)) {
                System.out.println(file.getKey() + ": already what the code generates");
            } else {
                Files.writeString(path, after, StandardCharsets.UTF_8);
                System.out.println(file.getKey() + ": " + file.getValue().size() + " region(s) regenerated");
            }
        }
    }
}
