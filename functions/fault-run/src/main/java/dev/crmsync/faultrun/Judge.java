package dev.crmsync.faultrun;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges one integration from its vendor's own state and request log ({@link VendorView}) and its
 * DLQ and status items ({@link DeadLetters}), against what the run sent it:
 * <ul>
 *   <li>every valid change is applied, or superseded by a newer version of its record (or, for a
 *       deal's one-time action, by the close that made it), or sits in the DLQ with a current status
 *       item — and after the redrive none is left there;
 *   <li>no object twice: one live object per record (none after its delete), one finished action
 *       object per deal, no object that belongs to no record;
 *   <li>no older state after a newer one: per record, the versions of the state writes that changed
 *       the vendor never go down, in the order the vendor received them;
 *   <li>nothing of the short outage in a DLQ; everything of the long outage in it before the redrive;
 *       every invalid event in it with a status item.
 * </ul>
 */
final class Judge {
    private Judge() {}

    static Verdict judge(
            String integration,
            Set<FaultKind> expectedFaults,
            List<SentEvent> sent,
            VendorView vendor,
            DeadLetters before,
            DeadLetters after,
            Set<String> shortOutageEvents,
            Set<String> longOutageEvents) {
        Verdict v = new Verdict(integration, expectedFaults);
        v.messagesSent = sent.size();
        Map<Integer, List<SentEvent>> byRecord = new LinkedHashMap<>();
        Map<String, SentEvent> distinct = new LinkedHashMap<>();
        for (SentEvent event : sent) {
            if (event.valid()) {
                distinct.putIfAbsent(event.eventId(), event);
            } else if (after.has(event.eventId()) && after.hasStatus(event.eventId())) {
                v.invalidDeadLettered++;
            } else {
                v.invalidNotDeadLettered++;
                v.violation("invalid event " + event.eventId() + " is not in the DLQ with a status item");
            }
        }
        distinct.values()
                .forEach(e -> byRecord.computeIfAbsent(e.record().index(), i -> new ArrayList<>())
                        .add(e));
        v.validEvents = distinct.size();

        Map<Integer, List<Long>> live = vendor.liveObjects();
        Map<Integer, List<VendorView.ActionObject>> actions = vendor.actions();
        Map<Integer, List<VendorView.StateWrite>> writes = new HashMap<>();
        vendor.stateWrites()
                .forEach(w -> writes.computeIfAbsent(w.record(), r -> new ArrayList<>())
                        .add(w));

        for (List<SentEvent> events : byRecord.values()) {
            events.sort(Comparator.comparingLong(SentEvent::version));
            CrmRecord record = events.getFirst().record();
            if (events.getFirst().change() == SentEvent.Change.CLOSE) {
                judgeAction(v, record, events, actions.getOrDefault(record.index(), List.of()), after);
            } else {
                judgeRecord(
                        v,
                        record,
                        events,
                        live.getOrDefault(record.index(), List.of()),
                        writes.getOrDefault(record.index(), List.of()),
                        after);
            }
        }
        for (String orphan : vendor.orphans()) {
            v.duplicatesApplied++;
            v.violation(orphan);
        }

        for (SentEvent event : distinct.values()) {
            if (before.has(event.eventId())) {
                v.inDlq++;
                if (!before.hasStatus(event.eventId())) {
                    v.dlqWithoutStatus++;
                    v.violation(event.eventId() + " was in the DLQ without a current status item");
                }
                if (after.has(event.eventId())) {
                    v.notAppliedAfterRedrive++;
                    v.violation(event.eventId() + " is still in the DLQ after the redrive ("
                            + after.reason(event.eventId()) + ")");
                } else {
                    v.redrivenApplied++;
                }
            }
            if (shortOutageEvents.contains(event.eventId()) && before.has(event.eventId())) {
                v.shortOutageInDlq++;
                v.violation(event.eventId() + " reached the DLQ in an outage shorter than the retry window ("
                        + before.reason(event.eventId()) + ")");
            }
            if (longOutageEvents.contains(event.eventId())) {
                v.longOutageEvents++;
                if (!before.has(event.eventId())) {
                    v.longOutageNotInDlq++;
                    v.violation(event.eventId() + " was not in the DLQ after an outage longer than the retry window");
                }
            }
        }
        return v;
    }

    private static void judgeRecord(
            Verdict v,
            CrmRecord record,
            List<SentEvent> events,
            List<Long> live,
            List<VendorView.StateWrite> writes,
            DeadLetters after) {
        SentEvent latest = events.getLast();
        long highest = Long.MIN_VALUE;
        for (VendorView.StateWrite write : writes) {
            if (write.version() < highest) {
                v.staleOverwrites++;
                v.violation(record.object() + " " + record.index() + " (" + record.recordId() + "): version "
                        + write.version()
                        + " written after version " + highest + "; writes in arrival order: "
                        + writes.stream().map(VendorView.StateWrite::describe).toList());
            }
            highest = Math.max(highest, write.version());
        }
        Set<Long> written = new HashSet<>();
        writes.forEach(w -> written.add(w.version()));
        for (SentEvent event : events.subList(0, events.size() - 1)) {
            if (event.change() == SentEvent.Change.UPSERT && written.contains(event.version())) {
                v.applied++;
            } else {
                v.superseded++;
            }
        }
        boolean deleted = latest.change() == SentEvent.Change.DELETE;
        boolean holdsLatest = deleted ? live.isEmpty() : live.size() == 1 && live.getFirst() == latest.version();
        if (holdsLatest) {
            v.applied++;
        } else if (!after.has(latest.eventId())) {
            v.lost++;
            v.violation(record.object() + " " + record.index() + " (" + record.recordId() + "): latest change "
                    + latest.eventId() + (deleted ? " (a delete)" : "")
                    + " is not what the vendor holds: live objects carry versions " + live);
        }
        if (live.size() > 1) {
            v.duplicatesApplied += live.size() - 1;
            v.violation(record.object() + " " + record.index() + " (" + record.recordId() + "): " + live.size()
                    + " live objects, versions " + live);
        }
    }

    private static void judgeAction(
            Verdict v,
            CrmRecord deal,
            List<SentEvent> closes,
            List<VendorView.ActionObject> objects,
            DeadLetters after) {
        long complete =
                objects.stream().filter(VendorView.ActionObject::complete).count();
        boolean deadLettered = closes.stream().anyMatch(c -> after.has(c.eventId()));
        if (complete == 1 && objects.size() == 1) {
            v.applied++;
            v.superseded += closes.size() - 1;
        } else if (objects.isEmpty() && deadLettered) {
            v.superseded += closes.size() - 1; // counted by the DLQ columns
        } else {
            if (complete == 0) {
                v.lost++;
            } else {
                v.applied++;
            }
            v.superseded += closes.size() - 1;
            v.duplicatesApplied += Math.max(0, objects.size() - 1);
            v.violation("deal " + deal.index() + " (" + deal.recordId() + "): " + objects.size() + " objects, "
                    + complete + " finished, for " + closes.size() + " closes: " + objects);
        }
    }
}
