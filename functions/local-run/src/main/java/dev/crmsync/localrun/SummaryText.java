package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;

/** Prints a {@link RunSummary} for a person: long lists cut at {@link #SHOWN} lines (the JSON holds them all). */
final class SummaryText {
    static final int SHOWN = 25;

    private SummaryText() {}

    static void print(JsonNode summary, PrintStream out) {
        for (JsonNode integration : summary.path("integrations")) {
            out.printf(
                    "%n== %s (%s): routed %d, applied %d, skipped %d, in DLQ %d, waiting %d, failed attempts %d%n",
                    integration.path("name").asText(),
                    integration.path("vendor").asText(),
                    integration.path("routed").asInt(),
                    integration.path("applied").size(),
                    integration.path("skipped").size(),
                    integration.path("deadLetters").size(),
                    integration.path("waiting").size(),
                    integration.path("failedAttempts").asInt());
            list(
                    out,
                    "applied ",
                    integration.path("applied"),
                    e -> e.path("event").asText() + " → " + e.path("externalId").asText());
            counts(out, "skipped because", integration.path("skippedByReason"));
            list(
                    out,
                    "skipped ",
                    integration.path("skipped"),
                    e -> e.path("event").asText() + ": " + e.path("reason").asText());
            counts(out, "failed attempts by error class", integration.path("failedAttemptsByErrorClass"));
            list(
                    out,
                    "in DLQ  ",
                    integration.path("deadLetters"),
                    e -> e.path("event").asText() + ": "
                            + (e.path("status").isNull()
                                    ? "(no status item)"
                                    : e.path("status").asText()));
            list(out, "waiting ", integration.path("waiting"), JsonNode::asText);
            Iterator<Map.Entry<String, JsonNode>> kinds =
                    integration.path("vendorHolds").fields();
            while (kinds.hasNext()) {
                Map.Entry<String, JsonNode> kind = kinds.next();
                out.printf(
                        "   %s holds %d %s%n",
                        integration.path("vendor").asText(), kind.getValue().size(), kind.getKey());
                list(out, "  ", kind.getValue(), JsonNode::asText);
            }
        }
        out.printf("%n== state table: %d items%n", summary.path("table").size());
        list(out, "", summary.path("table"), JsonNode::asText);
        out.println();
        if (summary.path("ok").asBoolean()) {
            out.printf(
                    "OK: all %d events ended where events/routing.json and the valid/invalid split say"
                            + " (%d routed nowhere)%n",
                    summary.path("events").asInt(), summary.path("notRouted").asInt());
        } else {
            out.printf(
                    "NOT OK: %d event(s) did not end where they must:%n",
                    summary.path("mismatches").size());
            summary.path("mismatches").forEach(m -> out.println("   " + m.asText()));
        }
    }

    private static void list(
            PrintStream out, String prefix, JsonNode items, java.util.function.Function<JsonNode, String> line) {
        int shown = 0;
        for (JsonNode item : items) {
            if (shown++ == SHOWN) {
                out.printf("   %s… and %d more (--json has them all)%n", prefix, items.size() - SHOWN);
                return;
            }
            out.println("   " + prefix + line.apply(item));
        }
    }

    private static void counts(PrintStream out, String title, JsonNode counts) {
        if (counts.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("   " + title + ":");
        counts.fields()
                .forEachRemaining(
                        e -> line.append(' ').append(e.getKey()).append(" ×").append(e.getValue()));
        out.println(line);
    }
}
