package dev.crmsync.helpdesk;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.pipeline.SyncPipeline;

/** The helpdesk function: CRM accounts and contacts → Zendesk organizations and users. */
public final class HelpdeskSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    // Built once per container (and captured by SnapStart), never per invocation.
    private static final SyncPipeline PIPELINE = SyncPipeline.fromEnvironment(ZendeskConnector::new);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return PIPELINE.process(batch, context);
    }
}
