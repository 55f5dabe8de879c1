package dev.crmsync.sandbox.zendesk;

import static dev.crmsync.sandbox.zendesk.ZendeskReplies.EMAIL;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.one;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.page;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.recordInvalid;
import static dev.crmsync.sandbox.zendesk.ZendeskReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.util.List;

/**
 * A user's e-mail identities (User Identities API,
 * https://developer.zendesk.com/api-reference/ticketing/users/user_identities/): list, create, make
 * primary, delete. Called from {@link ZendeskRoutes}.
 */
final class IdentityEndpoints {
    private final ZendeskAccount account;

    IdentityEndpoints(ZendeskAccount account) {
        this.account = account;
    }

    /**
     * {@code GET /api/v2/users/{id}/identities}: {@code {"identities": […]}} (List Identities, User Identities API).
     */
    SandboxReply listIdentities(long userId) {
        synchronized (account.lock) {
            account.requireUser(userId);
            return page("identities", account.identities.getOrDefault(userId, List.of()).stream());
        }
    }

    /**
     * {@code POST /api/v2/users/{id}/identities} {@code {"identity": {"type": "email", "value"}}}:
     * 201 with the new, unverified, secondary identity; a verification e-mail unless
     * {@code skip_verify_email} (Create Identity, User Identities API,
     * https://developer.zendesk.com/api-reference/ticketing/users/user_identities/). An address
     * another user holds is refused with 422 (identities identify one user; Zendesk's exact wording
     * is not verified).
     */
    SandboxReply createIdentity(SandboxRequest request, long userId) {
        JsonNode given = request.json() == null ? null : request.json().get("identity");
        if (given == null || !"email".equals(text(given, "type"))) {
            throw new Rejection(400, "InvalidRequest", "the sandbox models e-mail identities only");
        }
        String value = text(given, "value");
        synchronized (account.lock) {
            ObjectNode user = account.requireUser(userId);
            if (value == null || !EMAIL.matcher(value).matches()) {
                return recordInvalid("value", "Value: " + value + " is not properly formatted");
            }
            if (account.heldByAnotherUser(user, value)) {
                return recordInvalid("value", "Value: " + value + " is already being used by another user");
            }
            if (account.hasEmail(user, value)) {
                return recordInvalid("value", "Value: " + value + " has already been taken");
            }
            account.addEmail(user, value);
            if (!given.path("skip_verify_email").asBoolean(false)
                    && !request.json().path("skip_verify_email").asBoolean(false)) {
                account.verificationEmails.add(value);
            }
            List<ObjectNode> own = account.identities.get(userId);
            return one(201, "identity", own.getLast().deepCopy());
        }
    }

    /**
     * {@code PUT /api/v2/users/{id}/identities/{identity_id}/make_primary}: 200 with the user's
     * identities. Only an end user authenticating as itself is limited to verified addresses ("an
     * end user can only make an email identity primary if the email is verified", Make Identity
     * Primary); an admin's token is not.
     */
    SandboxReply makePrimary(long userId, long identityId) {
        synchronized (account.lock) {
            ObjectNode user = account.requireUser(userId);
            ObjectNode chosen = requireIdentity(userId, identityId);
            account.identities.get(userId).forEach(i -> i.put("primary", i == chosen));
            account.showPrimaryEmail(user);
            return listIdentities(userId);
        }
    }

    /**
     * {@code DELETE /api/v2/users/{id}/identities/{identity_id}}: 204. The primary address is
     * refused (422): the docs do not say what Zendesk does, so the sandbox takes the stricter answer.
     */
    SandboxReply deleteIdentity(long userId, long identityId) {
        synchronized (account.lock) {
            account.requireUser(userId);
            ObjectNode identity = requireIdentity(userId, identityId);
            if (identity.path("primary").asBoolean()) {
                return recordInvalid("primary", "Primary: the primary identity cannot be deleted");
            }
            account.identities.get(userId).remove(identity);
            return ZendeskReplies.noContent();
        }
    }

    private ObjectNode requireIdentity(long userId, long identityId) {
        return account.identities.getOrDefault(userId, List.of()).stream()
                .filter(i -> i.get("id").asLong() == identityId)
                .findFirst()
                .orElseThrow(ZendeskReplies::notFound);
    }
}
