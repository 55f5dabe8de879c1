package dev.crmsync.harness;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Simulates a function instance dying between the vendor call and the commit (pass it to
 * {@link IntegrationHarness#pipeline(java.time.Clock, ExecutionInterceptor...)}): the commit write
 * never reaches DynamoDB, and from then on nothing of that instance reaches AWS (no lease
 * release, no status record, no visibility change), as after a real crash.
 */
public final class ProcessCrash implements ExecutionInterceptor {
    private final AtomicBoolean crashed = new AtomicBoolean();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (crashed.get()) {
            throw new IllegalStateException("instance is dead");
        }
        if (context.request() instanceof UpdateItemRequest update
                && update.updateExpression().startsWith("SET #applied")) {
            crashed.set(true);
            throw new IllegalStateException("instance died before the commit");
        }
    }

    public boolean happened() {
        return crashed.get();
    }
}
