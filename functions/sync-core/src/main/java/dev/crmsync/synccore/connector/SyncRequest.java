package dev.crmsync.synccore.connector;

import dev.crmsync.synccore.event.CrmEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a connector needs for one claimed operation.
 *
 * @param event         the validated change
 * @param operation     what was claimed
 * @param externalId    the vendor id this record or action already maps to, if any
 * @param externalIds   further vendor ids stored with it
 * @param retry         true when an earlier attempt may have reached the vendor (a redelivery, or a
 *                      claim that took over an expired lease): the connector must look for that
 *                      attempt's effect before creating anything its vendor cannot deduplicate
 * @param keyGeneration the generation of this record's outbound idempotency keys (0 at first): a
 *                      connector moves to the next one when the vendor replays a stored failure for
 *                      a key and the effect is absent, and reports the generation it ended on in
 *                      {@link SyncResult.Applied}, which the commit stores
 * @param dependencies  the vendor ids of the records this event depends on, read in one batch
 * @param credentials   the integration's secret, parsed
 * @param calls         how long the vendor calls of this attempt may take
 * @param actionTerms   for an action, the terms its first claim stored ({@link Operation.Action#terms}):
 *                      the connector builds the action from these, never from this event
 * @param liveKeys      for a record, every vendor key it may still have written and not removed
 *                      ({@link Operation.SyncRecord#vendorKeys}, this event's included); the
 *                      connector reports in {@link SyncResult.Applied#liveKeys} which remain
 * @param resumePoint   where the previous attempt's lookup stopped ({@link SyncResult.Failed#resumePoint}),
 *                      when it failed with one and nothing has claimed the item since
 */
public record SyncRequest(
        CrmEvent event,
        Operation operation,
        Optional<String> externalId,
        Map<String, String> externalIds,
        boolean retry,
        int keyGeneration,
        Map<RecordRef, String> dependencies,
        Credentials credentials,
        CallBudget calls,
        Map<String, String> actionTerms,
        Set<String> liveKeys,
        Optional<String> resumePoint) {

    public SyncRequest(
            CrmEvent event,
            Operation operation,
            Optional<String> externalId,
            Map<String, String> externalIds,
            boolean retry,
            int keyGeneration,
            Map<RecordRef, String> dependencies,
            Credentials credentials,
            CallBudget calls) {
        this(
                event,
                operation,
                externalId,
                externalIds,
                retry,
                keyGeneration,
                dependencies,
                credentials,
                calls,
                Map.of(),
                Set.of(),
                Optional.empty());
    }

    /**
     * The timeout a vendor call started now would get, or empty when none may start (it could
     * outlive the lease). Vendor clients pass {@link #calls} to {@link VendorHttp#send}, which takes
     * the timeout at the moment of sending; this is for a connector deciding whether to begin.
     */
    public Optional<Duration> callTimeout() {
        return calls.nextCallTimeout();
    }

    /** The same request with other credentials (after the secret was re-read). */
    public SyncRequest withCredentials(Credentials refreshed) {
        return new SyncRequest(
                event,
                operation,
                externalId,
                externalIds,
                retry,
                keyGeneration,
                dependencies,
                refreshed,
                calls,
                actionTerms,
                liveKeys,
                resumePoint);
    }

    public Optional<String> dependency(String object, String recordId) {
        return Optional.ofNullable(dependencies.get(new RecordRef(object, recordId)));
    }
}
