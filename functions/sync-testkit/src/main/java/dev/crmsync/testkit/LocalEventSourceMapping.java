package dev.crmsync.testkit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does with ReportBatchItemFailures, against a real
 * queue: receive up to a batch, invoke the function with it, delete every message not reported
 * as failed, and leave the failed ones to their visibility timeout and the queue's RedrivePolicy.
 */
public final class LocalEventSourceMapping {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final BiFunction<SQSEvent, Context, SQSBatchResponse> function;
    private final Duration functionTimeout;
    private int batchSize = 10;
    private Duration batchingWindow = Duration.ZERO;

    public LocalEventSourceMapping(
            SqsClient sqs,
            String queueUrl,
            String queueArn,
            BiFunction<SQSEvent, Context, SQSBatchResponse> function,
            Duration functionTimeout) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.function = function;
        this.functionTimeout = functionTimeout;
    }

    public LocalEventSourceMapping batchSize(int size) {
        this.batchSize = size;
        return this;
    }

    /**
     * Gathers a batch for up to {@code window} after its first message, as the mapping's batching window does; a
     * receive that comes back empty ends the gathering early, so that an idle local queue is not waited on.
     */
    public LocalEventSourceMapping batchingWindow(Duration window) {
        this.batchingWindow = window;
        return this;
    }

    /** One poll and, when it received anything, one invocation. Returns what happened. */
    public Invocation pollOnce() {
        List<Message> received = new ArrayList<>(receive(Math.min(10, batchSize)));
        Instant gatherUntil = Instant.now().plus(batchingWindow);
        while (!received.isEmpty()
                && received.size() < batchSize
                && Instant.now().isBefore(gatherUntil)) {
            List<Message> more = receive(Math.min(10, batchSize - received.size()));
            if (more.isEmpty()) {
                break;
            }
            received.addAll(more);
        }
        return received.isEmpty() ? new Invocation(0, Set.of(), null) : invoke(received);
    }

    /** Receives up to {@code max} messages, as the mapping's poller does. */
    public List<Message> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
    }

    /** Invokes the function with these received messages and deletes those it did not report failed. */
    public Invocation invoke(List<Message> received) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : received) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setMd5OfBody(m.md5OfBody());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion("us-east-1");
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            record.setAttributes(attributes);
            records.add(record);
        }
        event.setRecords(records);
        SQSBatchResponse response = function.apply(event, new DeadlineContext("local", functionTimeout));
        Set<String> failed = new HashSet<>();
        if (response != null && response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : received) {
            if (!failed.contains(m.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder()
                        .id("d" + deletes.size())
                        .receiptHandle(m.receiptHandle())
                        .build());
            }
        }
        for (int from = 0; from < deletes.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> chunk = deletes.subList(from, Math.min(deletes.size(), from + 10));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
        return new Invocation(received.size(), failed, response);
    }

    /**
     * Polls until the queue has no message left, visible or in flight, or the time runs out.
     * Bounded: it never polls past {@code limit}.
     */
    public List<Invocation> drain(Duration limit) {
        Instant until = Instant.now().plus(limit);
        List<Invocation> invocations = new ArrayList<>();
        while (Instant.now().isBefore(until)) {
            Invocation invocation = pollOnce();
            if (invocation.received() > 0) {
                invocations.add(invocation);
                continue;
            }
            if (inFlightOrVisible() == 0) {
                return invocations;
            }
            sleep(Duration.ofMillis(200));
        }
        return invocations;
    }

    private int inFlightOrVisible() {
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
                + Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One invocation: how many messages it got and which it reported failed. */
    public record Invocation(int received, Set<String> failedMessageIds, SQSBatchResponse response) {}
}
