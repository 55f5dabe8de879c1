package dev.crmsync.sandbox.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** The account's per-minute limit it reports in {@code X-Rate-Limit}: Enterprise's 700 (Team 200, Growth and Professional 400; https://developer.zendesk.com/api-reference/introduction/rate-limits). */
    public static final int ACCOUNT_LIMIT_PER_MINUTE = 700;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORGANIZATION = Pattern.compile("/api/v2/organizations/(\\d+)(?:\\.json)?");
    private static final Pattern USER = Pattern.compile("/api/v2/users/(\\d+)(?:\\.json)?");
    private static final Pattern DELETED_USER = Pattern.compile("/api/v2/deleted_users/(\\d+)(?:\\.json)?");
    private static final Pattern IDENTITIES = Pattern.compile("/api/v2/users/(\\d+)/identities(?:\\.json)?");
    private static final Pattern IDENTITY = Pattern.compile("/api/v2/users/(\\d+)/identities/(\\d+)(?:\\.json)?");
    private static final Pattern MAKE_PRIMARY = Pattern.compile("/api/v2/users/(\\d+)/identities/(\\d+)/make_primary(?:\\.json)?");
    private static final Pattern EMAIL_QUERY = Pattern.compile("^email:\\s*\"?([^\"\\s]+)\"?$");
    /** E.164: a +, a country code that does not start with 0, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");

    private final Object lock = new Object();
    private final Map<Long, ObjectNode> organizations = new LinkedHashMap<>(); // guarded by lock
    private final Map<Long, ObjectNode> users = new LinkedHashMap<>(); // guarded by lock
    /** Each user's identities (e-mail addresses), in creation order; the user's {@code email} is its primary one. */
    private final Map<Long, List<ObjectNode>> identities = new HashMap<>(); // guarded by lock
    private final Map<Long, Deque<Instant>> userWrites = new HashMap<>(); // guarded by lock
    private final Deque<Instant> accountRequests = new ArrayDeque<>(); // guarded by lock
    private final List<String> verificationEmails = new ArrayList<>(); // guarded by lock
    private final Set<String> plainAgentTokens = new HashSet<>(); // guarded by lock
    private boolean deletedUsersKeepExternalIds = true; // guarded by lock
    private long nextId = 360_000_000_001L; // guarded by lock
    private int userWriteLimit = DEFAULT_USER_WRITES; // guarded by lock
    private Duration userWindow = DEFAULT_USER_WINDOW; // guarded by lock

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
        synchronized (lock) {
            this.userWriteLimit = writes;
            this.userWindow = window;
        }
        return this;
    }

    /** The next {@code times} matching requests get 503 with {@code Retry-After} (seconds) and a text/plain body, at the edge. */
    public ZendeskSandbox unavailableNext(String method, String pathRegex, int times, int retryAfterSeconds) {
        return answerNext(method, pathRegex, times, request -> SandboxReply.of(503, "text/plain; charset=utf-8",
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
        synchronized (lock) {
            plainAgentTokens.addAll(List.of(tokens));
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
        synchronized (lock) {
            deletedUsersKeepExternalIds = false;
        }
        return this;
    }

    /** An organization someone made by hand in Zendesk (no external id); returns its id. */
    public long addOrganizationByHand(String name) {
        synchronized (lock) {
            long id = nextId++;
            ObjectNode org = JSON.createObjectNode().put("id", id).put("name", name).putNull("external_id");
            org.putArray("domain_names");
            org.put("details", "").put("notes", "");
            organizations.put(id, org);
            return id;
        }
    }

    /** What an agent does in Zendesk's admin pages: renames an organization. */
    public void renameOrganization(long id, String name) {
        synchronized (lock) {
            organizations.get(id).put("name", name);
        }
    }

    /** What an admin does in an organization's page in Zendesk: sets its External ID. */
    public void setOrganizationExternalIdByHand(long id, String externalId) {
        synchronized (lock) {
            organizations.get(id).put("external_id", externalId);
        }
    }

    /** What an agent does in Zendesk: deletes an organization (organizations are deleted for good). */
    public void deleteOrganizationByHand(long id) {
        synchronized (lock) {
            organizations.remove(id);
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
        synchronized (lock) {
            long id = nextId++;
            ObjectNode user = JSON.createObjectNode().put("id", id).put("name", name).put("role", role).put("active", true).putNull("external_id");
            users.put(id, user);
            addEmail(user, email);
            return id;
        }
    }

    /** What an admin does in a user's profile: changes its role (an end user made an agent). */
    public void setUserRoleByHand(long id, String role) {
        synchronized (lock) {
            users.get(id).put("role", role);
        }
    }

    /** The user's identities (its e-mail addresses, the primary one marked), in creation order (copies). */
    public List<JsonNode> identities(long userId) {
        synchronized (lock) {
            return identities.getOrDefault(userId, List.of()).stream().map(i -> (JsonNode) i.deepCopy()).toList();
        }
    }

    /** The user with this Zendesk id, soft-deleted or not (a copy). */
    public Optional<JsonNode> user(long id) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(id)).map(ObjectNode::deepCopy);
        }
    }

    /** What an agent does in Zendesk: deletes a user (users are soft-deleted: it stays, inactive). */
    public void deleteUserByHand(long id) {
        synchronized (lock) {
            users.get(id).put("active", false);
        }
    }

    /**
     * The next {@code times} matching requests get a 404 HTML page instead of Zendesk's JSON, at the
     * edge: what a host that is not the account's API answers (a mistyped subdomain, a proxy in
     * between). It says nothing about the object the path names.
     */
    public ZendeskSandbox notFoundPageNext(String method, String pathRegex, int times) {
        return answerNext(method, pathRegex, times, request -> SandboxReply.of(404, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Oops! That page does not exist.</h1></body></html>"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    /** The organizations as they are now, in creation order (copies). */
    public List<JsonNode> organizations() {
        synchronized (lock) {
            return organizations.values().stream().map(o -> (JsonNode) o.deepCopy()).toList();
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
        synchronized (lock) {
            return List.copyOf(verificationEmails);
        }
    }

    /** Every user, soft-deleted ones included ({@code active: false}), in creation order (copies). */
    public List<JsonNode> users() {
        synchronized (lock) {
            return users.values().stream().map(u -> (JsonNode) u.deepCopy()).toList();
        }
    }

    public Optional<JsonNode> organizationByExternalId(String externalId) {
        synchronized (lock) {
            return findOrganization(externalId).map(ObjectNode::deepCopy);
        }
    }

    /** The active user with this external id. */
    public Optional<JsonNode> userByExternalId(String externalId) {
        synchronized (lock) {
            return findActiveUser(externalId, null).map(ObjectNode::deepCopy);
        }
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        // Basic base64("{email}/token:{api_token}"): the token, when the user part is an e-mail with "/token"
        return request -> {
            String authorization = request.header("Authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "";
            }
            int colon = decoded.indexOf(':');
            if (colon < 0 || !decoded.substring(0, colon).endsWith("/token") || !decoded.substring(0, colon).contains("@")) {
                return "";
            }
            return decoded.substring(colon + 1);
        };
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) ->
                    error(status, status >= 500 ? "InternalError" : "Error", cause == null ? "Something went wrong" : cause);
            case SandboxError.RateLimited(int seconds) -> SandboxReply.of(429, "text/plain; charset=utf-8",
                            ("Rate limit exceeded. Retry after " + seconds + " seconds.").getBytes(StandardCharsets.UTF_8))
                    .withHeader("Retry-After", Integer.toString(seconds));
            case SandboxError.Rejected(int status, String name, String message) -> error(status, name, message);
            // Zendesk answers a refused token with a bare error string
            case SandboxError.Unauthorized(String key) ->
                    SandboxReply.json(401, JSON.createObjectNode().put("error", "Couldn't authenticate you"));
        };
    }

    @Override
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        SandboxReply reply = super.serve(request, failure);
        int remaining;
        synchronized (lock) {
            Instant minuteAgo = request.at().minusSeconds(60);
            while (!accountRequests.isEmpty() && accountRequests.peekFirst().isBefore(minuteAgo)) {
                accountRequests.pollFirst();
            }
            accountRequests.addLast(request.at());
            remaining = Math.max(0, ACCOUNT_LIMIT_PER_MINUTE - accountRequests.size());
        }
        return reply.withHeader("X-Rate-Limit", Integer.toString(ACCOUNT_LIMIT_PER_MINUTE))
                .withHeader("X-Rate-Limit-Remaining", Integer.toString(remaining));
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        if (request.malformed() != null) {
            throw new Rejection(400, "InvalidJson", request.malformed());
        }
        String path = request.path().replaceFirst("\\.json$", "");
        String method = request.method();
        Matcher org = ORGANIZATION.matcher(request.path());
        Matcher user = USER.matcher(request.path());
        Matcher userIdentities = IDENTITIES.matcher(request.path());
        Matcher identity = IDENTITY.matcher(request.path());
        Matcher makePrimary = MAKE_PRIMARY.matcher(request.path());
        Matcher deletedUser = DELETED_USER.matcher(request.path());
        if (needsManageRole(method, path) && actsAsPlainAgent(request)) {
            // Zendesk's answer to an agent whose role does not allow the call (reported in https://github.com/facetoe/zenpy/issues/336)
            throw new Rejection(403, "Forbidden", "You do not have access to this page. Please contact the account owner of this help desk for further help.");
        }
        if (method.equals("GET") && deletedUser.matches()) {
            return showDeletedUser(Long.parseLong(deletedUser.group(1)));
        }
        if (method.equals("DELETE") && deletedUser.matches()) {
            return permanentlyDeleteUser(Long.parseLong(deletedUser.group(1)));
        }
        if (method.equals("GET") && userIdentities.matches()) {
            return listIdentities(Long.parseLong(userIdentities.group(1)));
        }
        if (method.equals("POST") && userIdentities.matches()) {
            return createIdentity(request, Long.parseLong(userIdentities.group(1)));
        }
        if (method.equals("PUT") && makePrimary.matches()) {
            return makePrimary(Long.parseLong(makePrimary.group(1)), Long.parseLong(makePrimary.group(2)));
        }
        if (method.equals("DELETE") && identity.matches()) {
            return deleteIdentity(Long.parseLong(identity.group(1)), Long.parseLong(identity.group(2)));
        }
        if (method.equals("POST") && path.equals("/api/v2/organizations/create_or_update")) {
            return createOrUpdateOrganization(request);
        }
        if (method.equals("POST") && path.equals("/api/v2/users/create_or_update")) {
            return createOrUpdateUser(request);
        }
        if (method.equals("GET") && path.equals("/api/v2/organizations/search") && request.params().containsKey("name")) {
            return organizationsNamed(request.params().get("name"));
        }
        if (method.equals("GET") && path.equals("/api/v2/organizations/search")) {
            return search("organizations", request.params().get("external_id"));
        }
        if (method.equals("GET") && path.equals("/api/v2/users/search") && request.params().containsKey("query")) {
            return usersMatching(request.params().get("query"));
        }
        if (method.equals("GET") && path.equals("/api/v2/users/search")) {
            return search("users", request.params().get("external_id"));
        }
        if (method.equals("GET") && org.matches()) {
            return show("organization", organizations, Long.parseLong(org.group(1)));
        }
        if (method.equals("GET") && user.matches()) {
            // Show User answers a soft-deleted user too (active: false)
            return show("user", users, Long.parseLong(user.group(1)));
        }
        if (method.equals("PUT") && org.matches()) {
            return updateOrganization(request, Long.parseLong(org.group(1)));
        }
        if (method.equals("PUT") && user.matches()) {
            return updateUser(request, Long.parseLong(user.group(1)));
        }
        if (method.equals("DELETE") && org.matches()) {
            return deleteOrganization(Long.parseLong(org.group(1)));
        }
        if (method.equals("DELETE") && user.matches()) {
            return deleteUser(Long.parseLong(user.group(1)));
        }
        // Zendesk's answer to a path it does not serve, as reported from the real API
        // (https://github.com/cloudbees-oss/zendesk-java-client/issues/111, https://github.com/facetoe/zenpy/issues/484)
        throw new Rejection(404, "InvalidEndpoint", "Not found");
    }

    /** Organization writes and searches, user writes and deletes: what a plain agent may not do (see {@link #tokensOfAgentsWithoutManageRole}). */
    private static boolean needsManageRole(String method, String path) {
        boolean organizations = path.startsWith("/api/v2/organizations");
        boolean userWrite = path.equals("/api/v2/users/create_or_update")
                || (USER.matcher(path).matches() || DELETED_USER.matcher(path).matches()) && !method.equals("GET");
        return organizations || userWrite;
    }

    private boolean actsAsPlainAgent(SandboxRequest request) {
        String token = apiKeyScheme().presentedKey(request);
        synchronized (lock) {
            return token != null && plainAgentTokens.contains(token);
        }
    }

    @Override
    protected void resetState() {
        synchronized (lock) {
            organizations.clear();
            users.clear();
            identities.clear();
            userWrites.clear();
            accountRequests.clear();
            verificationEmails.clear();
            plainAgentTokens.clear();
            deletedUsersKeepExternalIds = true;
            userWriteLimit = DEFAULT_USER_WRITES;
            userWindow = DEFAULT_USER_WINDOW;
        }
    }

    private SandboxReply createOrUpdateOrganization(SandboxRequest request) {
        JsonNode given = request.json() == null ? null : request.json().get("organization");
        if (given == null || !given.isObject()) {
            throw new Rejection(400, "InvalidRequest", "organization parameter is missing");
        }
        synchronized (lock) {
            String externalId = text(given, "external_id");
            Optional<ObjectNode> existing = externalId == null ? Optional.empty() : findOrganization(externalId);
            String name = given.has("name") ? text(given, "name") : existing.map(o -> text(o, "name")).orElse(null);
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: cannot be blank");
            }
            Long ownId = existing.map(o -> o.get("id").asLong()).orElse(null);
            // names are unique, compared after trimming surrounding whitespace (Create Organization,
            // https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#create-organization)
            boolean taken = organizations.values().stream()
                    .anyMatch(o -> !Long.valueOf(o.get("id").asLong()).equals(ownId) && name.strip().equalsIgnoreCase(text(o, "name").strip()));
            if (taken) {
                return recordInvalid("name", "Name: " + name + " has already been taken");
            }
            ObjectNode org = existing.orElseGet(() -> {
                long id = nextId++;
                ObjectNode created = JSON.createObjectNode().put("id", id);
                created.putArray("domain_names");
                created.put("details", "").put("notes", "");
                organizations.put(id, created);
                return created;
            });
            given.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("id")) {
                    org.set(field.getKey(), field.getValue().deepCopy());
                }
            });
            org.put("updated_at", request.at().toString());
            return SandboxReply.json(existing.isPresent() ? 200 : 201, JSON.createObjectNode().set("organization", org.deepCopy()));
        }
    }

    private SandboxReply createOrUpdateUser(SandboxRequest request) {
        JsonNode given = request.json() == null ? null : request.json().get("user");
        if (given == null || !given.isObject()) {
            throw new Rejection(400, "InvalidRequest", "user parameter is missing");
        }
        synchronized (lock) {
            String externalId = text(given, "external_id");
            String email = text(given, "email");
            Optional<ObjectNode> existing = findActiveUser(externalId, email);
            boolean heldByADeletedUser = externalId != null && users.values().stream()
                    .anyMatch(u -> !u.path("active").asBoolean() && externalId.equalsIgnoreCase(text(u, "external_id")));
            if (existing.isEmpty() && heldByADeletedUser && deletedUsersKeepExternalIds) {
                return recordInvalid("external_id", "External: " + externalId + " has already been taken");
            }
            if (existing.isPresent()) {
                Optional<Integer> wait = overUserLimit(existing.get().get("id").asLong(), request.at());
                if (wait.isPresent()) {
                    return errorReply(request, new SandboxError.RateLimited(wait.get()));
                }
            }
            if (email != null && !EMAIL.matcher(email).matches()) {
                return recordInvalid("email", "Email: " + email + " is not properly formatted");
            }
            Optional<SandboxReply> badPhone = phoneRefusal(given);
            if (badPhone.isPresent()) {
                return badPhone.get();
            }
            String name = given.has("name") ? text(given, "name") : existing.map(u -> text(u, "name")).orElse(null);
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: is too short (minimum one character)");
            }
            JsonNode organizationId = given.get("organization_id");
            if (organizationId != null && !organizationId.isNull() && !organizations.containsKey(organizationId.asLong())) {
                return recordInvalid("organization_id", "Organization: is invalid");
            }
            if (existing.isPresent() && email != null && heldByAnotherUser(existing.get(), email)) {
                return recordInvalid("email", "Email: " + email + " is already being used by another user");
            }
            ObjectNode user = existing.orElseGet(() -> {
                long id = nextId++;
                ObjectNode created = JSON.createObjectNode().put("id", id).put("role", "end-user").put("active", true);
                users.put(id, created);
                return created;
            });
            copyUserFields(given, user);
            addEmail(user, email);
            if (existing.isEmpty() && email != null && !given.path("skip_verify_email").asBoolean(false)) {
                verificationEmails.add(email);
            }
            user.put("updated_at", request.at().toString());
            userWrites.computeIfAbsent(user.get("id").asLong(), id -> new ArrayDeque<>()).addLast(request.at());
            return SandboxReply.json(existing.isPresent() ? 200 : 201, JSON.createObjectNode().set("user", user.deepCopy()));
        }
    }

    /** Seconds until the user may be written again, when this write would exceed the per-user limit. */
    private Optional<Integer> overUserLimit(long userId, Instant now) {
        Deque<Instant> writes = userWrites.computeIfAbsent(userId, id -> new ArrayDeque<>());
        while (!writes.isEmpty() && !writes.peekFirst().isAfter(now.minus(userWindow))) {
            writes.pollFirst();
        }
        if (writes.size() < userWriteLimit) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, writes.peekFirst().plus(userWindow));
        return Optional.of((int) Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    /**
     * {@code GET /api/v2/organizations/search?name=}: the organizations of that name, compared
     * without case after trimming (Search Organizations takes {@code external_id} or {@code name},
     * https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    private SandboxReply organizationsNamed(String name) {
        if (name == null || name.isBlank()) {
            throw new Rejection(400, "InvalidSearch", "name is required");
        }
        synchronized (lock) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode found = body.putArray("organizations");
            organizations.values().stream().filter(o -> name.strip().equalsIgnoreCase(text(o, "name").strip())).forEach(o -> found.add(o.deepCopy()));
            body.put("count", found.size()).putNull("next_page").putNull("previous_page");
            return SandboxReply.json(200, body);
        }
    }

    private SandboxReply search(String kind, String externalId) {
        if (externalId == null || externalId.isBlank()) {
            throw new Rejection(400, "InvalidSearch", "external_id is required");
        }
        synchronized (lock) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode found = body.putArray(kind);
            // every object whose external_id matches "exactly … (case insensitive)"
            // (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations);
            // the users' search takes ids only, no search syntax
            // (https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users)
            (kind.equals("users") ? users : organizations).values().stream()
                    .filter(o -> (kind.equals("organizations") || o.path("active").asBoolean()) && externalId.equalsIgnoreCase(text(o, "external_id")))
                    .forEach(o -> found.add(o.deepCopy()));
            body.put("count", found.size()).putNull("next_page").putNull("previous_page");
            return SandboxReply.json(200, body);
        }
    }

    /**
     * {@code GET /api/v2/users/search?query=email:…}: the users with that e-mail address. The
     * {@code query} parameter "supports the Zendesk search syntax" (Search Users,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users); the sandbox
     * understands only {@code email:<address>} (quoted or not) and refuses anything else with 400, so
     * a test never relies on syntax it does not model. Soft-deleted users are not found.
     */
    private SandboxReply usersMatching(String query) {
        Matcher email = EMAIL_QUERY.matcher(query == null ? "" : query.strip());
        if (!email.matches()) {
            throw new Rejection(400, "InvalidSearch", "the sandbox's users search understands only email:<address>");
        }
        String address = email.group(1);
        synchronized (lock) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode found = body.putArray("users");
            users.values().stream().filter(u -> u.path("active").asBoolean() && hasEmail(u, address))
                    .forEach(u -> found.add(u.deepCopy()));
            body.put("count", found.size()).putNull("next_page").putNull("previous_page");
            return SandboxReply.json(200, body);
        }
    }

    private SandboxReply deleteOrganization(long id) {
        synchronized (lock) {
            if (organizations.remove(id) == null) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            // its users lose their membership
            users.values().stream().filter(u -> u.path("organization_id").asLong(-1) == id).forEach(u -> u.putNull("organization_id"));
            return SandboxReply.of(204, "application/json", new byte[0]);
        }
    }

    /**
     * {@code DELETE /api/v2/deleted_users/{id}} (Permanently Delete User): 200 with the user, its
     * personal data null; only a user deleted before ("Before permanently deleting a user, you must
     * delete the user first"), else 404. The user is gone, its {@code external_id} and addresses with
     * it (deleted-users OpenAPI, api-evangelist/zendesk {@code openapi/_original/deleted-users-openapi-original.yml}).
     */
    private SandboxReply permanentlyDeleteUser(long id) {
        synchronized (lock) {
            ObjectNode user = users.get(id);
            if (user == null || user.path("active").asBoolean()) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            users.remove(id);
            identities.remove(id);
            ObjectNode gone = user.deepCopy().putNull("email").putNull("phone").putNull("external_id").put("name", "Permanently Deleted User");
            return SandboxReply.json(200, JSON.createObjectNode().set("deleted_user", gone));
        }
    }

    /** {@code GET /api/v2/deleted_users/{id}} (Show Deleted User): a soft-deleted user, else 404. */
    private SandboxReply showDeletedUser(long id) {
        synchronized (lock) {
            ObjectNode user = users.get(id);
            if (user == null || user.path("active").asBoolean()) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            ObjectNode shown = user.deepCopy();
            // the documented shape of a deleted user has no external_id
            shown.remove("external_id");
            return SandboxReply.json(200, JSON.createObjectNode().set("deleted_user", shown));
        }
    }

    private SandboxReply deleteUser(long id) {
        synchronized (lock) {
            ObjectNode user = users.get(id);
            if (user == null || !user.path("active").asBoolean()) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            // a soft delete, which cannot be undone ("Zendesk can't recover deleted users for you",
            // https://support.zendesk.com/hc/en-us/articles/4408821737498): the user stays, inactive, until
            // permanently deleted (by hand or after 30 days); it no longer matches create_or_update or
            // search, and its addresses are free ("a soft-deleted user can still contact you … a new profile
            // will be created", https://myaskai.com/zendesk-how-to/how-to-delete-end-users-in-zendesk).
            // Whether it keeps its external_id is not documented: see deletedUsersReleaseTheirExternalIds
            user.put("active", false);
            return SandboxReply.json(200, JSON.createObjectNode().set("user", user.deepCopy()));
        }
    }

    private SandboxReply show(String kind, Map<Long, ObjectNode> objects, long id) {
        synchronized (lock) {
            ObjectNode object = objects.get(id);
            if (object == null) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            return SandboxReply.json(200, JSON.createObjectNode().set(kind, object.deepCopy()));
        }
    }

    /** Update Organization ({@code PUT /api/v2/organizations/{id}}): the given fields replace the stored ones; names stay unique. */
    private SandboxReply updateOrganization(SandboxRequest request, long id) {
        JsonNode given = request.json() == null ? null : request.json().get("organization");
        if (given == null || !given.isObject()) {
            throw new Rejection(400, "InvalidRequest", "organization parameter is missing");
        }
        synchronized (lock) {
            ObjectNode org = organizations.get(id);
            if (org == null) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            String name = given.has("name") ? text(given, "name") : text(org, "name");
            if (name == null || name.isBlank()) {
                return recordInvalid("name", "Name: cannot be blank");
            }
            if (organizations.values().stream().anyMatch(o -> o.get("id").asLong() != id && name.equalsIgnoreCase(text(o, "name")))) {
                return recordInvalid("name", "Name: " + name + " has already been taken");
            }
            copyFields(given, org);
            org.put("updated_at", request.at().toString());
            return SandboxReply.json(200, JSON.createObjectNode().set("organization", org.deepCopy()));
        }
    }

    /** Update User ({@code PUT /api/v2/users/{id}}); a soft-deleted user is not found. */
    private SandboxReply updateUser(SandboxRequest request, long id) {
        JsonNode given = request.json() == null ? null : request.json().get("user");
        if (given == null || !given.isObject()) {
            throw new Rejection(400, "InvalidRequest", "user parameter is missing");
        }
        synchronized (lock) {
            ObjectNode user = users.get(id);
            if (user == null || !user.path("active").asBoolean()) {
                throw new Rejection(404, "RecordNotFound", "Not found");
            }
            String email = text(given, "email");
            if (email != null && !EMAIL.matcher(email).matches()) {
                return recordInvalid("email", "Email: " + email + " is not properly formatted");
            }
            JsonNode organizationId = given.get("organization_id");
            if (organizationId != null && !organizationId.isNull() && !organizations.containsKey(organizationId.asLong())) {
                return recordInvalid("organization_id", "Organization: is invalid");
            }
            Optional<SandboxReply> badPhone = phoneRefusal(given);
            if (badPhone.isPresent()) {
                return badPhone.get();
            }
            if (email != null && heldByAnotherUser(user, email)) {
                return recordInvalid("email", "Email: " + email + " is already being used by another user");
            }
            copyUserFields(given, user);
            addEmail(user, email);
            user.put("updated_at", request.at().toString());
            return SandboxReply.json(200, JSON.createObjectNode().set("user", user.deepCopy()));
        }
    }

    /**
     * A user's given fields, except {@code email}: "The user's primary email address. Writeable on
     * create only. On update, a secondary email is added." (Users API, JSON format,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/) — see {@link #addEmail}.
     */
    private static void copyUserFields(JsonNode given, ObjectNode user) {
        given.fields().forEachRemaining(field -> {
            if (!List.of("id", "email", "skip_verify_email").contains(field.getKey())) {
                user.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    /**
     * The address as the user's identity: its primary one when it has none (a create), else a new
     * unverified secondary one (an update with a new address; the primary stays). An address the
     * user already has changes nothing.
     */
    private void addEmail(ObjectNode user, String email) {
        if (email == null) {
            return;
        }
        List<ObjectNode> own = identities.computeIfAbsent(user.get("id").asLong(), id -> new ArrayList<>());
        if (own.stream().anyMatch(i -> email.equalsIgnoreCase(text(i, "value")))) {
            return;
        }
        own.add(JSON.createObjectNode().put("id", nextId++).put("user_id", user.get("id").asLong()).put("type", "email")
                .put("value", email).put("verified", false).put("primary", own.isEmpty()));
        showPrimaryEmail(user);
    }

    /** The user's {@code email}: the value of its primary e-mail identity, null when it has none. */
    private void showPrimaryEmail(ObjectNode user) {
        Optional<ObjectNode> primary = identities.getOrDefault(user.get("id").asLong(), List.of()).stream()
                .filter(i -> i.path("primary").asBoolean()).findFirst();
        if (primary.isPresent()) {
            user.put("email", text(primary.get(), "value"));
        } else {
            user.putNull("email");
        }
    }

    /** An active user one of whose e-mail identities is this address (compared without case). */
    private boolean hasEmail(ObjectNode user, String email) {
        return identities.getOrDefault(user.get("id").asLong(), List.of()).stream().anyMatch(i -> email.equalsIgnoreCase(text(i, "value")));
    }

    /**
     * A {@code phone} that is not E.164 is refused, 422 {@code phone: Phone … is not properly
     * formatted}, as Zendesk does when "Validate user phone numbers" is on ("The "phone" property
     * should comply with the E.164 international telephone numbering plan … You can configure
     * Support to validate that numbers comply with the E.164 standard so that the API returns an
     * error", https://developer.zendesk.com/documentation/voice/talk-partner-edition/creating-a-user-profile-in-support-for-a-caller;
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
     * An address is one user's: an update or a new identity with another active user's address is
     * refused with 422 (the wording is not verified; the sandbox refuses rather than share it).
     */
    private boolean heldByAnotherUser(ObjectNode user, String email) {
        return users.values().stream().anyMatch(u -> u != user && u.path("active").asBoolean() && hasEmail(u, email));
    }

    /** {@code GET /api/v2/users/{id}/identities}: {@code {"identities": […]}} (List Identities, User Identities API). */
    private SandboxReply listIdentities(long userId) {
        synchronized (lock) {
            requireUser(userId);
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("identities");
            identities.getOrDefault(userId, List.of()).forEach(i -> list.add(i.deepCopy()));
            body.put("count", list.size()).putNull("next_page").putNull("previous_page");
            return SandboxReply.json(200, body);
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
    private SandboxReply createIdentity(SandboxRequest request, long userId) {
        JsonNode given = request.json() == null ? null : request.json().get("identity");
        if (given == null || !"email".equals(text(given, "type"))) {
            throw new Rejection(400, "InvalidRequest", "the sandbox models e-mail identities only");
        }
        String value = text(given, "value");
        synchronized (lock) {
            ObjectNode user = requireUser(userId);
            if (value == null || !EMAIL.matcher(value).matches()) {
                return recordInvalid("value", "Value: " + value + " is not properly formatted");
            }
            if (heldByAnotherUser(user, value)) {
                return recordInvalid("value", "Value: " + value + " is already being used by another user");
            }
            if (hasEmail(user, value)) {
                return recordInvalid("value", "Value: " + value + " has already been taken");
            }
            addEmail(user, value);
            if (!given.path("skip_verify_email").asBoolean(false) && !request.json().path("skip_verify_email").asBoolean(false)) {
                verificationEmails.add(value);
            }
            List<ObjectNode> own = identities.get(userId);
            return SandboxReply.json(201, JSON.createObjectNode().set("identity", own.getLast().deepCopy()));
        }
    }

    /**
     * {@code PUT /api/v2/users/{id}/identities/{identity_id}/make_primary}: 200 with the user's
     * identities. Only an end user authenticating as itself is limited to verified addresses ("an
     * end user can only make an email identity primary if the email is verified", Make Identity
     * Primary); an admin's token is not.
     */
    private SandboxReply makePrimary(long userId, long identityId) {
        synchronized (lock) {
            ObjectNode user = requireUser(userId);
            ObjectNode chosen = requireIdentity(userId, identityId);
            identities.get(userId).forEach(i -> i.put("primary", i == chosen));
            showPrimaryEmail(user);
            return listIdentities(userId);
        }
    }

    /**
     * {@code DELETE /api/v2/users/{id}/identities/{identity_id}}: 204. The primary address is
     * refused (422): the docs do not say what Zendesk does, so the sandbox takes the stricter answer.
     */
    private SandboxReply deleteIdentity(long userId, long identityId) {
        synchronized (lock) {
            requireUser(userId);
            ObjectNode identity = requireIdentity(userId, identityId);
            if (identity.path("primary").asBoolean()) {
                return recordInvalid("primary", "Primary: the primary identity cannot be deleted");
            }
            identities.get(userId).remove(identity);
            return SandboxReply.of(204, "application/json", new byte[0]);
        }
    }

    private ObjectNode requireUser(long userId) {
        ObjectNode user = users.get(userId);
        if (user == null || !user.path("active").asBoolean()) {
            throw new Rejection(404, "RecordNotFound", "Not found");
        }
        return user;
    }

    private ObjectNode requireIdentity(long userId, long identityId) {
        return identities.getOrDefault(userId, List.of()).stream().filter(i -> i.get("id").asLong() == identityId).findFirst()
                .orElseThrow(() -> new Rejection(404, "RecordNotFound", "Not found"));
    }

    private static void copyFields(JsonNode given, ObjectNode object) {
        given.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("id")) {
                object.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    /**
     * Zendesk compares {@code external_id} without regard to case: "its {@code external_id} must
     * exactly match the value provided (case insensitive)"
     * (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    private Optional<ObjectNode> findOrganization(String externalId) {
        return organizations.values().stream().filter(o -> externalId.equalsIgnoreCase(text(o, "external_id"))).findFirst();
    }

    /**
     * Matched on external id, case-insensitively, else on e-mail; soft-deleted users never match.
     * "When providing an external id to identify an existing user to update, the search for the
     * user record is not case sensitive. However, if an existing user is found, the system will
     * update the user's external id to match the case of the external id used to find the user"
     * (https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user):
     * the update copies the given {@code external_id}, so the last writer's case is kept.
     */
    private Optional<ObjectNode> findActiveUser(String externalId, String email) {
        Optional<ObjectNode> byExternalId = externalId == null ? Optional.empty() : users.values().stream()
                .filter(u -> u.path("active").asBoolean() && externalId.equalsIgnoreCase(text(u, "external_id"))).findFirst();
        if (byExternalId.isPresent() || email == null) {
            return byExternalId;
        }
        return users.values().stream()
                .filter(u -> u.path("active").asBoolean() && hasEmail(u, email)).findFirst();
    }

    private static SandboxReply recordInvalid(String field, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", "RecordInvalid").put("description", "Record validation errors");
        ArrayNode problems = body.putObject("details").putArray(field);
        problems.addObject().put("description", description).put("error", "InvalidValue");
        return SandboxReply.json(422, body);
    }

    private static SandboxReply error(int status, String name, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", name);
        if (description != null) {
            body.put("description", description);
        }
        return SandboxReply.json(status, body);
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
