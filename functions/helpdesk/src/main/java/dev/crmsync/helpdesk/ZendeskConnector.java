package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Helpdesk on Zendesk Support: {@code account.upserted} → the account's organization,
 * {@code contact.upserted} → the contact's user in its account's organization, both by
 * {@code create_or_update} keyed by the CRM id as {@code external_id}; {@code account.deleted}
 * and {@code contact.deleted} delete them.
 *
 * <p>No idempotency key: Zendesk has none for these endpoints and needs none here, because
 * {@code create_or_update} matches on {@code external_id}. A retry after a crash, a timeout or a
 * redrive updates the object the first attempt created instead of creating a second one.
 */
public final class ZendeskConnector implements Connector {
    public static final String INTEGRATION = "helpdesk";
    /** The per-deployment option naming the Zendesk account: {@code CRM_SYNC_OPTION_SUBDOMAIN=acme} → https://acme.zendesk.com. */
    public static final String SUBDOMAIN_OPTION = "SUBDOMAIN";
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** The record item's note of the external_id the object carries; its absence marks a mapping from before the case-distinct encoding. */
    static final String WRITTEN_EXTERNAL_ID = "zendeskExternalId";
    /** Search-and-delete rounds before a delete that keeps finding objects is retried later. */
    private static final int DELETE_ROUNDS = 3;

    private final ZendeskClient zendesk;

    /**
     * @throws IllegalStateException when neither {@code CRM_SYNC_VENDOR_URL} nor a valid
     *                               {@code CRM_SYNC_OPTION_SUBDOMAIN} is set: the function cannot
     *                               know which Zendesk account to write to, so it refuses to start
     *                               (its messages stay in the queue until the stack is fixed)
     */
    public ZendeskConnector(ConnectorSettings settings) {
        this.zendesk = new ZendeskClient(baseUrl(settings), settings.httpClient(), new ObjectMapper());
    }

