package dev.crmsync.synccore.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.connector.SyncFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The edge of every handler, fed with the contract's own samples (events/samples). Needs no server. */
class EventParserTest {
    private static final Path SAMPLES = Path.of("../../events/samples");
    private final EventParser parser =
            new EventParser(new ObjectMapper(), SchemaValidator.fromClasspath(), EventParser.DEFAULT_MAX_BODY_BYTES);

    static Stream<Path> validSamples() throws IOException {
        return list(SAMPLES.resolve("valid"));
    }

    static Stream<Path> invalidSamples() throws IOException {
        return list(SAMPLES.resolve("invalid"));
    }

    @ParameterizedTest
    @MethodSource("validSamples")
    void everyValidSampleParses(Path sample) throws IOException {
        ParsedMessage parsed = parser.parse(Files.readString(sample), "m-1");
        assertThat(parsed).as(sample.toString()).isInstanceOf(ParsedMessage.Valid.class);
        CrmEvent event = ((ParsedMessage.Valid) parsed).event();
        assertThat(sample.getFileName().toString()).startsWith(event.detailType());
        assertThat(event.recordId()).isNotBlank();
        assertThat(event.version()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("invalidSamples")
    void everyInvalidSampleIsAPermanentFailureWithAReason(Path sample) throws IOException {
        ParsedMessage parsed = parser.parse(Files.readString(sample), "m-1");
        assertThat(parsed).as(sample.toString()).isInstanceOf(ParsedMessage.Invalid.class);
        SyncFailure.Permanent failure = ((ParsedMessage.Invalid) parsed).failure();
        assertThat(failure.reason()).isNotBlank().hasSizeLessThan(2_000);
    }

    @Test
    void classifiesEachDefect() throws IOException {
        assertThat(errorClass("malformed-json.json")).isEqualTo("malformed_json");
        assertThat(errorClass("unknown-detail-type.json")).isEqualTo("unknown_detail_type");
        assertThat(errorClass("oversized-data.json")).isEqualTo("oversized");
        assertThat(errorClass("missing-record-id.json")).isEqualTo("schema_invalid");
        assertThat(errorClass("version-not-a-number.json")).isEqualTo("schema_invalid");
        assertThat(errorClass("wrong-types.json")).isEqualTo("schema_invalid");
        assertThat(errorClass("missing-detail.json")).isEqualTo("schema_invalid");
        assertThat(errorClass("bad-occurred-at.json")).isEqualTo("schema_invalid");
        assertThat(reason("missing-record-id.json")).contains("recordId");
        assertThat(reason("version-not-a-number.json")).contains("version");
    }

    @Test
    void eventIdFallsBackToTheEnvelopeIdOnlyWhenTheDetailHasNone() throws IOException {
        String body = Files.readString(SAMPLES.resolve("invalid/missing-detail.json"));
        ParsedMessage.Invalid invalid = (ParsedMessage.Invalid) parser.parse(body, "m-1");
        String envelopeId = new ObjectMapper().readTree(body).path("id").asText();
        assertThat(invalid.eventId()).isEqualTo(envelopeId);
    }

    @Test
    void anInstantNoCalendarHasIsSchemaInvalidNotACrash() throws IOException {
        var envelope = (com.fasterxml.jackson.databind.node.ObjectNode)
                new ObjectMapper().readTree(Files.readString(SAMPLES.resolve("valid/account.upserted.json")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("detail"))
                .put("occurredAt", "2026-02-30T10:00:00Z");
        ParsedMessage parsed = parser.parse(envelope.toString(), "m-1");
        assertThat(parsed).isInstanceOf(ParsedMessage.Invalid.class);
        assertThat(((ParsedMessage.Invalid) parsed).failure().errorClass()).isEqualTo("schema_invalid");
        assertThat(((ParsedMessage.Invalid) parsed).failure().reason()).contains("occurredAt");
    }

    @Test
    void unknownFieldsInDataAreIgnored() throws IOException {
        ObjectNode envelope = sample("valid/account.upserted.json");
        ObjectNode data = data(envelope);
        data.put("Customer_Tier__c", "Gold");
        data.put("numberOfEmployees", 1200);
        data.put("isActive", true);
        data.putNull("parentId");
        data.putArray("tags").add("enterprise").add("emea");
        data.putObject("owner").put("id", "005A0000001abcD").putObject("team").put("name", "Enterprise West");
        ((ObjectNode) data.get("billingAddress"))
                .put("county", "San Francisco County")
                .put("latitude", 37.7936);

        CrmEvent event = valid(envelope);
        assertThat(event.text("name")).isEqualTo("Acme Corporation");
        assertThat(event.field("billingAddress").path("city").asText()).isEqualTo("San Francisco");
    }

    @Test
    void unknownFieldsInDetailAreIgnored() throws IOException {
        ObjectNode envelope = sample("valid/deal.closed.json");
        detail(envelope)
                .put("tenantId", "00D5g000004XyZa")
                .put("schemaVersion", 2)
                .putNull("correlationId");
        detail(envelope).putObject("actor").put("userId", "005A0000001abcD").put("kind", "user");

        CrmEvent event = valid(envelope);
        assertThat(event.eventId()).isEqualTo("01JPA6Q4E7H0K3N6R9T2W5Y8C1");
        assertThat(event.version()).isEqualTo(1773483622045L);
    }

    @Test
    void usedFieldsKeepTheirChecksWhenUnknownFieldsComeAlong() throws IOException {
        assertThat(reasonWithUnknownFields("valid/deal.closed.json", data -> data.put("amount", "1250.50")))
                .contains("amount");
        assertThat(reasonWithUnknownFields("valid/deal.closed.json", data -> data.remove("currency")))
                .contains("currency");
        assertThat(reasonWithUnknownFields("valid/deal.closed.json", data -> data.put("stage", "closed_lost")))
                .contains("stage");
        assertThat(reasonWithUnknownFields("valid/account.upserted.json", data -> data.put("email", "not-an-email")))
                .contains("email");
        assertThat(reasonWithUnknownFields("valid/account.upserted.json", data -> data.putNull("phone")))
                .contains("phone");
        assertThat(reasonWithUnknownFields("valid/account.upserted.json", data -> data.put("name", "x".repeat(256))))
                .contains("name");
        assertThat(reasonWithUnknownFields(
                        "valid/account.upserted.json",
                        data -> ((ObjectNode) data.get("billingAddress")).put("country", "USA")))
                .contains("country");
        assertThat(reasonWithUnknownFields(
                        "valid/account.upserted.json",
                        data -> data.putObject("billingAddress").put("city", 94105)))
                .contains("city");
        ObjectNode envelope = sample("valid/account.upserted.json");
        data(envelope).put("Customer_Tier__c", "Gold");
        detail(envelope).put("version", "17").put("tenantId", "00D5g000004XyZa");
        assertThat(invalid(envelope).reason()).contains("version");
    }

    @Test
    void anUnknownFieldMayNestFourDeepAndNoDeeper() throws IOException {
        ObjectNode fourDeep = sample("valid/account.upserted.json");
        data(fourDeep)
                .putObject("hs_associations")
                .putObject("companies")
                .putArray("results")
                .addObject()
                .put("id", "1");
        valid(fourDeep);

        ObjectNode fiveDeep = sample("valid/account.upserted.json");
        data(fiveDeep)
                .putObject("hs_associations")
                .putObject("companies")
                .putArray("results")
                .addObject()
                .putObject("type")
                .put("id", 1);
        assertThat(invalid(fiveDeep).errorClass()).isEqualTo("schema_invalid");

        ObjectNode inDetail = sample("valid/account.upserted.json");
        detail(inDetail)
                .putArray("a")
                .addArray()
                .addArray()
                .addArray()
                .addArray()
                .add(1);
        assertThat(invalid(inDetail).errorClass()).isEqualTo("schema_invalid");
    }

    @Test
    void dataHoldsAtMostAThousandFields() throws IOException {
        ObjectNode atTheBound = sample("valid/deal.closed.json");
        ObjectNode data = data(atTheBound);
        for (int i = data.size(); i < 1_000; i++) {
            data.put("custom_" + i + "__c", i);
        }
        valid(atTheBound);

        data.put("one_too_many__c", 1);
        assertThat(invalid(atTheBound).reason()).contains("data");
    }

    @Test
    void detailHoldsAtMostSixtyFourFields() throws IOException {
        ObjectNode atTheBound = sample("valid/deal.closed.json");
        for (int i = detail(atTheBound).size(); i < 64; i++) {
            detail(atTheBound).put("x" + i, i);
        }
        valid(atTheBound);

        detail(atTheBound).put("one_too_many", 1);
        assertThat(invalid(atTheBound).errorClass()).isEqualTo("schema_invalid");
    }

    @Test
    void aFieldNameIsAtMost255Characters() throws IOException {
        ObjectNode atTheBound = sample("valid/deal.closed.json");
        data(atTheBound).put("f".repeat(255), 1);
        valid(atTheBound);

        ObjectNode tooLong = sample("valid/deal.closed.json");
        data(tooLong).putObject("custom").put("f".repeat(256), 1);
        assertThat(invalid(tooLong).reason()).contains("/data/custom");
    }

    @Test
    void anUnknownArrayOrObjectHoldsAtMostAThousandMembers() throws IOException {
        ObjectNode atTheBound = sample("valid/deal.closed.json");
        var items = data(atTheBound).putArray("lineItems");
        for (int i = 0; i < 1_000; i++) {
            items.add(i);
        }
        valid(atTheBound);

        items.add(1_000);
        assertThat(invalid(atTheBound).reason()).contains("lineItems");
    }

    @ParameterizedTest
    @MethodSource("oneSamplePerDetailType")
    void aNumberNoDoubleCanHoldIsSchemaInvalidNamingItsField(Path sample) throws IOException {
        // Jackson reads 1e400 as Infinity, which JSON Schema's "number" and "minimum" let through.
        assertThat(reasonWithNumber(sample, "data", "score__c", "1e400")).contains("/data/score__c");
        assertThat(reasonWithNumber(sample, "data", "score__c", "-1e400")).contains("/data/score__c");
        assertThat(reasonWithNumber(sample, "detail", "trace", "1" + "0".repeat(400)))
                .contains("/trace");
        // large but finite numbers are still numbers
        assertThat(parser.parse(withNumber(sample, "data", "score__c", "1.5e300"), "m-1"))
                .isInstanceOf(ParsedMessage.Valid.class);
        assertThat(parser.parse(withNumber(sample, "data", "score__c", "18446744073709551615"), "m-1"))
                .isInstanceOf(ParsedMessage.Valid.class);
    }

    @Test
    void anAmountOfInfinityIsSchemaInvalid() throws IOException {
        assertThat(errorClass("amount-out-of-range.json")).isEqualTo("schema_invalid");
        assertThat(reason("amount-out-of-range.json")).contains("/data/amount").contains("not a finite number");
    }

    static Stream<Path> oneSamplePerDetailType() {
        return SchemaValidator.DETAIL_TYPES.stream().map(type -> SAMPLES.resolve("valid/" + type + ".json"));
    }

    /** The sample with {@code literal} as the JSON text of field {@code name} of its detail or data. */
    private static String withNumber(Path sample, String where, String name, String literal) throws IOException {
        ObjectNode envelope = (ObjectNode) new ObjectMapper().readTree(Files.readString(sample));
        ObjectNode detail = detail(envelope);
        ObjectNode target = !where.equals("data")
                ? detail
                : detail.has("data") ? (ObjectNode) detail.get("data") : detail.putObject("data");
        target.put(name, "@@number@@");
        return envelope.toString().replace("\"@@number@@\"", literal);
    }

    private String reasonWithNumber(Path sample, String where, String name, String literal) throws IOException {
        ParsedMessage parsed = parser.parse(withNumber(sample, where, name, literal), "m-1");
        assertThat(parsed)
                .as("%s with %s = %s", sample.getFileName(), name, literal)
                .isInstanceOf(ParsedMessage.Invalid.class);
        SyncFailure.Permanent failure = ((ParsedMessage.Invalid) parsed).failure();
        assertThat(failure.errorClass()).isEqualTo("schema_invalid");
        return failure.reason();
    }

    private String reasonWithUnknownFields(String sample, Consumer<ObjectNode> defect) throws IOException {
        ObjectNode envelope = sample(sample);
        data(envelope).put("Customer_Tier__c", "Gold").putObject("owner").put("id", "005A0000001abcD");
        detail(envelope).put("tenantId", "00D5g000004XyZa");
        defect.accept(data(envelope));
        SyncFailure.Permanent failure = invalid(envelope);
        assertThat(failure.errorClass()).isEqualTo("schema_invalid");
        return failure.reason();
    }

    private CrmEvent valid(ObjectNode envelope) {
        ParsedMessage parsed = parser.parse(envelope.toString(), "m-1");
        assertThat(parsed).as("%s", parsed).isInstanceOf(ParsedMessage.Valid.class);
        return ((ParsedMessage.Valid) parsed).event();
    }

    private SyncFailure.Permanent invalid(ObjectNode envelope) {
        ParsedMessage parsed = parser.parse(envelope.toString(), "m-1");
        assertThat(parsed).isInstanceOf(ParsedMessage.Invalid.class);
        return ((ParsedMessage.Invalid) parsed).failure();
    }

    private static ObjectNode sample(String path) throws IOException {
        return (ObjectNode) new ObjectMapper().readTree(Files.readString(SAMPLES.resolve(path)));
    }

    private static ObjectNode detail(ObjectNode envelope) {
        return (ObjectNode) envelope.get("detail");
    }

    private static ObjectNode data(ObjectNode envelope) {
        return (ObjectNode) detail(envelope).get("data");
    }

    private String errorClass(String name) throws IOException {
        return failure(name).errorClass();
    }

    private String reason(String name) throws IOException {
        return failure(name).reason();
    }

    private SyncFailure.Permanent failure(String name) throws IOException {
        ParsedMessage parsed =
                parser.parse(Files.readString(SAMPLES.resolve("invalid").resolve(name)), "m-1");
        return ((ParsedMessage.Invalid) parsed).failure();
    }

    private static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            return sorted.stream();
        }
    }
}
