package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.synccore.state.SyncStateStore;
import java.time.Instant;
import java.util.Map;

/**
 * What SQS says about this receive of a message: how often it was received and when first. A
 * redrive from the DLQ makes a new message, so both start again (on ElasticMQ under the same id).
 *
 * @param firstReceivedAt {@code ApproximateFirstReceiveTimestamp}; the retry window counts from it
 */
record Delivery(String messageId, int receiveCount, Instant firstReceivedAt) {
    static Delivery of(SQSMessage message, Instant now) {
        Map<String, String> attributes = message.getAttributes() == null ? Map.of() : message.getAttributes();
        return new Delivery(
                message.getMessageId(),
                (int) Math.max(1, number(attributes.get("ApproximateReceiveCount"), 1)),
                Instant.ofEpochMilli(number(attributes.get("ApproximateFirstReceiveTimestamp"), now.toEpochMilli())));
    }

    SyncStateStore.Receipt receipt() {
        return new SyncStateStore.Receipt(messageId, receiveCount, firstReceivedAt);
    }

    boolean isFirst() {
        return receiveCount == 1;
    }

    /** The receive after which SQS moves the message to the DLQ (the queue's maxReceiveCount). */
    boolean isLast(int maxReceiveCount) {
        return receiveCount >= maxReceiveCount;
    }

    private static long number(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
