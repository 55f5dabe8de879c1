package dev.crmsync.synccore.connector;

import dev.crmsync.synccore.event.CrmEvent;
import java.util.List;

/**
 * The one interface a vendor module implements. A connector knows its vendor's API and field
 * mapping and nothing about SQS or DynamoDB: it is handed a claimed operation and returns the
 * vendor id or a classified failure. It must not throw for vendor errors; an exception is
 * treated as a retryable internal failure.
 */
public interface Connector {
    /** The integration's name, e.g. {@code billing}: the namespace of its state and its echo origin. */
    String integration();

    /** What the event asks for. Called before any state is touched. */
    Operation plan(CrmEvent event);

    /** Records whose vendor ids {@link #apply} will need; read for the whole batch in one request. */
    default List<RecordRef> dependencies(CrmEvent event) {
        return List.of();
    }

    SyncResult apply(SyncRequest request);
}
