package dev.crmsync.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark at a tiny size writes every section with a row for every integration (the numbers are not checked). */
class BenchmarkTest {
    @Test
    void theReportHasEveryIntegrationsRows() throws Exception {
        Path repository = SampleEvents.samples().getParent().getParent();

        String report = Benchmark.run(BenchmarkSize.TINY, repository, "BenchmarkTest");
        Files.writeString(Path.of("target", "BENCHMARKS-tiny.md"), report); // to read when this fails

        assertThat(report)
                .contains(
                        "## Throughput of one handler instance",
                        "## Per-record overhead outside the vendor's time",
                        "## AWS requests per record",
                        "## Start-up and size",
                        "## Cost per million CRM events",
                        "## Targets",
                        "## CPU profile",
                        "**total**",
                        "Zapier Professional");
        for (IntegrationId id : IntegrationId.values()) {
            String name = id.wireName();
            assertThat(report)
                    .contains("| " + name + " | instant |", "| " + name + " | 100 ms |")
                    .contains("| " + name + " | applied record, outcome events off |")
                    .contains("| " + name + " | applied record, outcome events on |")
                    .contains("| " + name + " | duplicate |", "| " + name + " | failed attempt (vendor 500) |")
                    .contains("- " + name + ": ");
            assertThat(report.lines()
                            .filter(l -> l.startsWith("| " + name + " | "))
                            .count())
                    .as("rows of %s: throughput, overhead, requests, start-up, targets", name)
                    .isEqualTo(2 + 2 + 4 + 1 + 7);
        }
    }
}
