package dev.crmsync.sandbox.zendesk;

import static dev.crmsync.sandbox.zendesk.ZendeskReplies.JSON;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.notFound;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SlidingWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Zendesk account's state: organizations, users and their e-mail identities, the rate limits'
 * windows, the verification e-mails it would have sent and the settings tests change, with the
 * lookups every endpoint shares. Everything here is guarded by {@link #lock}.
 */
final class ZendeskAccount {
    final Object lock = new Object();
    final Map<Long, ObjectNode> organizations = new LinkedHashMap<>();
    final Map<Long, ObjectNode> users = new LinkedHashMap<>();
    /** Each user's identities (e-mail addresses), in creation order; the user's {@code email} is its primary one. */
    final Map<Long, List<ObjectNode>> identities = new HashMap<>();

    final Map<Long, SlidingWindow> userWrites = new HashMap<>();
    final SlidingWindow accountRequests = new SlidingWindow();
    final List<String> verificationEmails = new ArrayList<>();
    final Set<String> plainAgentTokens = new HashSet<>();
    boolean deletedUsersKeepExternalIds = true;
    int userWriteLimit = ZendeskSandbox.DEFAULT_USER_WRITES;
    Duration userWindow = ZendeskSandbox.DEFAULT_USER_WINDOW;
    private long nextId = 360_000_000_001L;

    /** The next id of an object (organization, user, identity). */
    long newId() {
        return nextId++;
    }

    /** A new organization with Zendesk's empty defaults, stored under a new id. */
    ObjectNode newOrganization() {
        long id = newId();
        ObjectNode created = JSON.createObjectNode().put("id", id);
        created.putArray("domain_names");
        created.put("details", "").put("notes", "");
        organizations.put(id, created);
        return created;
    }

    /** A new active user of {@code role}, stored under a new id. */
    ObjectNode newUser(String role) {
        long id = newId();
        ObjectNode created =
                JSON.createObjectNode().put("id", id).put("role", role).put("active", true);
        users.put(id, created);
        return created;
    }

    /** Show Organization or Show User: {@code {"<kind>": object}}, 404 when there is none. */
    SandboxReply show(String kind, Map<Long, ObjectNode> objects, long id) {
        synchronized (lock) {
            ObjectNode object = objects.get(id);
            if (object == null) {
                throw notFound();
            }
            return ZendeskReplies.one(200, kind, object.deepCopy());
        }
    }

    void reset() {
        organizations.clear();
        users.clear();
        identities.clear();
        userWrites.clear();
        accountRequests.clear();
        verificationEmails.clear();
        plainAgentTokens.clear();
        deletedUsersKeepExternalIds = true;
        userWriteLimit = ZendeskSandbox.DEFAULT_USER_WRITES;
        userWindow = ZendeskSandbox.DEFAULT_USER_WINDOW;
    }

    /**
     * The address as the user's identity: its primary one when it has none (a create), else a new
     * unverified secondary one (an update with a new address; the primary stays). An address the
     * user already has changes nothing.
     */
    void addEmail(ObjectNode user, String email) {
        if (email == null) {
            return;
        }
        List<ObjectNode> own = identities.computeIfAbsent(user.get("id").asLong(), id -> new ArrayList<>());
        if (own.stream().anyMatch(i -> email.equalsIgnoreCase(text(i, "value")))) {
            return;
        }
        own.add(JSON.createObjectNode()
                .put("id", newId())
                .put("user_id", user.get("id").asLong())
                .put("type", "email")
                .put("value", email)
                .put("verified", false)
                .put("primary", own.isEmpty()));
        showPrimaryEmail(user);
    }

    /** The user's {@code email}: the value of its primary e-mail identity, null when it has none. */
    void showPrimaryEmail(ObjectNode user) {
        Optional<ObjectNode> primary = identities.getOrDefault(user.get("id").asLong(), List.of()).stream()
                .filter(i -> i.path("primary").asBoolean())
                .findFirst();
        if (primary.isPresent()) {
            user.put("email", text(primary.get(), "value"));
        } else {
            user.putNull("email");
        }
    }

    /** An active user one of whose e-mail identities is this address (compared without case). */
    boolean hasEmail(ObjectNode user, String email) {
        return identities.getOrDefault(user.get("id").asLong(), List.of()).stream()
                .anyMatch(i -> email.equalsIgnoreCase(text(i, "value")));
    }

    /**
     * An address is one user's: an update or a new identity with another active user's address is
     * refused with 422 (the wording is not verified; the sandbox refuses rather than share it).
     */
    boolean heldByAnotherUser(ObjectNode user, String email) {
        return users.values().stream()
                .anyMatch(u -> u != user && u.path("active").asBoolean() && hasEmail(u, email));
    }

    ObjectNode requireUser(long userId) {
        ObjectNode user = users.get(userId);
        if (user == null || !user.path("active").asBoolean()) {
            throw notFound();
        }
        return user;
    }

    /**
     * Zendesk compares {@code external_id} without regard to case: "its {@code external_id} must
     * exactly match the value provided (case insensitive)"
     * (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    Optional<ObjectNode> findOrganization(String externalId) {
        return organizations.values().stream()
                .filter(o -> externalId.equalsIgnoreCase(text(o, "external_id")))
                .findFirst();
    }

    /**
     * Matched on external id, case-insensitively, else on e-mail; soft-deleted users never match.
     * "When providing an external id to identify an existing user to update, the search for the
     * user record is not case sensitive. However, if an existing user is found, the system will
     * update the user's external id to match the case of the external id used to find the user"
     * (https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user):
     * the update copies the given {@code external_id}, so the last writer's case is kept.
     */
    Optional<ObjectNode> findActiveUser(String externalId, String email) {
        Optional<ObjectNode> byExternalId = externalId == null
                ? Optional.empty()
                : users.values().stream()
                        .filter(u ->
                                u.path("active").asBoolean() && externalId.equalsIgnoreCase(text(u, "external_id")))
                        .findFirst();
        if (byExternalId.isPresent() || email == null) {
            return byExternalId;
        }
        return users.values().stream()
                .filter(u -> u.path("active").asBoolean() && hasEmail(u, email))
                .findFirst();
    }
}
