package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        ZendeskClient.Answer answer = zendesk.post("api/v2/organizations/create_or_update", ZendeskMapping.organization(account),
                request.credentials(), request.calls(), ZendeskMapping.personalValues(account));
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
        ZendeskClient.Answer answer = zendesk.post("api/v2/users/create_or_update", ZendeskMapping.user(contact, organization),
                request.credentials(), request.calls(), ZendeskMapping.personalValues(contact));
        return applied(request, answer.body().path("user").path("id").asText(), "user");
    }

    /** Applied; when the record was mapped to another object (deleted by hand in Zendesk), says so. */
    private static SyncResult applied(SyncRequest request, String id, String kind) {
        if (id.isEmpty()) {
            return SyncResult.retryable("vendor_5xx", "Zendesk answered without the " + kind + "'s id");
        }
        Optional<SyncResult.Remapped> remapped = request.externalId().filter(previous -> !previous.equals(id))
                .map(previous -> new SyncResult.Remapped(previous, kind + " " + previous
                        + " no longer matched external_id " + request.event().recordId() + " (deleted in Zendesk?); Zendesk created " + id));
        return new SyncResult.Applied(id, Map.of(), 0, remapped);
    }

    /**
     * Deletes the record's object. Not mapped yet: an earlier attempt may have created it without
     * committing, so it is looked up by {@code external_id} first; none → nothing to delete. A 404
     * means it is already gone (deleted by hand, or by an attempt that did not commit): applied.
     */
    private SyncResult delete(SyncRequest request, String resource, String kind) throws VendorHttp.CallFailed {
        String recordId = request.event().recordId();
        Optional<String> id = request.externalId();
        if (id.isEmpty()) {
            id = zendesk.findByExternalId(resource, recordId, request.credentials(), request.calls());
        }
        if (id.isEmpty()) {
            return new SyncResult.NotApplicable("no Zendesk " + kind + " has external_id " + recordId + ": nothing to delete");
        }
        try {
            zendesk.delete("api/v2/" + resource + "/" + id.get(), request.credentials(), request.calls());
        } catch (ZendeskClient.RecordNotFound alreadyGone) {
            // the state we want; nothing to retry
        }
        return new SyncResult.Applied(id.get(), Map.of("deleted", "true"));
    }
}
