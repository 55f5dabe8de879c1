package dev.crmsync.benchmark;

import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A connector with the time spent in its {@code apply} (the vendor's calls and their mapping)
 * added up, so the pipeline's own time is what remains of an invocation.
 */
final class TimedConnector implements Connector {
    private final Connector connector;
    private final LongAdder applyNanos;

    TimedConnector(Connector connector, LongAdder applyNanos) {
        this.connector = connector;
        this.applyNanos = applyNanos;
    }

    @Override
    public String integration() {
        return connector.integration();
    }

    @Override
    public Operation plan(CrmEvent event) {
        return connector.plan(event);
    }

    @Override
    public List<RecordRef> dependencies(CrmEvent event) {
        return connector.dependencies(event);
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        long start = System.nanoTime();
        try {
            return connector.apply(request);
        } finally {
            applyNanos.add(System.nanoTime() - start);
        }
    }
}
