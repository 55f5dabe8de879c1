package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.contract.OutcomeType;
import dev.crmsync.testkit.LocalEventBridge;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the functions said became of each record: their outcome events ({@code sync.applied}, {@code sync.skipped},
 * {@code sync.failed}) as the local EventBridge endpoint received them, read per integration.
 */
final class Outcomes {
    /** Final outcomes (applied or skipped) by event id, in the order they were published. */
    private final Map<String, Deque<Ending>> finalByEvent = new HashMap<>();

    private final Map<String, Long> failedByErrorClass = new TreeMap<>();
    private long applied;
    private long skipped;
    private long failed;

    Outcomes(List<LocalEventBridge.Entry> entries, String integration) {
        for (LocalEventBridge.Entry entry : entries) {
            JsonNode detail = entry.detail();
            if (!OutcomeType.EVENT_SOURCE.equals(entry.source())
                    || !integration.equals(detail.path("integration").asText())) {
                continue;
            }
            String eventId = detail.path("eventId").asText("");
            switch (entry.detailType()) {
                case "sync.applied" -> {
                    applied++;
                    ending(
                            eventId,
                            new Ending(
                                    Ending.Kind.APPLIED,
                                    detail.path("externalId").asText("")));
                }
                case "sync.skipped" -> {
                    skipped++;
                    ending(
                            eventId,
                            new Ending(
                                    Ending.Kind.SKIPPED,
                                    detail.path("skipReason").asText("")));
                }
                case "sync.failed" -> {
                    failed++;
                    failedByErrorClass.merge(detail.path("errorClass").asText("?"), 1L, Long::sum);
                }
                default -> {}
            }
        }
    }

    private void ending(String eventId, Ending ending) {
        finalByEvent.computeIfAbsent(eventId, id -> new ArrayDeque<>()).add(ending);
    }

    /** The next unclaimed final outcome of {@code eventId} (a duplicate's second message claims the second). */
    Ending claim(String eventId) {
        Deque<Ending> endings = finalByEvent.get(eventId == null ? "" : eventId);
        return endings == null || endings.isEmpty() ? null : endings.poll();
    }

    long applied() {
        return applied;
    }

    long skipped() {
        return skipped;
    }

    long failed() {
        return failed;
    }

    Map<String, Long> failedByErrorClass() {
        return failedByErrorClass;
    }
}
