package dev.crmsync.sandbox.zendesk;

import static dev.crmsync.sandbox.zendesk.ZendeskReplies.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Zendesk Support on loopback: organizations and users by {@code create_or_update} (matched on
 * {@code external_id}, users also on e-mail; 201 created, 200 updated), shown and updated by id
 * ({@code GET}/{@code PUT /api/v2/{organizations|users}/{id}}), their deletion (users are
 * soft-deleted), the search by {@code external_id} (every match; {@code external_id} compares
 * without regard to case, as in Zendesk), a missing object as 404 {@code RecordNotFound}, an unknown
 * path as 404 {@code InvalidEndpoint}, and Zendesk's error shape {@code {"error",
 * "description", "details": {field: [{description}]}}}. Authentication is an API token:
 * {@code Basic base64("{email}/token:{api_token}")}; {@link #acceptApiKeys} takes the token.
 *
 * <p>What it enforces as Zendesk does: organization names are unique (a second organization with a
 * taken name is a 422 {@code RecordInvalid}), a new user needs a name, an e-mail must look like one
 * with a domain, a user's {@code organization_id} must exist. Rate limits: every answer carries
 * {@code X-Rate-Limit} and {@code X-Rate-Limit-Remaining}; {@code create_or_update} on one end
 * user is limited to {@link #DEFAULT_USER_WRITES} per {@link #DEFAULT_USER_WINDOW} (Zendesk's
 * documentation says "about 5 per minute"; unverified, so {@link #userWriteLimit} changes it), a
 * write over it gets 429 with {@code Retry-After} in seconds and a {@code text/plain} body.
 *
 * <p>Users: a {@code role} (staff made by hand are matched by e-mail like anyone), e-mail identities
 * ({@code email} writable on create only; an update adds a secondary address; the User Identities
 * API makes one primary), a {@code phone} that must be E.164, soft deletes that keep the
 * {@code external_id} until a permanent delete (the stricter reading of what Zendesk leaves
 * undocumented), and 403 for the token of an agent whose role may not manage end users and
 * organizations. Sources: {@code functions/vendor-sandboxes/vendors/zendesk.md}.
 */
public final class ZendeskSandbox extends VendorSandbox<ZendeskSandbox> {
    public static final int DEFAULT_USER_WRITES = 5;
    public static final Duration DEFAULT_USER_WINDOW = Duration.ofMinutes(1);
    /**
     * The account's per-minute limit it reports in {@code X-Rate-Limit}: Enterprise's 700 (Team 200, Growth and
     * Professional 400; https://developer.zendesk.com/api-reference/introduction/rate-limits).
     */
    public static final int ACCOUNT_LIMIT_PER_MINUTE = 700;

    /** Basic base64("{email}/token:{api_token}"): the token, when the user part is an e-mail with "/token". */
    private static final ApiKeyScheme API_TOKEN =
            ApiKeyScheme.basicPassword(user -> user.endsWith("/token") && user.contains("@"));

    private final ZendeskAccount account = new ZendeskAccount();
    private final ZendeskRoutes routes = new ZendeskRoutes(account, API_TOKEN);

    private ZendeskSandbox() {
        super("zendesk");
    }

    /** One sandbox per JVM, stopped at exit: what the helpdesk tests and the local run use. */
    public static ZendeskSandbox shared() {
        return shared(ZendeskSandbox.class, ZendeskSandbox::start);
    }

    public static ZendeskSandbox start() {
        return new ZendeskSandbox().startServer();
    }

    // ---------------------------------------------------------------- knobs and views for tests

    /** At most {@code writes} {@code create_or_update} calls per end user in any {@code window}. */
    public ZendeskSandbox userWriteLimit(int writes, Duration window) {
        synchronized (account.lock) {
            account.userWriteLimit = writes;
            account.userWindow = window;
        }
        return this;
    }

    /**
     * The next {@code times} matching requests get 503 with {@code Retry-After} (seconds) and a text/plain body, at
     * the edge.
     */
    public ZendeskSandbox unavailableNext(String method, String pathRegex, int times, int retryAfterSeconds) {
        return answerNext(
                method,
                pathRegex,
                times,
                request -> SandboxReply.of(
                                503,
                                "text/plain; charset=utf-8",
                                "Maintenance: Zendesk will be back shortly.".getBytes(StandardCharsets.UTF_8))
                        .withHeader("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /**
     * Requests with these (accepted) API tokens act as an agent without a custom role that may
     * manage end users and organizations: Zendesk answers their organization and user writes, the
     * organization search and user deletes with 403 {@code Forbidden}. Per the OpenAPI "Allowed For"
     * notes: organization create and delete "Admins; Agents assigned to a custom role with
     * permissions to manage organizations (Enterprise only)", update "Agents with no permissions
     * restrictions can only update 'notes'", search Admins or such roles; user
     * {@code create_or_update} and delete "Admins and agents in custom roles with permission to
     * manage end users" (organizations and users OpenAPI, api-evangelist/zendesk
     * {@code openapi/_original/}). Reading users and identities stays allowed to every agent.
     */
    public ZendeskSandbox tokensOfAgentsWithoutManageRole(String... tokens) {
        synchronized (account.lock) {
            account.plainAgentTokens.addAll(List.of(tokens));
        }
        return this;
    }

    /**
     * The other reading of what Zendesk does with a soft-deleted user's {@code external_id}, which
     * its documentation leaves open: released, so {@code create_or_update} with it creates a new
     * user. By default the sandbox takes the stricter one — the soft-deleted user keeps it and
     * {@code create_or_update} with it answers 422 {@code external_id: … has already been taken}
     * until the user is permanently deleted.
     */
    public ZendeskSandbox deletedUsersReleaseTheirExternalIds() {
        synchronized (account.lock) {
            account.deletedUsersKeepExternalIds = false;
        }
        return this;
    }

    /** An organization someone made by hand in Zendesk (no external id); returns its id. */
    public long addOrganizationByHand(String name) {
        synchronized (account.lock) {
            ObjectNode org = account.newOrganization();
            org.put("name", name).putNull("external_id");
            return org.get("id").asLong();
        }
    }

    /** What an agent does in Zendesk's admin pages: renames an organization. */
    public void renameOrganization(long id, String name) {
        synchronized (account.lock) {
            account.organizations.get(id).put("name", name);
        }
    }

    /** What an admin does in an organization's page in Zendesk: sets its External ID. */
    public void setOrganizationExternalIdByHand(long id, String externalId) {
        synchronized (account.lock) {
            account.organizations.get(id).put("external_id", externalId);
        }
    }

    /** What an agent does in Zendesk: deletes an organization (organizations are deleted for good). */
    public void deleteOrganizationByHand(long id) {
        synchronized (account.lock) {
            account.organizations.remove(id);
        }
    }

    /**
     * A member of the support team, made in Zendesk's admin pages: a user whose {@code role} is
     * {@code agent} (or {@code admin}) with this primary e-mail address; returns its id.
     * {@code create_or_update} matches it by e-mail like any other user ("updates an existing user
     * identified by e-mail address or external ID", Create Or Update User,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user), and
     * an admin's token may delete it ("administrators can delete all users except the account
     * owner", Delete User, same page).
     */
    public long addStaffUserByHand(String name, String email, String role) {
        synchronized (account.lock) {
            long id = account.newId();
            ObjectNode user = JSON.createObjectNode()
                    .put("id", id)
                    .put("name", name)
                    .put("role", role)
                    .put("active", true)
                    .putNull("external_id");
            account.users.put(id, user);
            account.addEmail(user, email);
            return id;
        }
    }

    /** What an admin does in a user's profile: changes its role (an end user made an agent). */
    public void setUserRoleByHand(long id, String role) {
        synchronized (account.lock) {
            account.users.get(id).put("role", role);
        }
    }

    /** The user's identities (its e-mail addresses, the primary one marked), in creation order (copies). */
    public List<JsonNode> identities(long userId) {
        synchronized (account.lock) {
            return account.identities.getOrDefault(userId, List.of()).stream()
                    .map(i -> (JsonNode) i.deepCopy())
                    .toList();
        }
    }

    /** The user with this Zendesk id, soft-deleted or not (a copy). */
    public Optional<JsonNode> user(long id) {
        synchronized (account.lock) {
            return Optional.ofNullable(account.users.get(id)).map(ObjectNode::deepCopy);
        }
    }

    /** What an agent does in Zendesk: deletes a user (users are soft-deleted: it stays, inactive). */
    public void deleteUserByHand(long id) {
        synchronized (account.lock) {
            account.users.get(id).put("active", false);
        }
    }

    /**
     * The next {@code times} matching requests get a 404 HTML page instead of Zendesk's JSON, at the
     * edge: what a host that is not the account's API answers (a mistyped subdomain, a proxy in
     * between). It says nothing about the object the path names.
     */
    public ZendeskSandbox notFoundPageNext(String method, String pathRegex, int times) {
        return answerNext(
                method,
                pathRegex,
                times,
                request -> SandboxReply.of(
                        404,
                        "text/html; charset=utf-8",
                        ("<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Oops! That page "
                                        + "does not exist.</h1></body></html>")
                                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The organizations as they are now, in creation order (copies). */
    public List<JsonNode> organizations() {
        synchronized (account.lock) {
            return account.organizations.values().stream()
                    .map(o -> (JsonNode) o.deepCopy())
                    .toList();
        }
    }

    /**
     * The addresses Zendesk would have sent a verification e-mail to: every user created with an
     * e-mail and without {@code "skip_verify_email": true} ("If you need to create users without
     * sending out a verification email, include a "skip_verify_email": true property in the body",
     * Create Or Update User, https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user).
     * Whether a real account sends it also depends on its welcome-e-mail settings; the sandbox
     * assumes the account's default, which sends it.
     */
    public List<String> verificationEmailsSent() {
        synchronized (account.lock) {
            return List.copyOf(account.verificationEmails);
        }
    }

    /** Every user, soft-deleted ones included ({@code active: false}), in creation order (copies). */
    public List<JsonNode> users() {
        synchronized (account.lock) {
            return account.users.values().stream()
                    .map(u -> (JsonNode) u.deepCopy())
                    .toList();
        }
    }

    public Optional<JsonNode> organizationByExternalId(String externalId) {
        synchronized (account.lock) {
            return account.findOrganization(externalId).map(ObjectNode::deepCopy);
        }
    }

    /** The active user with this external id. */
    public Optional<JsonNode> userByExternalId(String externalId) {
        synchronized (account.lock) {
            return account.findActiveUser(externalId, null).map(ObjectNode::deepCopy);
        }
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return API_TOKEN;
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return ZendeskReplies.errorReply(error);
    }

    /** Every answer carries the account's per-minute limit and what is left of it. */
    @Override
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        SandboxReply reply = super.serve(request, failure);
        int remaining;
        synchronized (account.lock) {
            account.accountRequests.add(request.at());
            remaining = Math.max(
                    0,
                    ACCOUNT_LIMIT_PER_MINUTE
                            - account.accountRequests.countWithin(Duration.ofMinutes(1), request.at()));
        }
        return reply.withHeader("X-Rate-Limit", Integer.toString(ACCOUNT_LIMIT_PER_MINUTE))
                .withHeader("X-Rate-Limit-Remaining", Integer.toString(remaining));
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        return routes.route(request);
    }

    @Override
    protected void resetState() {
        synchronized (account.lock) {
            account.reset();
        }
    }
}
