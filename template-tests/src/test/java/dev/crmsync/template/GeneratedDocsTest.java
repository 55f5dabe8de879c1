package dev.crmsync.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.infra.CatalogDiagram;
import dev.crmsync.infra.ConfigurationTable;
import dev.crmsync.infra.ContextKey;
import dev.crmsync.infra.ErrorClassTable;
import dev.crmsync.infra.GeneratedDocs;
import dev.crmsync.infra.MarkedRegion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated regions of docs/ (configuration.md's tables, RUNBOOK.md's error classes) are what the
 * code generates: each is regenerated in memory and compared with the text between its markers, and
 * the failure names the command that rewrites them. Needs no function jar and no synthesis.
 */
class GeneratedDocsTest {

    private static String read(MarkedRegion region) throws IOException {
        return Files.readString(SynthesizedStack.REPO_ROOT.resolve(region.file()), StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> everyGeneratedRegionOfTheDocsIsWhatTheCodeGenerates() {
        // README.md's regions are CatalogDiagramTest's, the test the README's own generated text names.
        return GeneratedDocs.parts().stream()
                .filter(part -> !part.region().file().equals(CatalogDiagram.TABLE.file()))
                .map(part -> DynamicTest.dynamicTest(
                        part.region().file() + " " + part.region().start(),
                        () -> assertThat(part.region().in(read(part.region())))
                                .as(
                                        "%s between %s and %s disagrees with the code: run `%s` from the repository "
                                                + "root",
                                        part.region().file(),
                                        part.region().start(),
                                        part.region().end(),
                                        CatalogDiagram.COMMAND)
                                .isEqualTo(part.content().get())));
    }

    @Test
    void theConfigurationTableNamesEveryVariableAndContextKey() {
        String table = ConfigurationTable.region();
        for (EnvVar variable : EnvVar.values()) {
            assertThat(table).contains("| `" + variable.wireName() + "` |");
        }
        for (ContextKey key : ContextKey.values()) {
            assertThat(table).contains("| `" + key.key() + "` |");
        }
    }

    @Test
    void theErrorClassTableNamesEveryClassOnceWithItsKind() {
        String table = ErrorClassTable.region();
        List<String> firstColumn = new ArrayList<>();
        table.lines().filter(line -> line.startsWith("| `")).forEach(line -> {
            for (String name : line.substring(2, line.indexOf(" | ")).split(", ")) {
                firstColumn.add(name.replace("`", ""));
            }
        });
        assertThat(firstColumn)
                .containsExactly(Arrays.stream(ErrorClass.values())
                        .map(ErrorClass::wireName)
                        .toArray(String[]::new));
        assertThat(table)
                .contains(
                        "| `schema_invalid`, `malformed_json`, `unknown_detail_type`, `oversized` | permanent |",
                        "| `vendor_5xx`, `rate_limited`, `timeout`, `network`, `conflict`, `deadline` | retryable |");
    }

    @Test
    void aMissingMarkerIsNamedWithItsFile() {
        MarkedRegion region = ErrorClassTable.REGION;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> region.in("# Runbook\n"))
                .hasMessageContaining("docs/RUNBOOK.md")
                .hasMessageContaining("<!-- error-classes:begin -->");
    }
}
