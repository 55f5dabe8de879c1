package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.IntegrationId;
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
 *
 * <p>This class plans and dispatches; the organization sync is {@link ZendeskOrganizationSync}'s,
 * the user sync {@link ZendeskUserSync}'s, and what the two share {@link ZendeskObjectSync}'s.
 */
public final class ZendeskConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.HELPDESK.wireName();
    /**
     * The per-deployment option naming the Zendesk account: {@code CRM_SYNC_OPTION_SUBDOMAIN=acme} →
     * https://acme.zendesk.com.
     */
    public static final String SUBDOMAIN_OPTION = EnvVar.CRM_SYNC_OPTION_SUBDOMAIN.optionName();

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final ZendeskClient zendesk;
    private final ZendeskOrganizationSync organizations;
    private final ZendeskUserSync users;

    /**
     * @throws IllegalStateException when neither {@code CRM_SYNC_VENDOR_URL} nor a valid
     *                               {@code CRM_SYNC_OPTION_SUBDOMAIN} is set: the function cannot
     *                               know which Zendesk account to write to, so it refuses to start
     *                               (its messages stay in the queue until the stack is fixed)
     */
    public ZendeskConnector(ConnectorSettings settings) {
        this.zendesk = new ZendeskClient(baseUrl(settings), settings.httpClient(), new ObjectMapper());
        this.organizations = new ZendeskOrganizationSync(zendesk);
        this.users = new ZendeskUserSync(zendesk);
    }

    static URI baseUrl(ConnectorSettings settings) {
        if (settings.vendorUrl().isPresent()) {
            return settings.vendorUrlOr("");
        }
        String subdomain = settings.option(SUBDOMAIN_OPTION)
                .orElseThrow(() -> new IllegalStateException(
                        "helpdesk: the Zendesk subdomain is not configured; set " + EnvVar.CRM_SYNC_OPTION_SUBDOMAIN
                                + " to the account's subdomain (acme for https://acme.zendesk.com)"));
        String normalized = subdomain.strip().toLowerCase(Locale.ROOT);
        if (!SUBDOMAIN.matcher(normalized).matches()) {
            throw new IllegalStateException("helpdesk: " + EnvVar.CRM_SYNC_OPTION_SUBDOMAIN
                    + " must be the subdomain alone"
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
            default ->
                new Operation.Unsupported(
                        "helpdesk handles account and contact upserts and deletes, not " + event.detailType());
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
                case "account.upserted" -> organizations.upsert(request);
                case "contact.upserted" -> users.upsert(request);
                case "account.deleted" -> organizations.delete(request);
                case "contact.deleted" -> users.delete(request);
                default ->
                    SyncResult.permanent(
                            ErrorClass.UNSUPPORTED_DETAIL_TYPE,
                            "helpdesk does not handle " + request.event().detailType());
            };
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }
}
