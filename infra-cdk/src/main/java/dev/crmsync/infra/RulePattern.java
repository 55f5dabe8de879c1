package dev.crmsync.infra;

import java.util.List;

/**
 * The event pattern of an integration's EventBridge rule: the CRM's source and the entry's detail-types, nothing
 * else (schema validity is the function's concern). The stack builds its rule from it and the local run matches
 * events with it, so both route alike.
 *
 * @param sources     the {@code source} values the rule matches
 * @param detailTypes the {@code detail-type} values the rule matches
 */
public record RulePattern(List<String> sources, List<String> detailTypes) {
    /** The CRM's {@code source} unless the stack's context sets {@code crmSource}. */
    public static final String DEFAULT_CRM_SOURCE = "crm";

    public RulePattern {
        sources = List.copyOf(sources);
        detailTypes = List.copyOf(detailTypes);
    }

    /** The rule of {@code integration} for CRM events of {@code crmSource}. */
    public static RulePattern of(Integration integration, String crmSource) {
        return new RulePattern(List.of(crmSource), integration.detailTypes());
    }

    /** The pattern as EventBridge (and event-ruler) reads it. */
    public String toJson() {
        return "{\"source\":" + array(sources) + ",\"detail-type\":" + array(detailTypes) + "}";
    }

    private static String array(List<String> values) {
        StringBuilder json = new StringBuilder("[");
        for (String value : values) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"')
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return json.append(']').toString();
    }
}
