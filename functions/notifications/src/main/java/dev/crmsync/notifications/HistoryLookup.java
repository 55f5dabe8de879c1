package dev.crmsync.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.VendorHttp;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Looks for the deal's message in the channel's history, newest first, page by page, from now back
 * to shortly before the deal closed — and goes on where an earlier attempt stopped.
 *
 * <p>Slack gives some apps one {@code conversations.history} call a minute and 15 messages a page
 * (commercially distributed non-Marketplace apps created after 2025-05-29,
 * https://docs.slack.dev/apis/web-api/rate-limits): a lookup that restarted at page one after each
 * 429 would never get past page two in a busy channel. So a lookup stopped by a retryable failure
 * reports how far it got — the ts of the oldest message it examined — and the next attempt asks
 * only for what is older ({@code latest} is exclusive). That is sound because an attempt looks only
 * when an earlier one may have posted, every such attempt had ended before this lookup began (its
 * lease had), and an attempt that looks posts nothing until its lookup is complete: no message of
 * ours can appear in the part already examined. The position lives in the item's resume point,
 * which the next claim takes and deletes, so an attempt that dies — perhaps after posting — leaves
 * none, and its successor looks from the top again.
 */
final class HistoryLookup {
    /** Slack recommends at most 200 messages per history page. */
    static final int HISTORY_PAGE = 200;
    /** At most this many messages since the close, over all attempts, before on-call is asked to look. */
    static final int MAX_MESSAGES = 10_000;

    private final SlackClient slack;

    HistoryLookup(SlackClient slack) {
        this.slack = slack;
    }

    sealed interface Outcome {
        /** The earlier attempt's message, by its ts. */
        record Found(String ts) implements Outcome {}

        /** No message of the deal between shortly before its close and now: post it. */
        record Absent() implements Outcome {}

        /** A retryable failure stopped the lookup; the next attempt goes on from {@code reached}, if any. */
        record Interrupted(SyncFailure.Retryable failure, Optional<Position> reached) implements Outcome {}
    }

    /**
     * How far a lookup got: the ts of the oldest message examined (the next asks for messages before
     * it) and how many were examined in all, for the {@link #MAX_MESSAGES} bound.
     */
    record Position(String oldestExamined, int examined) {
        String encoded() {
            return oldestExamined + " " + examined;
        }

        /** The position an earlier attempt left, or empty (start from the top) when it is not one of ours. */
        static Optional<Position> decode(String point) {
            String[] parts = point.split(" ");
            try {
                int examined = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
                if (examined >= 0 && new BigDecimal(parts[0]).signum() > 0) {
                    return Optional.of(new Position(parts[0], examined));
                }
            } catch (NumberFormatException ignored) {
                // not a position: look from the top, which is always safe
            }
            return Optional.empty();
        }
    }

    Outcome find(SyncRequest request, String channelId, String dealId, String oldest) throws VendorHttp.CallFailed {
        Optional<Position> reached = request.resumePoint().flatMap(Position::decode);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("channel", channelId);
        params.put("oldest", oldest);
        params.put("include_all_metadata", "true");
        params.put("limit", Integer.toString(HISTORY_PAGE));
        reached.ifPresent(position -> params.put("latest", position.oldestExamined()));
        int examined = reached.map(Position::examined).orElse(0);
        while (true) {
            if (examined >= MAX_MESSAGES) {
                throw new VendorHttp.CallFailed(tooLong(channelId, dealId));
            }
            JsonNode answer;
            try {
                answer = slack.get("conversations.history", params, request.credentials(), request.calls());
            } catch (VendorHttp.CallFailed failed) {
                if (failed.failure() instanceof SyncFailure.Retryable retryable) {
                    return new Outcome.Interrupted(retryable, reached);
                }
                throw failed;
            }
            for (JsonNode message : answer.path("messages")) {
                JsonNode metadata = message.path("metadata");
                if (SlackConnector.EVENT_TYPE.equals(metadata.path("event_type").asText())
                        && dealId.equals(
                                metadata.path("event_payload").path("deal_id").asText())) {
                    return new Outcome.Found(message.path("ts").asText());
                }
                examined++;
                reached = Optional.of(new Position(message.path("ts").asText(), examined));
            }
            String cursor = answer.path("response_metadata").path("next_cursor").asText("");
            if (cursor.isEmpty()) {
                return new Outcome.Absent();
            }
            params.put("cursor", cursor);
        }
    }

    private static SyncFailure.Permanent tooLong(String channelId, String dealId) {
        return new SyncFailure.Permanent(
                ErrorClass.HISTORY_TOO_LONG,
                "more than " + MAX_MESSAGES + " messages in " + channelId + " since deal " + dealId
                        + " closed: not posted, since an earlier attempt's message may be among them; look for it in "
                        + "the channel"
                        + " (metadata deal_id " + dealId
                        + "), post by hand if it is missing, and delete this message from the DLQ");
    }
}
