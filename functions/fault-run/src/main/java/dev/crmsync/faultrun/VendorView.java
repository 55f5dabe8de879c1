package dev.crmsync.faultrun;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The objects of each deal's one-time action. */
    Map<Integer, List<ActionObject>> actions();

    /** Objects that belong to no record of the run (e.g. created and never given a state): each one is an object too many. */
    List<String> orphans();

    /** Deletes the record's object in the vendor as a person would; empty when it has none (yet). */
    default Optional<String> deleteByHand(CrmRecord record) {
        return Optional.empty();
    }
}
