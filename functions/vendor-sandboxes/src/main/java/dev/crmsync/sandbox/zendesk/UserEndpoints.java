package dev.crmsync.sandbox.zendesk;

import static dev.crmsync.sandbox.zendesk.ZendeskReplies.EMAIL;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.given;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.notFound;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.one;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.page;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.recordInvalid;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.requiredSearchTerm;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.SlidingWindow;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Users: Create Or Update User (matched on {@code external_id}, else e-mail; limited per end user),
 * Show and Update User by id, Search Users by {@code external_id} or {@code query=email:…}, Delete
 * User (a soft delete), Show and Permanently Delete a deleted user. Called from {@link ZendeskRoutes}.
 */
final class UserEndpoints {
    private static final Pattern EMAIL_QUERY = Pattern.compile("^email:\\s*\"?([^\"\\s]+)\"?$");
    /** E.164: a +, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    private final ZendeskAccount account;

    UserEndpoints(ZendeskAccount account) {
        this.account = account;
    }

    SandboxReply createOrUpdateUser(SandboxRequest request) {
        JsonNode given = given(request, "user");
        synchronized (account.lock) {
            String externalId = text(given, "external_id");
            String email = text(given, "email");
            Optional<ObjectNode> existing = account.findActiveUser(externalId, email);
            boolean heldByADeletedUser = externalId != null
                    && account.users.values().stream()
                            .anyMatch(u -> !u.path("active").asBoolean()
                                    && externalId.equalsIgnoreCase(text(u, "external_id")));
            if (existing.isEmpty() && heldByADeletedUser && account.deletedUsersKeepExternalIds) {
                return recordInvalid("external_id", "External: " + externalId + " has already been taken");
            }
            if (existing.isPresent()) {
                Optional<Integer> wait = overUserLimit(existing.get().get("id").asLong(), request.at());
                if (wait.isPresent()) {
                    return ZendeskReplies.errorReply(new SandboxError.RateLimited(wait.get()));
                }
            }
            if (email != null && !EMAIL.matcher(email).matches()) {
                return recordInvalid("email", "Email: " + email + " is not properly formatted");
            }
            Optional<SandboxReply> badPhone = phoneRefusal(given);
            if (badPhone.isPresent()) {
                return badPhone.get();
            }
            String name = given.has("name")
                    ? text(given, "name")
                    : existing.map(u -> text(u, "name")).orElse(null);
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: is too short (minimum one character)");
            }
            JsonNode organizationId = given.get("organization_id");
            if (organizationId != null
                    && !organizationId.isNull()
                    && !account.organizations.containsKey(organizationId.asLong())) {
                return recordInvalid("organization_id", "Organization: is invalid");
            }
            if (existing.isPresent() && email != null && account.heldByAnotherUser(existing.get(), email)) {
                return recordInvalid("email", "Email: " + email + " is already being used by another user");
            }
            ObjectNode user = existing.orElseGet(() -> account.newUser("end-user"));
            copyUserFields(given, user);
            account.addEmail(user, email);
            if (existing.isEmpty()
                    && email != null
                    && !given.path("skip_verify_email").asBoolean(false)) {
                account.verificationEmails.add(email);
            }
            user.put("updated_at", request.at().toString());
            account.userWrites
                    .computeIfAbsent(user.get("id").asLong(), id -> new SlidingWindow())
                    .add(request.at());
            return one(existing.isPresent() ? 200 : 201, "user", user.deepCopy());
        }
    }

    /** Seconds until the user may be written again, when this write would exceed the per-user limit. */
    private Optional<Integer> overUserLimit(long userId, Instant now) {
        SlidingWindow writes = account.userWrites.computeIfAbsent(userId, id -> new SlidingWindow());
        if (writes.countWithin(account.userWindow, now) < account.userWriteLimit) {
            return Optional.empty();
        }
        return Optional.of(writes.retryAfterSeconds(account.userWindow, now));
    }

    /** Update User ({@code PUT /api/v2/users/{id}}); a soft-deleted user is not found. */
    SandboxReply updateUser(SandboxRequest request, long id) {
        JsonNode given = given(request, "user");
        synchronized (account.lock) {
            ObjectNode user = account.users.get(id);
            if (user == null || !user.path("active").asBoolean()) {
                throw notFound();
            }
            String email = text(given, "email");
            if (email != null && !EMAIL.matcher(email).matches()) {
                return recordInvalid("email", "Email: " + email + " is not properly formatted");
            }
            JsonNode organizationId = given.get("organization_id");
            if (organizationId != null
                    && !organizationId.isNull()
                    && !account.organizations.containsKey(organizationId.asLong())) {
                return recordInvalid("organization_id", "Organization: is invalid");
            }
            Optional<SandboxReply> badPhone = phoneRefusal(given);
            if (badPhone.isPresent()) {
                return badPhone.get();
            }
            if (email != null && account.heldByAnotherUser(user, email)) {
                return recordInvalid("email", "Email: " + email + " is already being used by another user");
            }
            copyUserFields(given, user);
            account.addEmail(user, email);
            user.put("updated_at", request.at().toString());
            return one(200, "user", user.deepCopy());
        }
    }

