package dev.crmsync.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Notifications on Slack: each won deal ({@code deal.closed}) becomes one message in the
 * deployment's channel ({@code CRM_SYNC_OPTION_CHANNEL}), linking back to the CRM record through
 * the deployment's template ({@code CRM_SYNC_OPTION_RECORD_URL_TEMPLATE}).
 *
 * <p>The message is an action claimed by the deal, so two events closing one deal make one message.
 * Slack has no idempotency key: posting twice makes two messages. So the message carries the deal
 * in its metadata, and an attempt that may follow an earlier one that reached Slack (a redelivery,
 * a lease taken over from a dead instance) first looks for that message in the channel's history
 * ({@link HistoryLookup}, which goes on where an attempt stopped by a rate limit left off) and posts
 * only when it is not there.
 */
public final class SlackConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.NOTIFICATIONS.wireName();
    public static final String DEFAULT_BASE_URL = "https://slack.com/";
    /** The metadata event type our messages carry; the history lookup matches on it and the deal id. */
    static final String EVENT_TYPE = "crm_deal_closed";
    /**
     * How far before the deal's close the history lookup starts: the message was posted after the
     * CRM recorded the close, so only clock skew between the CRM and Slack needs room.
     */
    static final Duration LOOKUP_MARGIN = Duration.ofMinutes(15);

    private final SlackClient slack;
    private final HistoryLookup history;
    private final Optional<String> channel;
    private final Optional<String> recordUrlTemplate;
    private final ObjectMapper json = new ObjectMapper();

    public SlackConnector(ConnectorSettings settings) {
        this.slack = new SlackClient(settings.vendorUrlOr(DEFAULT_BASE_URL), settings.httpClient(), json);
        this.history = new HistoryLookup(slack);
        this.channel = settings.option(EnvVar.CRM_SYNC_OPTION_CHANNEL.optionName());
        this.recordUrlTemplate = settings.option(EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE.optionName());
    }

    @Override
    public String integration() {
        return INTEGRATION;
    }

    @Override
    public Operation plan(CrmEvent event) {
        // Keyed by the deal, never the event: a second deal.closed for the deal finds the action done.
        return event.detailType().equals("deal.closed")
                ? new Operation.Action("message", event.recordId())
                : new Operation.Unsupported("notifications handles deal.closed, not " + event.detailType());
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        if (request.operation() instanceof Operation.Unsupported u) {
            return SyncResult.permanent(ErrorClass.UNSUPPORTED_DETAIL_TYPE, u.reason());
        }
        CrmEvent deal = request.event();
        String stage = deal.text("stage");
        if (!"closed_won".equals(stage)) {
            return new SyncResult.NotApplicable(
                    "deal " + deal.recordId() + " closed with stage " + stage + ", not closed_won: no message");
        }
        Optional<String> configProblem = configurationProblem();
        if (configProblem.isPresent()) {
            return SyncResult.permanent(ErrorClass.CONFIGURATION, configProblem.get());
        }
        String channelId = channel.orElseThrow();
        try {
            if (request.retry()) {
                // The history since shortly before the deal closed (the earlier of the event's occurredAt
                // and the deal's closedAt, so that a second event for the deal, sent later, still looks
                // back to the first one's message).
                switch (history.find(request, channelId, deal.recordId(), slackTs(lookupStart(deal)))) {
                    case HistoryLookup.Outcome.Found found -> {
                        return applied(found.ts(), channelId);
                    }
                    case HistoryLookup.Outcome.Interrupted interrupted -> {
                        return new SyncResult.Failed(
                                interrupted.failure(), interrupted.reached().map(HistoryLookup.Position::encoded));
                    }
                    case HistoryLookup.Outcome.Absent absent -> {
                        // not posted by an earlier attempt: post it now
                    }
                }
            }
            JsonNode posted =
                    slack.post("chat.postMessage", message(deal, channelId), request.credentials(), request.calls());
            return applied(posted.path("ts").asText(), posted.path("channel").asText(channelId));
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private static SyncResult applied(String ts, String channelId) {
        return new SyncResult.Applied(ts, Map.of("channel", channelId));
    }

    private Optional<String> configurationProblem() {
        if (channel.isEmpty()) {
            return Optional.of(EnvVar.CRM_SYNC_OPTION_CHANNEL + " is not set: the ID (C…) of the channel to post in");
        }
        if (channel.get().startsWith("#")) {
            return Optional.of(EnvVar.CRM_SYNC_OPTION_CHANNEL + " must be a channel ID (C…), not a name: "
                    + "conversations.history takes only IDs, and an ID survives a rename");
        }
        return recordUrlTemplate.flatMap(DealMessage::templateProblem);
    }

    /** The chat.postMessage body: the text and the deal in the metadata the lookup finds it by. */
    private ObjectNode message(CrmEvent deal, String channelId) {
        BigDecimal amount = deal.field("amount").decimalValue();
        Optional<String> link = recordUrlTemplate.map(template -> DealMessage.recordLink(template, deal.recordId()));
        ObjectNode body = json.createObjectNode()
                .put("channel", channelId)
                .put(
                        "text",
                        DealMessage.text(
                                deal.text("name"),
                                amount,
                                deal.text("currency"),
                                DealMessage.owner(deal.data().get("owner")),
                                link))
                .put("unfurl_links", false)
                .put("unfurl_media", false);
        ObjectNode metadata = body.putObject("metadata").put("event_type", EVENT_TYPE);
        metadata.putObject("event_payload").put("deal_id", deal.recordId()).put("event_id", deal.eventId());
        return body;
    }

    static Instant lookupStart(CrmEvent deal) {
        Instant start = deal.occurredAt();
        String closedAt = deal.text("closedAt");
        if (closedAt != null) {
            try {
                Instant closed = OffsetDateTime.parse(closedAt).toInstant();
                start = closed.isBefore(start) ? closed : start;
            } catch (DateTimeParseException ignored) {
                // the schema checks the format; the event's own time is the fallback
            }
        }
        return start.minus(LOOKUP_MARGIN);
    }

    /** An instant as Slack writes a message ts: seconds with six decimals. */
    static String slackTs(Instant instant) {
        return String.format(Locale.ROOT, "%d.%06d", instant.getEpochSecond(), instant.getNano() / 1_000);
    }
}
