package dev.crmsync.synccore.connector;

import dev.crmsync.synccore.event.CrmEvent;
import java.util.List;

/**
 * The one interface a vendor module implements. A connector knows its vendor's API and field
 * mapping and nothing about SQS or DynamoDB: it is handed a claimed operation and returns the
 * vendor id or a classified failure. It must not throw for vendor errors. An exception it throws
 * anyway is a bug meeting an input or an answer it did not expect, which a retry would only meet
 * again: it is a <b>permanent</b> {@code internal} failure (the message goes to the DLQ at once,
 * with a status record whose reason names the exception, credentials redacted). That holds also
 * when it throws after a vendor call: the call may have reached the vendor, so the event stays
 * among the item's failed events and the next attempt (a redrive, after the fix) is a retry that
 * must look for the earlier effect before creating anything, as after any uncommitted attempt.
 */
public interface Connector {
    /** The integration's name, e.g. {@code billing}: the namespace of its state and its echo origin. */
    String integration();

    /**
     * What the event asks for. Called before any state is touched; an exception here fails the
     * event permanently ({@code internal}), as from {@link #apply}, and the rest of its batch goes on.
     */
    Operation plan(CrmEvent event);

    /** Records whose vendor ids {@link #apply} will need; read for the whole batch in one request. */
    default List<RecordRef> dependencies(CrmEvent event) {
        return List.of();
    }

    SyncResult apply(SyncRequest request);
}
