package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The {@code detail.eventId} of an event's body, the key of its status item and outcome events. */
final class EventIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventIds() {}

    /** The event id, or null when the body is not JSON or names none. */
    static String of(String body) {
        try {
            JsonNode eventId = JSON.readTree(body).path("detail").path("eventId");
            return eventId.isTextual() ? eventId.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
