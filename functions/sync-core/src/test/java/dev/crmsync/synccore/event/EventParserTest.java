package dev.crmsync.synccore.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.SyncFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The edge of every handler, fed with the contract's own samples (events/samples). Needs no server. */
class EventParserTest {
    private static final Path SAMPLES = Path.of("../../events/samples");
    private final EventParser parser = new EventParser(new ObjectMapper(), SchemaValidator.fromClasspath(), EventParser.DEFAULT_MAX_BODY_BYTES);

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
        var envelope = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                Files.readString(SAMPLES.resolve("valid/account.upserted.json")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("detail")).put("occurredAt", "2026-02-30T10:00:00Z");
        ParsedMessage parsed = parser.parse(envelope.toString(), "m-1");
        assertThat(parsed).isInstanceOf(ParsedMessage.Invalid.class);
        assertThat(((ParsedMessage.Invalid) parsed).failure().errorClass()).isEqualTo("schema_invalid");
        assertThat(((ParsedMessage.Invalid) parsed).failure().reason()).contains("occurredAt");
    }

    private String errorClass(String name) throws IOException {
        return failure(name).errorClass();
    }

    private String reason(String name) throws IOException {
        return failure(name).reason();
    }

    private SyncFailure.Permanent failure(String name) throws IOException {
        ParsedMessage parsed = parser.parse(Files.readString(SAMPLES.resolve("invalid").resolve(name)), "m-1");
        return ((ParsedMessage.Invalid) parsed).failure();
    }

    private static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            return sorted.stream();
        }
    }
}
