package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.FlatFields.flatten;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An object search can find: its JSON and the versions of its searchable fields. */
abstract class Searchable {
    final ObjectNode json;
    /** Versions of the searchable fields, for the search lag: (time, flattened fields). */
    final List<Map.Entry<Instant, Map<String, String>>> versions = new ArrayList<>();

    Searchable(ObjectNode json) {
        this.json = json;
    }

    abstract List<String> searchFields();

    /** Call after every change: search sees this version once it is older than the search lag. */
    void snapshot() {
        versions.add(Map.entry(Instant.now(), flatten(json, searchFields(), Map.of())));
    }
}
