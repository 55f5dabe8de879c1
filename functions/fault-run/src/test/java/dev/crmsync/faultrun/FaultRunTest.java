package dev.crmsync.faultrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testkit.LocalAws;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small seeded fault run (about 300 events, a shortened clock): every fault kind of the run is
 * injected into every integration it applies to, and every invariant holds — nothing lost, nothing
 * applied twice, no older state over a newer one, nothing of the short outage in a DLQ, all of the
 * long one in it, all of it applied after the redrive.
 */
class FaultRunTest {

    @Test
    void everyInvariantHoldsUnderEveryFault(@TempDir Path dir) throws Exception {
        // A main window with room for a loaded machine: the short outage (a quarter of it) must end
        // well before any of its events' windows does, however slowly the run's instances go.
        RunSettings settings = new RunSettings(
                300,
                17,
                dir.resolve("RELIABILITY.md"),
                4,
                Duration.ofSeconds(40),
                Duration.ofSeconds(10),
                0.08,
                "FaultRunTest");

        FaultRun.Result result = new FaultRun(settings, LocalAws.get()).run();
        String report = ReliabilityReport.render(result);

        SoftAssertions softly = new SoftAssertions();
        for (Verdict verdict : result.verdicts()) {
            for (FaultKind kind : verdict.expectedFaults()) {
                softly.assertThat(verdict.faults.getOrDefault(kind, 0L))
                        .as(verdict.integration + ": " + kind.description)
                        .isPositive();
            }
            softly.assertThat(verdict.violations)
                    .as(verdict.integration + ": violations")
                    .isEmpty();
            softly.assertThat(verdict.brokenInvariants())
                    .as(verdict.integration + ": broken invariants")
                    .isZero();
            softly.assertThat(verdict.inDlq)
                    .as(verdict.integration + ": dead-lettered valid events (the long outage's at least)")
                    .isPositive();
        }
        softly.assertThat(result.instances().values())
                .as("instances per integration")
                .allMatch(n -> n >= 4);
        softly.assertThat(report).contains("seed | 17");
        softly.assertAll();
        assertThat(result.took()).isLessThan(Duration.ofMinutes(3));
    }
}
