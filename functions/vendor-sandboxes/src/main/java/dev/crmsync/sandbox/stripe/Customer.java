package dev.crmsync.sandbox.stripe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A customer: its JSON, whether it was deleted, and its search versions. */
final class Customer extends Searchable {
    /** The fields of the flattened view ({@link StripeSandbox#customers}), which search also indexes. */
    static final List<String> FIELDS =
            List.of("id", "created", "name", "email", "phone", "description", "currency", "address", "metadata");

    boolean deleted;

    Customer(ObjectNode json) {
        super(json);
    }

    @Override
    List<String> searchFields() {
        return FIELDS;
    }
}
