package dev.crmsync.faultrun;

import dev.crmsync.harness.ProcessCrash;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What may happen to one function instance (an interceptor on its DynamoDB client), when the run
 * hands its integration a ticket ({@link Tickets}): the first instance to reach a commit with a
 * crash ticket dies there — after the vendor call, before the commit ({@link ProcessCrash}: nothing
 * of it reaches AWS any more) — and the first to reach a claim or a commit with a freeze ticket
 * stops for longer than its lease, as a container the host paused, then goes on where it was: a
 * claim computed before the pause and sent after it, or a commit sent after another attempt may
 * have taken the record over.
 */
final class Mishap implements ExecutionInterceptor {
    private static final String CLAIM = "SET #owner";
    private static final String COMMIT = "SET #applied";

    private final ProcessCrash crash = new ProcessCrash();
    private final AtomicBoolean dying = new AtomicBoolean();
    private final Tickets tickets;
    private final Duration freeze;

    /** @param freeze how long a freeze lasts: longer than the function's timeout, so that its leases run out */
    Mishap(Tickets tickets, Duration freeze) {
        this.tickets = tickets;
        this.freeze = freeze;
    }

    boolean crashed() {
        return crash.happened();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String update = context.request() instanceof UpdateItemRequest u ? u.updateExpression() : "";
        if (dying.get() || update.startsWith(COMMIT) && tickets.takeCrash()) {
            dying.set(true);
            crash.beforeExecution(context, attributes);
        }
        if (update.startsWith(CLAIM) && tickets.takeFreeze(Tickets.FreezePoint.BEFORE_CLAIM)
                || update.startsWith(COMMIT) && tickets.takeFreeze(Tickets.FreezePoint.BEFORE_COMMIT)) {
            pause(freeze);
        }
    }

    /** A paused process does not notice interrupts either: the whole pause passes. */
    private static void pause(Duration duration) {
        Instant until = Instant.now().plus(duration);
        boolean interrupted = false;
        for (Duration left = duration; left.isPositive(); left = Duration.between(Instant.now(), until)) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
