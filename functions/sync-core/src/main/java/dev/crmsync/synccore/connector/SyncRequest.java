package dev.crmsync.synccore.connector;

import dev.crmsync.synccore.event.CrmEvent;
import java.time.Duration;
import java.time.Instant;
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
 * @param callDeadline every vendor call must end by then, so that the operation ends inside its lease
 * @param maxCallTimeout the longest any one vendor call may take
 */
public record SyncRequest(
        CrmEvent event,
        Operation operation,
        Optional<String> externalId,
        Map<String, String> externalIds,
        boolean retry,
        Map<RecordRef, String> dependencies,
        Credentials credentials,
        Instant callDeadline,
        Duration maxCallTimeout) {

    /** The timeout for the next vendor call: what is left until the call deadline, at most the maximum. */
    public Duration callTimeout() {
        Duration left = Duration.between(Instant.now(), callDeadline);
        Duration timeout = left.compareTo(maxCallTimeout) < 0 ? left : maxCallTimeout;
        return timeout.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : timeout;
    }

    /** The same request with other credentials (after the secret was re-read). */
    public SyncRequest withCredentials(Credentials refreshed) {
        return new SyncRequest(event, operation, externalId, externalIds, retry, dependencies, refreshed, callDeadline, maxCallTimeout);
    }

    public Optional<String> dependency(String object, String recordId) {
        return Optional.ofNullable(dependencies.get(new RecordRef(object, recordId)));
    }
}
