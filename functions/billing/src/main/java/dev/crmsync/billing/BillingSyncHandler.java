package dev.crmsync.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.pipeline.SyncFunction;

/** The billing function: CRM accounts and closed deals → Stripe customers and invoices. */
public final class BillingSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    // Built once per container (and captured by SnapStart), never per invocation. A start-up error
    // (a missing option) is caught there: every record is then answered as failed, with a status item.
    private static final SyncFunction FUNCTION = SyncFunction.fromEnvironment(StripeConnector::new);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return FUNCTION.process(batch, context);
    }
}
