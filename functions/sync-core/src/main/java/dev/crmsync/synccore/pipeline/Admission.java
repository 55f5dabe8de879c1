package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.event.EventParser;
import dev.crmsync.synccore.event.ParsedMessage;
import dev.crmsync.synccore.state.StateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The edge of the batch, before any state is touched: parse and validate each message, skip our own
 * echoes, ask the connector what each event means, and group the events by the item they claim.
 * Record groups are coalesced to their newest event (events carry the full state, so the newest
 * makes the others redundant); action groups run in order, the second and later finding the action
 * completed. A message this container just gave up on is refused from memory. What is decided here
 * is reported at once; the rest is returned, one list per group.
 */
final class Admission {
    private final EventParser parser;
    private final Connector connector;
    private final Clock clock;
    private final RecentGiveUps recentGiveUps;

    Admission(EventParser parser, Connector connector, Clock clock, RecentGiveUps recentGiveUps) {
        this.parser = parser;
        this.connector = connector;
        this.clock = clock;
        this.recentGiveUps = recentGiveUps;
    }

    List<List<PendingRecord>> admit(List<SQSMessage> messages, OutcomeReporter reporter) {
        Map<String, List<PendingRecord>> groups = new LinkedHashMap<>();
        for (SQSMessage message : messages) {
            Delivery delivery = Delivery.of(message, clock.instant());
            switch (parser.parse(message.getBody(), message.getMessageId())) {
                case ParsedMessage.Invalid invalid -> reporter.invalid(message, delivery, invalid);
                case ParsedMessage.Valid valid -> {
                    CrmEvent event = valid.event();
                    Operation operation;
                    Optional<SyncFailure.Permanent> unplannable = Optional.empty();
                    try {
                        operation = connector.plan(event);
                    } catch (RuntimeException e) {
                        // A connector must not throw: a bug meeting data it did not expect, which every
                        // retry would meet again. This event fails for good; the batch goes on.
                        String reason = "the connector could not plan the event: "
                                + Redaction.describe(e, UnaryOperator.identity());
                        operation = new Operation.Unsupported(reason);
                        unplannable = Optional.of(new SyncFailure.Permanent(ErrorClass.INTERNAL, reason));
                    }
                    PendingRecord record = new PendingRecord(message, delivery, event, operation, claimKey(operation));
                    Optional<String> gaveUp = recentGiveUps.of(delivery);
                    if (event.origin().equals(connector.integration())) {
                        reporter.report(
                                record, new RecordVerdict.Skipped("echo", "written by this integration", Set.of()));
                    } else if (gaveUp.isPresent()) {
                        reporter.report(record, new RecordVerdict.AlreadyGaveUp(gaveUp.get()));
                    } else if (operation instanceof Operation.Unsupported unsupported) {
                        reporter.unsupported(
                                record,
                                unplannable.orElseGet(() -> new SyncFailure.Permanent(
                                        ErrorClass.UNSUPPORTED_DETAIL_TYPE, unsupported.reason())));
                    } else {
                        groups.computeIfAbsent(record.claimKey(), k -> new ArrayList<>())
                                .add(record);
                    }
                }
            }
        }
        List<List<PendingRecord>> admitted = new ArrayList<>();
        for (List<PendingRecord> group : groups.values()) {
            admitted.add(coalesced(group));
        }
        return admitted;
    }

    /** The newest event of a record group, carrying the older ones (reported once the newest's claim saw the item). */
    private static List<PendingRecord> coalesced(List<PendingRecord> group) {
        if (group.size() == 1 || group.getFirst().isAction()) {
            return group;
        }
        List<PendingRecord> newestFirst = new ArrayList<>(group);
        newestFirst.sort(Comparator.comparingLong((PendingRecord r) -> r.event().version())
                .reversed());
        return new ArrayList<>(List.of(newestFirst.getFirst().superseding(newestFirst.subList(1, newestFirst.size()))));
    }

    private String claimKey(Operation operation) {
        return switch (operation) {
            case Operation.SyncRecord r -> StateKey.record(connector.integration(), r.object(), r.recordId());
            case Operation.Action a -> StateKey.action(connector.integration(), a.action(), a.businessKey());
            case Operation.Unsupported u -> null;
        };
    }
}
