package dev.crmsync.synccore.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.event.ParsedMessage;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.observe.SyncOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes what became of each record on the event bus — {@code sync.applied}, {@code sync.failed},
 * {@code sync.skipped}, source {@code crm-sync} (the contract: events/README.md, "Outcome events") —
 * so that an audit log or a write-back of external ids into the CRM can subscribe with a rule.
 * Built once per container; a {@link Batch} per invocation collects the outcomes {@link OutcomeReporter}
 * decides, and publishes them at the end of the batch, one PutEvents per ten entries.
 *
 * <p>Best effort by design: a record's outcome is decided, and its message kept or deleted, whatever
 * becomes of its event. A PutEvents that fails, or returns failed entries, is logged and counted
 * ({@code outcomeEventsUnpublished}), never retried past the invocation and never a reason to fail or
 * repeat a record.
 *
 * <p>The details carry ids, versions and classes only — never a failure's reason text, which can quote
 * a vendor's answer (personal data) or, redacted or not, come near a credential.
 */
final class OutcomeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeEvents.class);
    /** PutEvents takes at most ten entries. */
    private static final int PUT_EVENTS_LIMIT = 10;

    private static final Duration SHORTEST_CALL = Duration.ofMillis(50);
    /**
     * The contract's own id and detail-type shapes: what an invalid message says about itself is kept only if it fits.
     */
    private static final Pattern CONTRACT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,255}");

    private static final Pattern CONTRACT_DETAIL_TYPE = Pattern.compile("[a-z]{1,32}\\.[a-z]{1,32}");

    private final EventBridgeClient client;
    private final Optional<String> bus;
    private final Set<SyncOutcome> published;
    private final String integration;
    private final SyncMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock;

    /**
     * @param bus       {@code CRM_SYNC_EVENT_BUS}: nothing is published without it
     * @param published {@code CRM_SYNC_PUBLISH_OUTCOMES}: the outcomes this integration publishes
     */
    OutcomeEvents(
            EventBridgeClient client,
            Optional<String> bus,
            Set<SyncOutcome> published,
            String integration,
            SyncMetrics metrics,
            ObjectMapper mapper,
            Clock clock) {
        if (bus.isPresent() && !published.isEmpty() && client == null) {
            throw new IllegalStateException(
                    "CRM_SYNC_EVENT_BUS is set, so outcome events are published, but no EventBridge client was given");
        }
        this.client = client;
        this.bus = bus;
        this.published = published;
        this.integration = integration;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A collector for one batch's outcomes. */
    Batch batch() {
        return new Batch();
    }

    /** The outcome events of one batch; thread-safe, as records report from their own threads. */
    final class Batch {
        private final List<PutEventsRequestEntry> entries = new ArrayList<>();
        private boolean sealed;

        private Batch() {}

        void applied(PendingRecord record, String externalId) {
            add(SyncOutcome.APPLIED, record, detail -> detail.put("externalId", externalId));
        }

        /** @param reason duplicate | stale | superseded | echo */
        void skipped(PendingRecord record, String reason) {
            add(SyncOutcome.SKIPPED, record, detail -> detail.put("skipReason", reason));
        }

        /** @param retrying true when the message comes back for another attempt, false when it goes to the DLQ */
        void failed(PendingRecord record, String errorClass, boolean retrying) {
            add(
                    SyncOutcome.FAILED,
                    record,
                    detail -> detail.put("errorClass", errorClass).put("retrying", retrying));
        }

        /** A message that is not a valid event: only what fits the contract's shapes is told. */
        void invalid(Delivery delivery, ParsedMessage.Invalid invalid) {
            if (!publishes(SyncOutcome.FAILED)) {
                return;
            }
            ObjectNode detail = mapper.createObjectNode().put("integration", integration);
            putIfShaped(detail, "eventId", invalid.eventId(), CONTRACT_ID);
            putIfShaped(detail, "crmDetailType", invalid.detailType(), CONTRACT_DETAIL_TYPE);
            putIfShaped(detail, "recordId", invalid.recordId(), CONTRACT_ID);
            detail.put("attempt", delivery.receiveCount())
                    .put("errorClass", invalid.failure().errorClass())
                    .put("retrying", false);
            add(SyncOutcome.FAILED, detail);
        }

        private void add(SyncOutcome outcome, PendingRecord record, Consumer<ObjectNode> specific) {
            if (!publishes(outcome)) {
                return;
            }
            ObjectNode detail = mapper.createObjectNode()
                    .put("integration", integration)
                    .put("eventId", record.event().eventId())
                    .put("crmDetailType", record.event().detailType())
                    .put("object", record.event().object())
                    .put("recordId", record.event().recordId())
                    .put("version", record.event().version())
                    .put("attempt", record.delivery().receiveCount());
            specific.accept(detail);
            add(outcome, detail);
        }

        private synchronized void add(SyncOutcome outcome, ObjectNode detail) {
            // A record that reports after the batch was answered (it outlived the deadline) is not told.
            if (!sealed) {
                entries.add(PutEventsRequestEntry.builder()
                        .eventBusName(bus.orElseThrow())
                        .source(SyncOutcome.EVENT_SOURCE)
                        .detailType(outcome.detailType())
                        .detail(detail.toString())
                        .time(clock.instant())
                        .build());
            }
        }

        /**
         * Sends the collected events, one PutEvents per ten, every call (SDK retries included) ending by
         * {@code end}; what cannot be sent by then is counted as unpublished. Never throws.
         */
        void publish(Instant end) {
            List<PutEventsRequestEntry> toSend;
            synchronized (this) {
                sealed = true;
                toSend = List.copyOf(entries);
            }
            int unpublished = 0;
            for (int from = 0; from < toSend.size(); from += PUT_EVENTS_LIMIT) {
                List<PutEventsRequestEntry> chunk =
                        toSend.subList(from, Math.min(toSend.size(), from + PUT_EVENTS_LIMIT));
                unpublished += put(chunk, Duration.between(clock.instant(), end));
            }
            if (unpublished > 0) {
                metrics.outcomeEventsUnpublished(unpublished);
            }
        }

        /** One PutEvents; returns how many of its entries were not published. */
        private int put(List<PutEventsRequestEntry> chunk, Duration timeLeft) {
            if (timeLeft.compareTo(SHORTEST_CALL) < 0) {
                LOG.warn(
                        "{} outcome events not published: the invocation has no time left for PutEvents", chunk.size());
                return chunk.size();
            }
            try {
                PutEventsResponse response =
                        client.putEvents(b -> b.entries(chunk).overrideConfiguration(o -> o.apiCallTimeout(timeLeft)));
                int failed = response.failedEntryCount() == null ? 0 : response.failedEntryCount();
                if (failed > 0) {
                    LOG.warn(
                            "{} of {} outcome events not published: {}",
                            failed,
                            chunk.size(),
                            response.entries().stream()
                                    .map(PutEventsResultEntry::errorCode)
                                    .filter(code -> code != null)
                                    .distinct()
                                    .toList());
                }
                return failed;
            } catch (RuntimeException e) {
                LOG.warn("{} outcome events not published: PutEvents failed: {}", chunk.size(), e.toString());
                return chunk.size();
            }
        }
    }

    private boolean publishes(SyncOutcome outcome) {
        return bus.isPresent() && published.contains(outcome);
    }

    private static void putIfShaped(ObjectNode detail, String field, String value, Pattern shape) {
        if (value != null && shape.matcher(value).matches()) {
            detail.put(field, value);
        }
    }
}
