package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CRM contact's Zendesk user: {@code contact.upserted} and {@code contact.deleted}, with what only
 * users have — the user's e-mail identities ({@link PrimaryEmail}), staff users the sync never
 * writes to or deletes, and soft-deleted users that still hold the record's {@code external_id}.
 */
final class ZendeskUserSync extends ZendeskObjectSync {
    /**
     * The record item's fingerprint of the e-mail address last written to the user ({@link
     * ZendeskMapping#emailFingerprint}).
     */
    static final String WRITTEN_EMAIL = "zendeskEmailSha256";
    /** The error class of a contact that maps to an agent or an admin. */
    static final String STAFF_USER = ErrorClass.STAFF_USER.wireName();

    private final PrimaryEmail primaryEmail;

    ZendeskUserSync(ZendeskClient zendesk) {
        super(zendesk, ZendeskObject.USER);
        this.primaryEmail = new PrimaryEmail(zendesk);
    }

    @Override
    SyncResult upsert(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent contact = request.event();
        String accountId = contact.text("accountId");
        Optional<String> organization = Optional.empty();
        if (accountId != null) {
            organization = request.dependency("account", accountId);
            if (organization.isEmpty()) {
                // The pipeline decides this before claiming; kept so that no path ever makes a user without its
                // organization.
                return SyncResult.retryable(
                        ErrorClass.DEPENDENCY_MISSING,
                        "account " + accountId
                                + " has no Zendesk organization yet; the user waits until the account is synced");
            }
        }
        boolean unmapped = request.externalId().isEmpty()
                || "true".equals(request.externalIds().get("deleted"));
        if (unmapped && contact.text("email") != null) {
            // create_or_update matches agents and admins by e-mail too and writes before its answer
            // shows the role: a contact new to the mapping (or whose user was deleted) is looked up first
            Optional<JsonNode> staff =
                    zendesk.usersWithEmail(contact.text("email"), request.credentials(), request.calls()).stream()
                            .filter(ZendeskUserSync::isStaff)
                            .findFirst();
            if (staff.isPresent()) {
                return staffUser(staff.get(), "the contact's e-mail address belongs to it; nothing was written");
            }
        }
        return write(request, ZendeskMapping.user(contact, organization));
    }

    /** A user whose {@code role} is not {@code end-user}: an agent or an admin, a member of the support team. */
    private static boolean isStaff(JsonNode user) {
        return !user.path("role").asText("end-user").equals("end-user");
    }

    /**
     * crm-sync never writes to or deletes a member of the support team: a contact that maps to one
     * is a permanent {@code staff_user} naming the Zendesk user and its role (never the address).
     */
    private static SyncResult staffUser(JsonNode user, String what) {
        return SyncResult.permanent(
                STAFF_USER,
                "Zendesk user " + user.path("id").asText() + " is staff (role "
                        + user.path("role").asText() + "), and crm-sync never writes to or deletes a staff user: "
                        + what
                        + ". Give the contact another e-mail address in the CRM (or correct the agent's address in "
                        + "Zendesk), then redrive");
    }

    /**
     * Creates the user again after the deleted one. The user's external_id is held by another user,
     * while no active one matched it: the record's user was soft-deleted (by its
     * {@code contact.deleted}, or by hand) and, as Zendesk may do, still holds it. A soft delete
     * cannot be undone ("Zendesk can't recover deleted users for you",
     * https://support.zendesk.com/hc/en-us/articles/4408821737498), so the record's deleted user is
     * permanently deleted — Zendesk does that itself after 30 days; its closed tickets stay — and the
     * user is created again. Only the user the record maps to, and only once Zendesk confirms it is
     * deleted; anything else is a permanent {@code vendor_rejected} saying so.
     */
    @Override
    ZendeskClient.Answer whenExternalIdTaken(
            SyncRequest request, ObjectNode body, List<String> personal, ZendeskErrors.ExternalIdTaken taken)
            throws VendorHttp.CallFailed {
        Optional<String> mapped = request.externalId();
        if (mapped.isEmpty() || !zendesk.isSoftDeleted(mapped.get(), request.credentials(), request.calls())) {
            throw new VendorHttp.CallFailed(new SyncFailure.Permanent(
                    ErrorClass.VENDOR_REJECTED,
                    taken.failure().reason()
                            + " — held by a Zendesk user this contact is not mapped to (deleted by hand "
                            + "before the contact's first sync?);"
                            + " permanently delete that user in Admin Center → Deleted users, or clear its "
                            + "External ID, then redrive"));
        }
        zendesk.permanentlyDeleteUser(mapped.get(), request.credentials(), request.calls());
        return createOrUpdate(request, body, personal);
    }

    @Override
    Optional<SyncResult> refusalOfWritten(JsonNode user) {
        if (!isStaff(user)) {
            return Optional.empty();
        }
        // matched by external_id (set on an agent by hand), by an address the lookup did not find
        // yet (search is indexed with a delay), or an end user promoted since: never mapped
        return Optional.of(staffUser(
                user,
                "create_or_update matched it and wrote to it (check the agent's profile);"
                        + " the contact is not mapped to it and it is never deleted by the sync"));
    }

    /** The contact's e-mail address made the user's primary one, and its fingerprint. */
    @Override
    Map<String, String> notesAfterWrite(SyncRequest request, JsonNode user) throws VendorHttp.CallFailed {
        String email = request.event().text("email");
        if (email == null) {
            return Map.of();
        }
        primaryEmail.moveTo(request, user, email);
        return Map.of(WRITTEN_EMAIL, ZendeskMapping.emailFingerprint(email));
    }

    /**
     * The stored user is looked at first: one gone or soft-deleted is looked for by external_id, a staff user is never
     * deleted.
     */
    @Override
    Optional<SyncResult> deleteStored(SyncRequest request, String storedId, String externalId)
            throws VendorHttp.CallFailed {
        Optional<JsonNode> user = zendesk.show(ZendeskObject.USER, storedId, request.credentials(), request.calls())
                .filter(u -> u.path("active").asBoolean(true));
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (isStaff(user.get())) {
            return Optional.of(staffUser(
                    user.get(), "the contact is mapped to it (promoted in Zendesk since?); it was not deleted"));
        }
        return super.deleteStored(request, storedId, externalId);
    }

    @Override
    Optional<SyncResult> refusalToDelete(List<JsonNode> found) {
        return found.stream()
                .filter(ZendeskUserSync::isStaff)
                .findFirst()
                .map(staff -> staffUser(staff, "it carries the contact's external_id; it was not deleted"));
    }
}
