package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Helpdesk on Zendesk Support: {@code account.upserted} → the account's organization,
 * {@code contact.upserted} → the contact's user in its account's organization, both by
 * {@code create_or_update} keyed by the CRM id as {@code external_id} (in its case-distinct form:
 * Zendesk compares {@code external_id} without regard to case); {@code account.deleted} and
 * {@code contact.deleted} delete what the record maps to now, replacements included.
 *
 * <p>No idempotency key: Zendesk has none for these endpoints and needs none here, because
 * {@code create_or_update} matches on {@code external_id}. A retry after a crash, a timeout or a
 * redrive updates the object the first attempt created instead of creating a second one.
 */
public final class ZendeskConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.HELPDESK.wireName();
    /** The per-deployment option naming the Zendesk account: {@code CRM_SYNC_OPTION_SUBDOMAIN=acme} → https://acme.zendesk.com. */
    public static final String SUBDOMAIN_OPTION = EnvVar.CRM_SYNC_OPTION_SUBDOMAIN.optionName();
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** The record item's note of the external_id the object carries; its absence marks a mapping from before the case-distinct encoding. */
    static final String WRITTEN_EXTERNAL_ID = "zendeskExternalId";
    /** The record item's fingerprint of the e-mail address last written to the user ({@link ZendeskMapping#emailFingerprint}). */
    static final String WRITTEN_EMAIL = "zendeskEmailSha256";
    /** The error class of a contact that maps to an agent or an admin. */
    static final String STAFF_USER = ErrorClass.STAFF_USER.wireName();
    /** Search-and-delete rounds before a delete that keeps finding objects is retried later. */
    private static final int DELETE_ROUNDS = 3;

    private final ZendeskClient zendesk;
    private final PrimaryEmail primaryEmail;

    /**
     * @throws IllegalStateException when neither {@code CRM_SYNC_VENDOR_URL} nor a valid
     *                               {@code CRM_SYNC_OPTION_SUBDOMAIN} is set: the function cannot
     *                               know which Zendesk account to write to, so it refuses to start
     *                               (its messages stay in the queue until the stack is fixed)
     */
    public ZendeskConnector(ConnectorSettings settings) {
        this.zendesk = new ZendeskClient(baseUrl(settings), settings.httpClient(), new ObjectMapper());
        this.primaryEmail = new PrimaryEmail(zendesk);
    }

    static URI baseUrl(ConnectorSettings settings) {
        if (settings.vendorUrl().isPresent()) {
            return settings.vendorUrlOr("");
        }
        String subdomain = settings.option(SUBDOMAIN_OPTION).orElseThrow(() -> new IllegalStateException(
                "helpdesk: the Zendesk subdomain is not configured; set " + EnvVar.CRM_SYNC_OPTION_SUBDOMAIN
                        + " to the account's subdomain (acme for https://acme.zendesk.com)"));
        String normalized = subdomain.strip().toLowerCase(Locale.ROOT);
        if (!SUBDOMAIN.matcher(normalized).matches()) {
            throw new IllegalStateException("helpdesk: " + EnvVar.CRM_SYNC_OPTION_SUBDOMAIN + " must be the subdomain alone"
                    + " (letters, digits, hyphens: acme for https://acme.zendesk.com), not '" + subdomain + "'");
        }
        return URI.create("https://" + normalized + ".zendesk.com/");
    }

    URI baseUrl() {
        return zendesk.baseUrl();
    }

    @Override
    public String integration() {
        return INTEGRATION;
    }

    @Override
    public Operation plan(CrmEvent event) {
        return switch (event.detailType()) {
            case "account.upserted", "account.deleted" -> new Operation.SyncRecord("account", event.recordId());
            case "contact.upserted", "contact.deleted" -> new Operation.SyncRecord("contact", event.recordId());
            default -> new Operation.Unsupported("helpdesk handles account and contact upserts and deletes, not " + event.detailType());
        };
    }

    /** A contact's user belongs to its account's organization: the account must be synced first. */
    @Override
    public List<RecordRef> dependencies(CrmEvent event) {
        String accountId = event.detailType().equals("contact.upserted") ? event.text("accountId") : null;
        return accountId == null ? List.of() : List.of(new RecordRef("account", accountId));
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        try {
            return switch (request.event().detailType()) {
                case "account.upserted" -> upsertOrganization(request);
                case "contact.upserted" -> upsertUser(request);
                case "account.deleted" -> delete(request, ZendeskObject.ORGANIZATION);
                case "contact.deleted" -> delete(request, ZendeskObject.USER);
                default -> SyncResult.permanent(ErrorClass.UNSUPPORTED_DETAIL_TYPE, "helpdesk does not handle " + request.event().detailType());
            };
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertOrganization(SyncRequest request) throws VendorHttp.CallFailed {
        return write(request, ZendeskObject.ORGANIZATION, ZendeskMapping.organization(request.event()));
    }

    private SyncResult upsertUser(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent contact = request.event();
        String accountId = contact.text("accountId");
        Optional<String> organization = Optional.empty();
        if (accountId != null) {
            organization = request.dependency("account", accountId);
            if (organization.isEmpty()) {
                // The pipeline decides this before claiming; kept so that no path ever makes a user without its organization.
                return SyncResult.retryable(ErrorClass.DEPENDENCY_MISSING,
                        "account " + accountId + " has no Zendesk organization yet; the user waits until the account is synced");
            }
        }
        boolean unmapped = request.externalId().isEmpty() || "true".equals(request.externalIds().get("deleted"));
        if (unmapped && contact.text("email") != null) {
            // create_or_update matches agents and admins by e-mail too and writes before its answer
            // shows the role: a contact new to the mapping (or whose user was deleted) is looked up first
            Optional<JsonNode> staff = zendesk.usersWithEmail(contact.text("email"), request.credentials(), request.calls()).stream()
                    .filter(ZendeskConnector::isStaff).findFirst();
            if (staff.isPresent()) {
                return staffUser(staff.get(), "the contact's e-mail address belongs to it; nothing was written");
            }
        }
        return write(request, ZendeskObject.USER, ZendeskMapping.user(contact, organization));
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
        return SyncResult.permanent(STAFF_USER, "Zendesk user " + user.path("id").asText() + " is staff (role "
                + user.path("role").asText() + "), and crm-sync never writes to or deletes a staff user: " + what
                + ". Give the contact another e-mail address in the CRM (or correct the agent's address in Zendesk), then redrive");
    }

    /**
     * {@code create_or_update}, matched on the record's {@code external_id} — except for the one
     * write that moves an object created before the case-distinct encoding to its new
     * {@code external_id}: {@code create_or_update} can no longer match it, so it is found by the
     * id the record item stores and updated there by {@code PUT}.
     */
    private SyncResult write(SyncRequest request, ZendeskObject kind, ObjectNode body) throws VendorHttp.CallFailed {
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        List<String> personal = ZendeskMapping.personalValues(request.event());
        Optional<ZendeskClient.Answer> moved = moveObjectFromBeforeTheEncoding(request, kind, body, personal);
        ZendeskClient.Answer answer;
        if (moved.isPresent()) {
            answer = moved.get();
        } else {
            try {
                answer = zendesk.post(kind.collectionPath() + "/create_or_update", body, request.credentials(), request.calls(), personal);
            } catch (ZendeskClient.NameTaken taken) {
                if (kind != ZendeskObject.ORGANIZATION) {
                    throw taken;
                }
                answer = adoptOrganizationByName(request, body, personal, taken);
            } catch (ZendeskClient.ExternalIdTaken taken) {
                if (kind != ZendeskObject.USER) {
                    throw taken;
                }
                answer = createAgainAfterTheDeletedUser(request, body, personal, taken);
            }
        }
        String id = answer.body().path(kind.key()).path("id").asText();
        if (id.isEmpty()) {
            return SyncResult.retryable(ErrorClass.VENDOR_5XX, "Zendesk answered without the " + kind.key() + "'s id");
        }
        if (kind == ZendeskObject.USER && isStaff(answer.body().path("user"))) {
            // matched by external_id (set on an agent by hand), by an address the lookup did not find
            // yet (search is indexed with a delay), or an end user promoted since: never mapped
            return staffUser(answer.body().path("user"), "create_or_update matched it and wrote to it (check the agent's profile);"
                    + " the contact is not mapped to it and it is never deleted by the sync");
        }
        Map<String, String> written = new HashMap<>(Map.of(WRITTEN_EXTERNAL_ID, externalId));
        String email = request.event().text("email");
        if (kind == ZendeskObject.USER && email != null) {
            primaryEmail.moveTo(request, answer.body().path("user"), email);
            written.put(WRITTEN_EMAIL, ZendeskMapping.emailFingerprint(email));
        }
        Optional<SyncResult.Remapped> remapped = request.externalId().filter(previous -> !previous.equals(id))
                .map(previous -> new SyncResult.Remapped(previous, kind.key() + " " + previous + " no longer matched external_id "
                        + externalId + " (deleted in Zendesk, or another record's); Zendesk created " + id));
        return new SyncResult.Applied(id, Map.copyOf(written), 0, remapped);
    }

    /**
     * The user's external_id is held by another user, while no active one matched it: the record's
     * user was soft-deleted (by its {@code contact.deleted}, or by hand) and, as Zendesk may do, still
     * holds it. A soft delete cannot be undone ("Zendesk can't recover deleted users for you",
     * https://support.zendesk.com/hc/en-us/articles/4408821737498), so the record's deleted user is
     * permanently deleted — Zendesk does that itself after 30 days; its closed tickets stay — and the
     * user is created again. Only the user the record maps to, and only once Zendesk confirms it is
     * deleted; anything else is a permanent {@code vendor_rejected} saying so.
     */
    private ZendeskClient.Answer createAgainAfterTheDeletedUser(SyncRequest request, ObjectNode body, List<String> personal,
                                                               ZendeskClient.ExternalIdTaken taken) throws VendorHttp.CallFailed {
        Optional<String> mapped = request.externalId();
        if (mapped.isEmpty() || !zendesk.isSoftDeleted(mapped.get(), request.credentials(), request.calls())) {
            throw new VendorHttp.CallFailed(new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, taken.failure().reason()
                    + " — held by a Zendesk user this contact is not mapped to (deleted by hand before the contact's first sync?);"
                    + " permanently delete that user in Admin Center → Deleted users, or clear its External ID, then redrive"));
        }
        zendesk.permanentlyDeleteUser(mapped.get(), request.credentials(), request.calls());
        return zendesk.post(ZendeskObject.USER.collectionPath() + "/create_or_update", body, request.credentials(), request.calls(), personal);
    }

    /**
     * The account's name is taken by an organization that is not matched by its external_id: one an
     * agent made by hand before the first sync. One without an external_id is adopted — updated by
     * id with this record's state and external_id, so the next {@code create_or_update} matches it.
     * One with another external_id belongs to another record (two CRM accounts with one name, which
     * Zendesk cannot hold): a permanent {@code name_conflict} naming it, never an overwrite.
     */
    private ZendeskClient.Answer adoptOrganizationByName(SyncRequest request, ObjectNode body, List<String> personal,
                                                         ZendeskClient.NameTaken taken) throws VendorHttp.CallFailed {
        // Zendesk trims surrounding whitespace before its uniqueness check and compares without case
        String name = body.path("organization").path("name").asText("").strip();
        List<JsonNode> named = zendesk.organizationsNamed(name, request.credentials(), request.calls()).stream()
                .filter(org -> org.path("name").asText("").strip().equalsIgnoreCase(name))
                .toList();
        Optional<JsonNode> unclaimed = named.stream().filter(org -> org.path("external_id").asText("").isEmpty()).findFirst();
        if (unclaimed.isPresent()) {
            return zendesk.put(ZendeskObject.ORGANIZATION.path(unclaimed.get().path("id").asText()), body,
                    request.credentials(), request.calls(), personal);
        }
        if (named.isEmpty()) {
            // taken a moment ago and gone again, or not found by name yet: the next attempt tries again
            throw new VendorHttp.CallFailed(new SyncFailure.Retryable(ErrorClass.CONFLICT, taken.failure().reason()
                    + " — and no organization of that name was found to adopt"));
        }
        throw new VendorHttp.CallFailed(new SyncFailure.Permanent(ErrorClass.NAME_CONFLICT, "the organization name is taken in Zendesk by organization "
                + named.getFirst().path("id").asText() + ", which belongs to external_id " + named.getFirst().path("external_id").asText()
                + " (another CRM account with the same name, or one linked by hand): Zendesk names are unique; rename one of the"
                + " accounts in the CRM, or change that organization's External ID in Zendesk, then redrive"));
    }

    /**
     * Deletes what the record maps to now. The stored object first; when Zendesk says it is gone
     * ({@code RecordNotFound}: deleted by hand), or the record was never mapped (an attempt may have
     * created it without committing), or the stored object is not this record's, whatever carries
     * the record's {@code external_id} is deleted: a retry whose commit this delete overtook may
     * have made a replacement. Done only when nothing is left under that {@code external_id}.
     */
    private SyncResult delete(SyncRequest request, ZendeskObject kind) throws VendorHttp.CallFailed {
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        Optional<String> stored = mappedBeforeTheEncoding(request) && ownExternalIdOfStoredObject(request, kind).isEmpty()
                ? Optional.empty() : request.externalId();
        if (stored.isPresent()) {
            Optional<JsonNode> user = kind == ZendeskObject.USER
                    ? zendesk.show(kind, stored.get(), request.credentials(), request.calls()).filter(u -> u.path("active").asBoolean(true))
                    : Optional.empty();
            if (user.isPresent() && isStaff(user.get())) {
                return staffUser(user.get(), "the contact is mapped to it (promoted in Zendesk since?); it was not deleted");
            }
            if (kind == ZendeskObject.ORGANIZATION || user.isPresent()) {
                try {
                    zendesk.delete(kind.path(stored.get()), request.credentials(), request.calls());
                    return deleted(stored.get(), externalId);
                } catch (ZendeskClient.RecordNotFound goneByHand) {
                    // the stored id is stale; a replacement may carry the external id
                }
            }
        }
        Optional<String> lastDeleted = Optional.empty();
        for (int round = 0; round < DELETE_ROUNDS; round++) {
            List<JsonNode> found = zendesk.findByExternalId(kind, externalId, request.credentials(), request.calls());
            if (found.isEmpty()) {
                Optional<String> gone = lastDeleted.or(() -> stored);
                return gone.isPresent() ? deleted(gone.get(), externalId)
                        : new SyncResult.NotApplicable("no Zendesk " + kind.key() + " has external_id " + externalId + ": nothing to delete");
            }
            Optional<JsonNode> staff = kind == ZendeskObject.USER ? found.stream().filter(ZendeskConnector::isStaff).findFirst() : Optional.empty();
            if (staff.isPresent()) {
                return staffUser(staff.get(), "it carries the contact's external_id; it was not deleted");
            }
            for (String id : found.stream().map(object -> object.path("id").asText()).toList()) {
                try {
                    zendesk.delete(kind.path(id), request.credentials(), request.calls());
                } catch (ZendeskClient.RecordNotFound goneMeanwhile) {
                    // the state we want
                }
                lastDeleted = Optional.of(id);
            }
        }
        return SyncResult.retryable(ErrorClass.CONFLICT, "Zendesk still lists a " + kind.key() + " with external_id " + externalId
                + " after " + DELETE_ROUNDS + " rounds of deletes (something keeps creating it?)");
    }

    private static SyncResult deleted(String id, String externalId) {
        return new SyncResult.Applied(id, Map.of("deleted", "true", WRITTEN_EXTERNAL_ID, externalId));
    }

    /**
     * The {@code PUT} of the stored object, when the record was mapped before the encoding, its id
     * has upper-case letters (so its form changed) and the object still carries exactly its id.
     */
    private Optional<ZendeskClient.Answer> moveObjectFromBeforeTheEncoding(SyncRequest request, ZendeskObject kind, ObjectNode body,
                                                                         List<String> personal) throws VendorHttp.CallFailed {
        String recordId = request.event().recordId();
        if (!mappedBeforeTheEncoding(request) || ZendeskMapping.externalId(recordId).equals(recordId)
                || ownExternalIdOfStoredObject(request, kind).filter(recordId::equals).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(zendesk.put(kind.path(request.externalId().orElseThrow()), body, request.credentials(), request.calls(), personal));
        } catch (ZendeskClient.RecordNotFound goneMeanwhile) {
            // deleted since we looked: create_or_update makes a new one, as for any object deleted by hand
            return Optional.empty();
        }
    }

    /** The record item names an object but not the external_id written to it: committed before the case-distinct encoding. */
    private static boolean mappedBeforeTheEncoding(SyncRequest request) {
        return request.externalId().isPresent() && !request.externalIds().containsKey(WRITTEN_EXTERNAL_ID);
    }

    /**
     * The {@code external_id} the stored object carries, when it is this record's: exactly its CRM
     * id (written before the encoding) or its encoded form. Empty when the object is gone
     * (soft-deleted users included) or carries another id: two records whose ids differ only in
     * case may both have been mapped to one object before the encoding, and only the one whose id
     * the object carries may change or delete it.
     */
    private Optional<String> ownExternalIdOfStoredObject(SyncRequest request, ZendeskObject kind) throws VendorHttp.CallFailed {
        String recordId = request.event().recordId();
        String externalId = ZendeskMapping.externalId(recordId);
        return zendesk.show(kind, request.externalId().orElseThrow(), request.credentials(), request.calls())
                .filter(object -> object.path("active").asBoolean(true))
                .map(object -> object.path("external_id").asText(""))
                .filter(written -> written.equals(recordId) || written.equals(externalId));
    }
}
