package dev.crmsync.sandbox.zendesk;

import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Zendesk's paths, {@code .json} or not, to the endpoint classes, after the check that the token's
 * agent may make the call ({@link ZendeskSandbox#tokensOfAgentsWithoutManageRole}).
 */
final class ZendeskRoutes {
    private static final Pattern ORGANIZATION = Pattern.compile("/api/v2/organizations/(\\d+)(?:\\.json)?");
    private static final Pattern USER = Pattern.compile("/api/v2/users/(\\d+)(?:\\.json)?");
    private static final Pattern DELETED_USER = Pattern.compile("/api/v2/deleted_users/(\\d+)(?:\\.json)?");
    private static final Pattern IDENTITIES = Pattern.compile("/api/v2/users/(\\d+)/identities(?:\\.json)?");
    private static final Pattern IDENTITY = Pattern.compile("/api/v2/users/(\\d+)/identities/(\\d+)(?:\\.json)?");
    private static final Pattern MAKE_PRIMARY =
            Pattern.compile("/api/v2/users/(\\d+)/identities/(\\d+)/make_primary(?:\\.json)?");

    private final ZendeskAccount account;
    private final ApiKeyScheme tokens;
    private final OrganizationEndpoints organizationEndpoints;
    private final UserEndpoints userEndpoints;
    private final IdentityEndpoints identityEndpoints;

    ZendeskRoutes(ZendeskAccount account, ApiKeyScheme tokens) {
        this.account = account;
        this.tokens = tokens;
        this.organizationEndpoints = new OrganizationEndpoints(account);
        this.userEndpoints = new UserEndpoints(account);
        this.identityEndpoints = new IdentityEndpoints(account);
    }

    SandboxReply route(SandboxRequest request) {
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
            // Zendesk's answer to an agent whose role does not allow the call (reported in
            // https://github.com/facetoe/zenpy/issues/336)
            throw new Rejection(
                    403,
                    "Forbidden",
                    "You do not have access to this page. Please contact the account owner of this help desk for "
                            + "further help.");
        }
        if (method.equals("GET") && deletedUser.matches()) {
            return userEndpoints.showDeletedUser(Long.parseLong(deletedUser.group(1)));
        }
        if (method.equals("DELETE") && deletedUser.matches()) {
            return userEndpoints.permanentlyDeleteUser(Long.parseLong(deletedUser.group(1)));
        }
        if (method.equals("GET") && userIdentities.matches()) {
            return identityEndpoints.listIdentities(Long.parseLong(userIdentities.group(1)));
        }
        if (method.equals("POST") && userIdentities.matches()) {
            return identityEndpoints.createIdentity(request, Long.parseLong(userIdentities.group(1)));
        }
        if (method.equals("PUT") && makePrimary.matches()) {
            return identityEndpoints.makePrimary(
                    Long.parseLong(makePrimary.group(1)), Long.parseLong(makePrimary.group(2)));
        }
        if (method.equals("DELETE") && identity.matches()) {
            return identityEndpoints.deleteIdentity(
                    Long.parseLong(identity.group(1)), Long.parseLong(identity.group(2)));
        }
        if (method.equals("POST") && path.equals("/api/v2/organizations/create_or_update")) {
            return organizationEndpoints.createOrUpdateOrganization(request);
        }
        if (method.equals("POST") && path.equals("/api/v2/users/create_or_update")) {
            return userEndpoints.createOrUpdateUser(request);
        }
        if (method.equals("GET")
                && path.equals("/api/v2/organizations/search")
                && request.params().containsKey("name")) {
            return organizationEndpoints.organizationsNamed(request.params().get("name"));
        }
        if (method.equals("GET") && path.equals("/api/v2/organizations/search")) {
            return organizationEndpoints.searchByExternalId(request.params().get("external_id"));
        }
        if (method.equals("GET")
                && path.equals("/api/v2/users/search")
                && request.params().containsKey("query")) {
            return userEndpoints.usersMatching(request.params().get("query"));
        }
        if (method.equals("GET") && path.equals("/api/v2/users/search")) {
            return userEndpoints.searchByExternalId(request.params().get("external_id"));
        }
        if (method.equals("GET") && org.matches()) {
            return organizationEndpoints.show(Long.parseLong(org.group(1)));
        }
        if (method.equals("GET") && user.matches()) {
            return userEndpoints.show(Long.parseLong(user.group(1)));
        }
        if (method.equals("PUT") && org.matches()) {
            return organizationEndpoints.updateOrganization(request, Long.parseLong(org.group(1)));
        }
        if (method.equals("PUT") && user.matches()) {
            return userEndpoints.updateUser(request, Long.parseLong(user.group(1)));
        }
        if (method.equals("DELETE") && org.matches()) {
            return organizationEndpoints.deleteOrganization(Long.parseLong(org.group(1)));
        }
        if (method.equals("DELETE") && user.matches()) {
            return userEndpoints.deleteUser(Long.parseLong(user.group(1)));
        }
        // Zendesk's answer to a path it does not serve, as reported from the real API
        // (https://github.com/cloudbees-oss/zendesk-java-client/issues/111,
        // https://github.com/facetoe/zenpy/issues/484)
        throw new Rejection(404, "InvalidEndpoint", "Not found");
    }

    /**
     * Organization writes and searches, user writes and deletes: what a plain agent may not do (see {@link
     * ZendeskSandbox#tokensOfAgentsWithoutManageRole}).
     */
    private static boolean needsManageRole(String method, String path) {
        boolean organizations = path.startsWith("/api/v2/organizations");
        boolean userWrite = path.equals("/api/v2/users/create_or_update")
                || (USER.matcher(path).matches() || DELETED_USER.matcher(path).matches()) && !method.equals("GET");
        return organizations || userWrite;
    }

    private boolean actsAsPlainAgent(SandboxRequest request) {
        String token = tokens.presentedKey(request);
        synchronized (account.lock) {
            return token != null && account.plainAgentTokens.contains(token);
        }
    }
}
