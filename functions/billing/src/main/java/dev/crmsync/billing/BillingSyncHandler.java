package dev.crmsync.billing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.pipeline.SyncPipeline;

/** The billing function: CRM accounts and closed deals → Stripe customers and invoices. */
public final class BillingSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    // Built once per container (and captured by SnapStart), never per invocation.
    private static final SyncPipeline PIPELINE = SyncPipeline.fromEnvironment(StripeConnector::new);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return PIPELINE.process(batch, context);
    }
}
