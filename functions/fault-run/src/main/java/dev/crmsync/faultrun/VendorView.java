package dev.crmsync.faultrun;

import dev.crmsync.sandbox.RecordedCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one vendor holds and received, read from its sandbox's own state and request log, in the
 * run's terms: records by index and versions by label ({@link CrmRecord#label}).
 */
interface VendorView {

    /** A write of a record's state that changed the vendor (executed, no replay), in arrival order. */
    record StateWrite(int record, long version, String answer) {
        /** The write as a violation names it: version, status, arrival time. */
        String describe() {
            return "v" + version + " (" + answer + ")";
        }
    }

    /** An action's object (an invoice, a message): the close it carries and whether it is finished. */
    record ActionObject(String id, long close, boolean complete) {}

    /** The record-state writes, in the order the vendor received them. */
    List<StateWrite> stateWrites();

    /** The live objects of each record, by the version each one carries. */
    Map<Integer, List<Long>> liveObjects();

    /** The objects of each deal's one-time action; none for a vendor that only holds record state. */
    default Map<Integer, List<ActionObject>> actions() {
        return Map.of();
    }

    /**
     * Objects that belong to no record of the run (e.g. created and never given a state): each one is an object too
     * many.
     */
    List<String> orphans();

    /** Deletes the record's object in the vendor as a person would; empty when it has none (yet). */
    default Optional<String> deleteByHand(CrmRecord record) {
        return Optional.empty();
    }

    /**
     * The state writes among {@code calls} that changed the vendor, each named by the record label
     * its request carries ({@code labelText}); calls without a label are not the run's.
     */
    static List<StateWrite> stateWrites(List<RecordedCall> calls, Function<RecordedCall, String> labelText) {
        List<StateWrite> writes = new ArrayList<>();
        for (RecordedCall call : calls) {
            long[] label = call.changedState() ? CrmRecord.parseLabel(labelText.apply(call)) : null;
            if (label != null) {
                writes.add(new StateWrite((int) label[0], label[1], call.status() + " at " + call.at()));
            }
        }
        return writes;
    }

    /**
     * The live objects by record, each by the version its label ({@code labelText}) carries; unlabelled ones are
     * orphans.
     */
    static <T> Map<Integer, List<Long>> byRecord(Iterable<T> live, Function<T, String> labelText) {
        Map<Integer, List<Long>> byRecord = new HashMap<>();
        for (T object : live) {
            long[] label = CrmRecord.parseLabel(labelText.apply(object));
            if (label != null) {
                byRecord.computeIfAbsent((int) label[0], i -> new ArrayList<>()).add(label[1]);
            }
        }
        return byRecord;
    }
}
