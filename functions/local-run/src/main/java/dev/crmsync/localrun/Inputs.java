package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.harness.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The events of a run read from files: the samples of events/samples/valid and invalid by default, or the files and
 * folders given. A sample's expectation comes from events/routing.json (which integrations) and its folder (valid or
 * invalid); a sample the table has no entry for (not JSON) must go nowhere. Other files carry no expectation.
 */
final class Inputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Inputs() {}

    static List<InputEvent> read(List<Path> given) {
        Path samples = SampleEvents.samples().toAbsolutePath().normalize();
        List<Path> roots = given.isEmpty() ? List.of(samples.resolve("valid"), samples.resolve("invalid")) : given;
        JsonNode routing = routingTable(samples);
        List<InputEvent> events = new ArrayList<>();
        for (Path root : roots) {
            for (Path file : files(root)) {
                events.add(event(file.toAbsolutePath().normalize(), samples, routing));
            }
        }
        return events;
    }

    private static InputEvent event(Path file, Path samples, JsonNode routing) {
        String body = read(file);
        if (!file.startsWith(samples)) {
            return new InputEvent(file.toString(), body, Optional.empty());
        }
        String relative = samples.relativize(file).toString().replace('\\', '/');
        JsonNode entry = routing.path("samples").path(relative);
        Set<String> integrations = new HashSet<>();
        entry.forEach(name -> integrations.add(name.asText()));
        boolean valid = !relative.startsWith("invalid/");
        return new InputEvent(relative, body, Optional.of(new InputEvent.Expectation(valid, integrations)));
    }

    private static List<Path> files(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode routingTable(Path samples) {
        try {
            return JSON.readTree(samples.resolveSibling("routing.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("events/routing.json could not be read", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
