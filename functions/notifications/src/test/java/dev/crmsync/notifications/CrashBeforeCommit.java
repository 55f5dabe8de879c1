package dev.crmsync.notifications;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A function instance that dies after Slack accepted the message and before the commit: the commit
 * never reaches DynamoDB, and nothing else of that instance reaches AWS afterwards (no release, no
 * status record, no visibility change). Its lease runs out; its message comes back.
 */
final class CrashBeforeCommit implements ExecutionInterceptor {
    private final AtomicBoolean dead = new AtomicBoolean();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (dead.get()) {
            throw new IllegalStateException("instance is dead");
        }
        if (context.request() instanceof UpdateItemRequest update && update.updateExpression().startsWith("SET #applied")) {
            dead.set(true);
            throw new IllegalStateException("instance died before the commit");
        }
    }

    boolean happened() {
        return dead.get();
    }
}
