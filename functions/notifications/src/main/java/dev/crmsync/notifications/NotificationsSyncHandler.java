package dev.crmsync.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.pipeline.SyncFunction;

/** The notifications function: each closed-won deal → one message in a Slack channel. */
public final class NotificationsSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    // Built once per container (and captured by SnapStart), never per invocation. A start-up error
    // (a missing option) is caught there: every record is then answered as failed, with a status item.
    private static final SyncFunction FUNCTION = SyncFunction.fromEnvironment(SlackConnector::new);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return FUNCTION.process(batch, context);
    }
}
