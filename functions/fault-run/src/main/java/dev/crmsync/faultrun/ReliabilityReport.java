package dev.crmsync.faultrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** RELIABILITY.md: what a fault run sent, injected and found, per integration, and on which machine. */
final class ReliabilityReport {
    private ReliabilityReport() {}

    static String render(FaultRun.Result result) {
        RunSettings s = result.settings();
        List<Verdict> verdicts = result.verdicts();
        StringBuilder md = new StringBuilder();
        md.append("# Reliability\n\n");
        md.append("Written by `bench/faults` (the fault run); do not edit by hand. ");
        md.append(
                result.brokenInvariants() == 0
                        ? "**Every invariant held**: nothing lost, nothing applied twice, no older state over a "
                                + "newer one.\n\n"
                        : "**" + result.brokenInvariants() + " invariant violations** (listed below).\n\n");
        md.append("| run | |\n|---|---|\n");
        md.append("| command | `").append(s.command()).append("` |\n");
        md.append("| seed | ").append(s.seed()).append(" |\n");
        md.append("| date | ")
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        result.startedAt().atOffset(ZoneOffset.UTC).withNano(0)))
                .append(" UTC |\n");
        md.append("| duration | ").append(result.took().toSeconds()).append(" s |\n");
        md.append("| machine | ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, JDK ")
                .append(System.getProperty("java.version"))
                .append(" (")
                .append(System.getProperty("java.vendor"))
                .append("), ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.version"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(" |\n");
        md.append("| instances | ")
                .append(s.instances())
                .append(" per integration, each with its own pipeline and SDK clients, batches of 10 with partial "
                        + "batch responses |\n");
        md.append("| clock | retry window ")
                .append(s.mainWindow().toSeconds())
                .append(" s (workload, short outage, redrive), ")
                .append(s.outageWindow().toSeconds())
                .append(" s (long outage); backoff 1–4 s; function timeout ")
                .append(Deployment.FUNCTION_TIMEOUT.toSeconds())
                .append(" s; vendor call timeout 2 s |\n");
        md.append("| outages | short ")
                .append(s.shortOutage().toSeconds())
                .append(" s, long ")
                .append(s.longOutage().toSeconds())
                .append(" s; random vendor faults on ")
                .append(Math.round(s.vendorFaults() * 100))
                .append(" % of requests during the workload |\n\n");

        md.append("## Outcomes\n\n");
        header(md, verdicts);
        row(md, "messages sent (duplicates and invalid included)", verdicts, v -> v.messagesSent);
        row(md, "distinct valid events", verdicts, v -> v.validEvents);
        row(md, "applied", verdicts, v -> v.applied);
        row(md, "superseded by a newer version (or by the close that made the action)", verdicts, v -> v.superseded);
        row(md, "valid events in the DLQ before the redrive", verdicts, v -> v.inDlq);
        row(md, "… redriven and then applied", verdicts, v -> v.redrivenApplied);
        row(md, "invalid events in the DLQ with a status item", verdicts, v -> v.invalidDeadLettered);
        row(md, "long-outage events (all must reach the DLQ)", verdicts, v -> v.longOutageEvents);
        md.append("\n**Violations** (every one must be 0):\n\n");
        header(md, verdicts);
        row(md, "duplicates applied (a second object or action)", verdicts, v -> v.duplicatesApplied);
        row(md, "lost (the vendor does not hold the record's latest change)", verdicts, v -> v.lost);
        row(md, "stale overwrites (an older state written after a newer one)", verdicts, v -> v.staleOverwrites);
        row(md, "in the DLQ without a current status item", verdicts, v -> v.dlqWithoutStatus);
        row(md, "still in the DLQ after the redrive", verdicts, v -> v.notAppliedAfterRedrive);
        row(md, "invalid events not dead-lettered with a status item", verdicts, v -> v.invalidNotDeadLettered);
        row(md, "dead-lettered by the short outage", verdicts, v -> v.shortOutageInDlq);
        row(md, "long-outage events not dead-lettered", verdicts, v -> v.longOutageNotInDlq);

        md.append("\n## Faults injected\n\n");
        header(md, verdicts);
        for (FaultKind kind : FaultKind.values()) {
            md.append("| ").append(kind.description).append(" |");
            for (Verdict v : verdicts) {
                md.append(' ').append(v.faults.getOrDefault(kind, 0L)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nA fault kind that does not apply to an integration shows 0 (billing gets no deletes, only Stripe "
                + "replays stored answers, only Slack posts messages).\n");

        if (result.brokenInvariants() > 0) {
            md.append("\n## Violations found\n\n");
            for (Verdict v : verdicts) {
                if (!v.violations.isEmpty()) {
                    md.append("### ").append(v.integration).append("\n\n");
                    v.violations.stream()
                            .limit(25)
                            .forEach(line -> md.append("- ").append(line).append('\n'));
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    static void write(FaultRun.Result result) {
        try {
            Files.writeString(result.settings().out(), render(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(StringBuilder md, List<Verdict> verdicts) {
        md.append("| |");
        verdicts.forEach(v -> md.append(' ').append(v.integration).append(" |"));
        md.append("\n|---|");
        verdicts.forEach(v -> md.append("---:|"));
        md.append('\n');
    }

    private static void row(StringBuilder md, String label, List<Verdict> verdicts, ToLongFunction<Verdict> value) {
        md.append("| ").append(label).append(" |");
        for (Verdict v : verdicts) {
            md.append(' ')
                    .append(String.format(Locale.ROOT, "%d", value.applyAsLong(v)))
                    .append(" |");
        }
        md.append('\n');
    }
}
