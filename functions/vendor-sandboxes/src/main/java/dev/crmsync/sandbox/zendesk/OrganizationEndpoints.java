package dev.crmsync.sandbox.zendesk;

import static dev.crmsync.sandbox.zendesk.ZendeskReplies.copyFields;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.given;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.notFound;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.one;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.page;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.recordInvalid;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.requiredSearchTerm;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import java.util.Optional;

/**
 * Organizations: Create Or Update Organization (matched on {@code external_id}; 201 created, 200
 * updated; names unique), Show and Update Organization by id, Search Organizations by {@code
 * external_id} or {@code name}, Delete Organization (deleted for good; its users lose their
 * membership). Called from {@link ZendeskRoutes}.
 */
final class OrganizationEndpoints {
    private final ZendeskAccount account;

    OrganizationEndpoints(ZendeskAccount account) {
        this.account = account;
    }

    SandboxReply createOrUpdateOrganization(SandboxRequest request) {
        JsonNode given = given(request, "organization");
        synchronized (account.lock) {
            String externalId = text(given, "external_id");
            Optional<ObjectNode> existing =
                    externalId == null ? Optional.empty() : account.findOrganization(externalId);
            String name = given.has("name")
                    ? text(given, "name")
                    : existing.map(o -> text(o, "name")).orElse(null);
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: cannot be blank");
            }
            Long ownId = existing.map(o -> o.get("id").asLong()).orElse(null);
            // names are unique, compared after trimming surrounding whitespace (Create Organization,
            // https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#create-organization)
            boolean taken = account.organizations.values().stream()
                    .anyMatch(o -> !Long.valueOf(o.get("id").asLong()).equals(ownId)
                            && name.strip().equalsIgnoreCase(text(o, "name").strip()));
            if (taken) {
                return recordInvalid("name", "Name: " + name + " has already been taken");
            }
            ObjectNode org = existing.orElseGet(account::newOrganization);
            copyFields(given, org);
            org.put("updated_at", request.at().toString());
            return one(existing.isPresent() ? 200 : 201, "organization", org.deepCopy());
        }
    }

    /**
     * Update Organization ({@code PUT /api/v2/organizations/{id}}): the given fields replace the stored ones; names
     * stay unique.
     */
    SandboxReply updateOrganization(SandboxRequest request, long id) {
        JsonNode given = given(request, "organization");
        synchronized (account.lock) {
            ObjectNode org = account.organizations.get(id);
            if (org == null) {
                throw notFound();
            }
            String name = given.has("name") ? text(given, "name") : text(org, "name");
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: cannot be blank");
            }
            if (account.organizations.values().stream()
                    .anyMatch(o -> o.get("id").asLong() != id && name.equalsIgnoreCase(text(o, "name")))) {
                return recordInvalid("name", "Name: " + name + " has already been taken");
            }
            copyFields(given, org);
            org.put("updated_at", request.at().toString());
            return one(200, "organization", org.deepCopy());
        }
    }

    /**
     * {@code GET /api/v2/organizations/search?name=}: the organizations of that name, compared
     * without case after trimming (Search Organizations takes {@code external_id} or {@code name},
     * https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    SandboxReply organizationsNamed(String name) {
        requiredSearchTerm(name, "name");
        synchronized (account.lock) {
            return page(
                    "organizations",
                    account.organizations.values().stream()
                            .filter(o -> name.strip()
                                    .equalsIgnoreCase(text(o, "name").strip())));
        }
    }

    /**
     * {@code GET /api/v2/organizations/search?external_id=}: every organization whose external_id
     * matches "exactly … (case insensitive)"
     * (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    SandboxReply searchByExternalId(String externalId) {
        requiredSearchTerm(externalId, "external_id");
        synchronized (account.lock) {
            return page(
                    "organizations",
                    account.organizations.values().stream()
                            .filter(o -> externalId.equalsIgnoreCase(text(o, "external_id"))));
        }
    }

    SandboxReply show(long id) {
        return account.show("organization", account.organizations, id);
    }

    SandboxReply deleteOrganization(long id) {
        synchronized (account.lock) {
            if (account.organizations.remove(id) == null) {
                throw notFound();
            }
            // its users lose their membership
            account.users.values().stream()
                    .filter(u -> u.path("organization_id").asLong(-1) == id)
                    .forEach(u -> u.putNull("organization_id"));
            return ZendeskReplies.noContent();
        }
    }
}