    /**
     * A user's given fields, except {@code email}: "The user's primary email address. Writeable on
     * create only. On update, a secondary email is added." (Users API, JSON format,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/) — see {@link ZendeskAccount#addEmail}.
     */
    private static void copyUserFields(JsonNode given, ObjectNode user) {
        given.fields().forEachRemaining(field -> {
            if (!List.of("id", "email", "skip_verify_email").contains(field.getKey())) {
                user.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    /**
     * A {@code phone} that is not E.164 is refused, 422 {@code phone: Phone … is not properly
     * formatted}, as Zendesk does when "Validate user phone numbers" is on ("The "phone" property
     * should comply with the E.164 international telephone numbering plan … You can configure
     * Support to validate that numbers comply with the E.164 standard so that the API returns an
     * error",
     * https://developer.zendesk.com/documentation/voice/talk-partner-edition/creating-a-user-profile-in-support-for-a-caller;
     * the answer's shape from Zendesk's own example, https://gist.github.com/dpawluk/77ec3f245fb299f70291c9c180dfe008).
     * The sandbox always validates: an account may have it on. Null or empty clears the phone.
     */
    private static Optional<SandboxReply> phoneRefusal(JsonNode given) {
        String phone = text(given, "phone");
        if (phone == null || phone.isEmpty() || E164.matcher(phone).matches()) {
            return Optional.empty();
        }
        return Optional.of(recordInvalid("phone", "Phone " + phone + " is not properly formatted"));
    }

    /**
     * {@code GET /api/v2/users/search?external_id=}: every active user whose external_id matches
     * without regard to case; the users' search takes ids only, no search syntax
     * (https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users).
     */
    SandboxReply searchByExternalId(String externalId) {
        requiredSearchTerm(externalId, "external_id");
        synchronized (account.lock) {
            return page(
                    "users",
                    account.users.values().stream()
                            .filter(u -> u.path("active").asBoolean()
                                    && externalId.equalsIgnoreCase(text(u, "external_id"))));
        }
    }

    /**
     * {@code GET /api/v2/users/search?query=email:…}: the users with that e-mail address. The
     * {@code query} parameter "supports the Zendesk search syntax" (Search Users,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users); the sandbox
     * understands only {@code email:<address>} (quoted or not) and refuses anything else with 400, so
     * a test never relies on syntax it does not model. Soft-deleted users are not found.
     */
    SandboxReply usersMatching(String query) {
        Matcher email = EMAIL_QUERY.matcher(query == null ? "" : query.strip());
        if (!email.matches()) {
            throw new Rejection(400, "InvalidSearch", "the sandbox's users search understands only email:<address>");
        }
        String address = email.group(1);
        synchronized (account.lock) {
            return page(
                    "users",
                    account.users.values().stream()
                            .filter(u -> u.path("active").asBoolean() && account.hasEmail(u, address)));
        }
    }

    /** Show User: answers a soft-deleted user too ({@code active: false}). */
    SandboxReply show(long id) {
        return account.show("user", account.users, id);
    }

    SandboxReply deleteUser(long id) {
        synchronized (account.lock) {
            ObjectNode user = account.users.get(id);
            if (user == null || !user.path("active").asBoolean()) {
                throw notFound();
            }
            // a soft delete, which cannot be undone ("Zendesk can't recover deleted users for you",
            // https://support.zendesk.com/hc/en-us/articles/4408821737498): the user stays, inactive, until
            // permanently deleted (by hand or after 30 days); it no longer matches create_or_update or
            // search, and its addresses are free ("a soft-deleted user can still contact you … a new profile
            // will be created", https://myaskai.com/zendesk-how-to/how-to-delete-end-users-in-zendesk).
            // Whether it keeps its external_id is not documented: see deletedUsersReleaseTheirExternalIds
            user.put("active", false);
            return one(200, "user", user.deepCopy());
        }
    }

    /** {@code GET /api/v2/deleted_users/{id}} (Show Deleted User): a soft-deleted user, else 404. */
    SandboxReply showDeletedUser(long id) {
        synchronized (account.lock) {
            ObjectNode user = account.users.get(id);
            if (user == null || user.path("active").asBoolean()) {
                throw notFound();
            }
            ObjectNode shown = user.deepCopy();
            // the documented shape of a deleted user has no external_id
            shown.remove("external_id");
            return one(200, "deleted_user", shown);
        }
    }

    /**
     * {@code DELETE /api/v2/deleted_users/{id}} (Permanently Delete User): 200 with the user, its
     * personal data null; only a user deleted before ("Before permanently deleting a user, you must
     * delete the user first"), else 404. The user is gone, its {@code external_id} and addresses with
     * it (deleted-users OpenAPI, api-evangelist/zendesk {@code openapi/_original/deleted-users-openapi-original.yml}).
     */
    SandboxReply permanentlyDeleteUser(long id) {
        synchronized (account.lock) {
            ObjectNode user = account.users.get(id);
            if (user == null || user.path("active").asBoolean()) {
                throw notFound();
            }
            account.users.remove(id);
            account.identities.remove(id);
            ObjectNode gone = user.deepCopy()
                    .putNull("email")
                    .putNull("phone")
                    .putNull("external_id")
                    .put("name", "Permanently Deleted User");
            return one(200, "deleted_user", gone);
        }
    }
}
