package dev.crmsync.synccore.connector;

import dev.crmsync.synccore.event.CrmEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a connector needs for one claimed operation.
 *
 * @param event        the validated change
 * @param operation    what was claimed
 * @param externalId   the vendor id this record or action already maps to, if any
 * @param externalIds  further vendor ids stored with it
 * @param retry        true when an earlier attempt may have reached the vendor (a redelivery, or a
 *                     claim that took over an expired lease): the connector must look for that
 *                     attempt's effect before creating anything its vendor cannot deduplicate
 * @param dependencies the vendor ids of the records this event depends on, read in one batch
 * @param credentials  the integration's secret, parsed
 * @param callTimeout  how long one vendor call may take so that it ends inside the lease
 */
public record SyncRequest(
        CrmEvent event,
        Operation operation,
        Optional<String> externalId,
        Map<String, String> externalIds,
        boolean retry,
        Map<RecordRef, String> dependencies,
        Credentials credentials,
        Duration callTimeout) {

    public Optional<String> dependency(String object, String recordId) {
        return Optional.ofNullable(dependencies.get(new RecordRef(object, recordId)));
    }
}
