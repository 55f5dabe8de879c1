package dev.crmsync.synccore.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an event's {@code detail} against the JSON Schema of its detail-type. The schemas
 * are the files of events/schemas/, packaged on the classpath, loaded once per container.
 */
public final class SchemaValidator {
    public static final List<String> DETAIL_TYPES = List.of(
            "contact.upserted", "contact.deleted",
            "account.upserted", "account.deleted",
            "deal.upserted", "deal.closed");
    private static final int MAX_REPORTED_VIOLATIONS = 5;

    private final Map<String, Schema> schemas;

    private SchemaValidator(Map<String, Schema> schemas) {
        this.schemas = schemas;
    }

    public static SchemaValidator fromClasspath() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String type : DETAIL_TYPES) {
            String resource = "/crmsync/schemas/" + type + ".json";
            try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema " + resource + " is missing from the function package");
                }
                Schema schema = registry.getSchema(in);
                schema.initializeValidators();
                schemas.put(type, schema);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new SchemaValidator(Map.copyOf(schemas));
    }

    public boolean knows(String detailType) {
        return schemas.containsKey(detailType);
    }

    public Set<String> detailTypes() {
        return new java.util.TreeSet<>(schemas.keySet());
    }

    /** The violations, each "path: message", at most a few; empty when the detail is valid. */
    public List<String> validate(String detailType, JsonNode detail) {
        List<Error> errors = schemas.get(detailType).validate(detail);
        return errors.stream()
                .limit(MAX_REPORTED_VIOLATIONS)
                .map(SchemaValidator::describe)
                .toList();
    }

    private static String describe(Error error) {
        String where = String.valueOf(error.getInstanceLocation());
        String message = (where.isEmpty() ? "$" : where) + ": " + error.getMessage();
        // Keep reasons short: an oversized value must not be copied into a status record.
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