    static URI baseUrl(ConnectorSettings settings) {
        if (settings.vendorUrl().isPresent()) {
            return settings.vendorUrlOr("");
        }
        String subdomain = settings.option(SUBDOMAIN_OPTION).orElseThrow(() -> new IllegalStateException(
                "helpdesk: the Zendesk subdomain is not configured; set CRM_SYNC_OPTION_" + SUBDOMAIN_OPTION
                        + " to the account's subdomain (acme for https://acme.zendesk.com)"));
        String normalized = subdomain.strip().toLowerCase(Locale.ROOT);
        if (!SUBDOMAIN.matcher(normalized).matches()) {
            throw new IllegalStateException("helpdesk: CRM_SYNC_OPTION_" + SUBDOMAIN_OPTION + " must be the subdomain alone"
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
                case "account.deleted" -> delete(request, "organizations", "organization");
                case "contact.deleted" -> delete(request, "users", "user");
                default -> SyncResult.permanent("unsupported_detail_type", "helpdesk does not handle " + request.event().detailType());
            };
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertOrganization(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent account = request.event();
        ZendeskClient.Answer answer = write(request, "organizations", "organization", ZendeskMapping.organization(account));
        return applied(request, answer.body().path("organization").path("id").asText(), "organization");
    }

    private SyncResult upsertUser(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent contact = request.event();
        String accountId = contact.text("accountId");
        Optional<String> organization = Optional.empty();
        if (accountId != null) {
            organization = request.dependency("account", accountId);
            if (organization.isEmpty()) {
                // The pipeline decides this before claiming; kept so that no path ever makes a user without its organization.
                return SyncResult.retryable("dependency_missing",
                        "account " + accountId + " has no Zendesk organization yet; the user waits until the account is synced");
            }
        }
        ZendeskClient.Answer answer = write(request, "users", "user", ZendeskMapping.user(contact, organization));
        return applied(request, answer.body().path("user").path("id").asText(), "user");
    }

    /**
     * {@code create_or_update}, matched on the record's {@code external_id} — except for the one
     * write that moves an object created before the case-distinct encoding to its new
     * {@code external_id}: that object is found by the id the record item stores and updated by
     * {@code PUT}, since {@code create_or_update} can no longer match it.
     */
    private ZendeskClient.Answer write(SyncRequest request, String resource, String kind, ObjectNode body) throws VendorHttp.CallFailed {
        List<String> personal = ZendeskMapping.personalValues(request.event());
        Optional<String> toRekey = storedObject(request, resource, kind) instanceof StoredObject.Ours(String id, String written)
                && !written.equals(ZendeskMapping.externalId(request.event().recordId())) ? Optional.of(id) : Optional.empty();
        if (toRekey.isPresent()) {
            try {
                return zendesk.put("api/v2/" + resource + "/" + toRekey.get(), body, request.credentials(), request.callTimeout(), personal);
            } catch (ZendeskClient.RecordNotFound goneMeanwhile) {
                // deleted since we looked: create_or_update makes a new one, as for any object deleted by hand
            }
        }
        return zendesk.post("api/v2/" + resource + "/create_or_update", body, request.credentials(), request.callTimeout(), personal);
    }

    /** Applied; when the record was mapped to another object (deleted by hand in Zendesk), says so. */
    private static SyncResult applied(SyncRequest request, String id, String kind) {
        if (id.isEmpty()) {
            return SyncResult.retryable("vendor_5xx", "Zendesk answered without the " + kind + "'s id");
        }
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        Optional<SyncResult.Remapped> remapped = request.externalId().filter(previous -> !previous.equals(id))
                .map(previous -> new SyncResult.Remapped(previous, kind + " " + previous
                        + " no longer matched external_id " + externalId + " (deleted in Zendesk, or another record's?); Zendesk created " + id));
        return new SyncResult.Applied(id, Map.of(WRITTEN_EXTERNAL_ID, externalId), 0, remapped);
    }

    /**
     * Deletes what the record maps to now. The stored object first; when Zendesk says it is gone
     * ({@code RecordNotFound}: deleted by hand), or the record was never mapped (an attempt may have
     * created it without committing), or it is not this record's, whatever carries the record's
     * {@code external_id} is deleted — a retry that lost its commit may have made a replacement.
     * Done only when nothing is left under that {@code external_id}.
     */
    private SyncResult delete(SyncRequest request, String resource, String kind) throws VendorHttp.CallFailed {
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        Optional<String> stored = storedObject(request, resource, kind) instanceof StoredObject.Ours ours ? Optional.of(ours.id()) : Optional.empty();
        if (stored.isPresent()) {
            try {
                zendesk.delete("api/v2/" + resource + "/" + stored.get(), request.credentials(), request.callTimeout());
                return deleted(stored.get(), externalId);
            } catch (ZendeskClient.RecordNotFound alreadyGone) {
                // stale: deleted by hand; a replacement may carry the external id
            }
        }
        Optional<String> lastDeleted = Optional.empty();
        for (int round = 0; round < DELETE_ROUNDS; round++) {
            List<String> found = zendesk.findByExternalId(resource, externalId, request.credentials(), request.callTimeout());
            if (found.isEmpty()) {
                Optional<String> gone = lastDeleted.or(request::externalId);
                return gone.isPresent() ? deleted(gone.get(), externalId)
                        : new SyncResult.NotApplicable("no Zendesk " + kind + " has external_id " + externalId + ": nothing to delete");
            }
            for (String id : found) {
                try {
                    zendesk.delete("api/v2/" + resource + "/" + id, request.credentials(), request.callTimeout());
                } catch (ZendeskClient.RecordNotFound goneMeanwhile) {
                    // the state we want
                }
                lastDeleted = Optional.of(id);
            }
        }
        return SyncResult.retryable("conflict", "Zendesk still lists a " + kind + " with external_id " + externalId
                + " after " + DELETE_ROUNDS + " rounds of deletes (something keeps creating it?)");
    }

    private static SyncResult deleted(String id, String externalId) {
        return new SyncResult.Applied(id, Map.of("deleted", "true", WRITTEN_EXTERNAL_ID, externalId));
    }

    /** What the record item's Zendesk id names now, as far as this record is concerned. */
    private sealed interface StoredObject {
        /** This record's object; {@code writtenExternalId} is the external_id it carries. */
        record Ours(String id, String writtenExternalId) implements StoredObject {}

        /** Nothing stored, gone from Zendesk, or another record's object: the external_id is the only way in. */
        record None() implements StoredObject {}
    }

    /**
     * The stored object, trusted as it is when this connector wrote it under the case-distinct
     * encoding (the record item says so). A mapping from before the encoding is looked at first:
     * two records whose ids differ only in case may both name one object, and only the record
     * whose CRM id is exactly the object's {@code external_id} owns it; the other must neither
     * change nor delete it.
     */
    private StoredObject storedObject(SyncRequest request, String resource, String kind) throws VendorHttp.CallFailed {
        if (request.externalId().isEmpty()) {
            return new StoredObject.None();
        }
        String id = request.externalId().get();
        String recordId = request.event().recordId();
        String externalId = ZendeskMapping.externalId(recordId);
        if (externalId.equals(request.externalIds().get(WRITTEN_EXTERNAL_ID))) {
            return new StoredObject.Ours(id, externalId);
        }
        if (externalId.equals(recordId) && !request.event().detailType().endsWith(".deleted")) {
            // the form did not change: create_or_update finds the object by external_id as before
            return new StoredObject.Ours(id, externalId);
        }
        Optional<JsonNode> object = zendesk.show(resource, kind, id, request.credentials(), request.callTimeout());
        String written = object.filter(o -> o.path("active").asBoolean(true)).map(o -> o.path("external_id").asText("")).orElse("");
        return written.equals(recordId) || written.equals(externalId) ? new StoredObject.Ours(id, written) : new StoredObject.None();
    }
}
