package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.FAILED_ORDER;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UPS;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UP_AT;
import static dev.crmsync.synccore.state.StateTable.failedEvents;
import static dev.crmsync.synccore.state.StateTable.number;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The bounds of what a record item remembers about failures, decided from the item as a failure
 * write left it: its failed events (the latest {@code maxFailedEvents}, by the order they failed
 * in) and its give-ups (the latest {@code maxGiveUps}, by when they gave up). Without them an item
 * whose events are never redriven would grow with every failure: every write of the item costs by
 * its size, and DynamoDB refuses items over 400 KB.
 *
 * <p>The order of failures is a list beside the set (the set is what claims and commits read and
 * change); a commit removes its event from the set only, so the list keeps ids of events that
 * recovered until it is compacted here, once it holds twice the bound.
 */
final class FailureMemory {
    private FailureMemory() {}

    /**
     * What to forget, in one write conditioned on the order list's length being {@code seenOrderSize}
     * (a failure noted meanwhile makes the trim its own).
     *
     * @param forgottenEvents events to delete from the failed events: the oldest beyond the bound
     * @param keptOrder       the new order list: the remaining failed events, oldest first
     * @param forgottenGiveUps message ids whose give-ups to remove: the oldest beyond the bound
     * @param seenOrderSize   the order list's length as this trim saw it; -1 when it had none
     */
    record Trim(Set<String> forgottenEvents, List<String> keptOrder, Set<String> forgottenGiveUps, int seenOrderSize) {}

    static Optional<Trim> of(Map<String, AttributeValue> item, int maxFailedEvents, int maxGiveUps) {
        Set<String> failed = failedEvents(item);
        AttributeValue orderValue = item.get(FAILED_ORDER);
        List<String> order = orderValue == null || !orderValue.hasL()
                ? List.of()
                : orderValue.l().stream().map(AttributeValue::s).toList();
        Map<String, AttributeValue> giveUps =
                item.containsKey(GAVE_UPS) && item.get(GAVE_UPS).hasM()
                        ? item.get(GAVE_UPS).m()
                        : Map.of();
        if (failed.size() <= maxFailedEvents && order.size() <= 2 * maxFailedEvents && giveUps.size() <= maxGiveUps) {
            return Optional.empty();
        }
        // When each failed event last failed; one noted before the order list existed counts as oldest.
        Map<String, Integer> lastFailed = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            lastFailed.put(order.get(i), i);
        }
        List<String> oldestFirst = new ArrayList<>(failed);
        oldestFirst.sort(Comparator.comparingInt((String id) -> lastFailed.getOrDefault(id, -1))
                .thenComparing(Comparator.naturalOrder()));
        int forget = Math.max(0, oldestFirst.size() - maxFailedEvents);
        List<String> kept = List.copyOf(oldestFirst.subList(forget, oldestFirst.size()));

        List<String> giveUpsOldestFirst = new ArrayList<>(giveUps.keySet());
        giveUpsOldestFirst.sort(Comparator.comparingLong((String message) -> giveUpAt(giveUps.get(message)))
                .thenComparing(Comparator.naturalOrder()));
        int forgetGiveUps = Math.max(0, giveUpsOldestFirst.size() - maxGiveUps);

        return Optional.of(new Trim(
                Set.copyOf(oldestFirst.subList(0, forget)),
                kept,
                Set.copyOf(giveUpsOldestFirst.subList(0, forgetGiveUps)),
                orderValue == null ? -1 : order.size()));
    }

    private static long giveUpAt(AttributeValue entry) {
        return entry != null && entry.hasM() ? number(entry.m(), GAVE_UP_AT).orElse(0L) : 0L;
    }
}
