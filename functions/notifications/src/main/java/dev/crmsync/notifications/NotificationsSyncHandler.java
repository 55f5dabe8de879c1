package dev.crmsync.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.pipeline.SyncPipeline;

/** The notifications function: each closed-won deal → one message in a Slack channel. */
public final class NotificationsSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    // Built once per container (and captured by SnapStart), never per invocation.
    private static final SyncPipeline PIPELINE = SyncPipeline.fromEnvironment(SlackConnector::new);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return PIPELINE.process(batch, context);
    }
}
