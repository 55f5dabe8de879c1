package dev.crmsync.faultrun;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Puts events on the queues of the integrations whose rule matches them, as EventBridge's rule
 * targets do, in batches of 10 per queue. It keeps each queue's visible backlog bounded, so that
 * events are first received (which starts their retry window) about when they are sent, as under
 * a CRM's steady flow rather than one giant backlog.
 */
final class EventSender {
    private static final int BACKLOG_LIMIT = 200;

    private final SqsClient sqs;
    private final Routing routing;
    private final Map<String, Deployment> deployments = new HashMap<>();
    private final Map<String, List<SentEvent>> sentTo = new HashMap<>();
    private final Map<String, List<SendMessageBatchRequestEntry>> pending = new HashMap<>();

    EventSender(SqsClient sqs, Routing routing, List<Deployment> deployments) {
        this.sqs = sqs;
        this.routing = routing;
        for (Deployment d : deployments) {
            this.deployments.put(d.integration, d);
            sentTo.put(d.integration, new ArrayList<>());
            pending.put(d.integration, new ArrayList<>());
        }
    }

    void send(SentEvent event) {
        for (String integration : routing.route(event)) {
            Deployment d = deployments.get(integration);
            if (d == null) {
                continue; // an integration of the routing table the run does not deploy
            }
            sentTo.get(integration).add(event);
            List<SendMessageBatchRequestEntry> batch = pending.get(integration);
            batch.add(SendMessageBatchRequestEntry.builder()
                    .id("m" + batch.size())
                    .messageBody(event.body())
                    .build());
            if (batch.size() == 10) {
                flush(d);
            }
        }
    }

    void flush() {
        deployments.values().forEach(this::flush);
    }

    private void flush(Deployment d) {
        List<SendMessageBatchRequestEntry> batch = pending.get(d.integration);
        if (!batch.isEmpty()) {
            List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
            batch.clear();
            var result = sqs.sendMessageBatch(
                    b -> b.queueUrl(d.harness.queues.queueUrl()).entries(entries));
            if (!result.failed().isEmpty()) {
                throw new IllegalStateException(d.integration + ": the queue refused " + result.failed());
            }
        }
    }

    /** Waits while a queue's visible backlog is over the limit (never past {@code deadline}). */
    void awaitBacklog(Instant deadline) throws InterruptedException {
        flush();
        for (Deployment d : deployments.values()) {
            while (visible(d) > BACKLOG_LIMIT && Instant.now().isBefore(deadline)) {
                Thread.sleep(Duration.ofMillis(50));
            }
        }
    }

    private int visible(Deployment d) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(d.harness.queues.queueUrl())
                        .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                .attributesAsStrings()
                .getOrDefault("ApproximateNumberOfMessages", "0"));
    }

    /** Everything put on this integration's queue, in send order (duplicates included). */
    List<SentEvent> sentTo(String integration) {
        return sentTo.get(integration);
    }
}
