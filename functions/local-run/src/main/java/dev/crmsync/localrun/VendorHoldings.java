package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a vendor sandbox holds after the run, one line per object, by kind: Stripe's customers and invoices,
 * Mailchimp's members and their status, Zendesk's organizations and users, Slack's messages.
 */
final class VendorHoldings {
    private VendorHoldings() {}

    static Map<String, List<String>> of(VendorSandbox<?> sandbox) {
        Map<String, List<String>> holdings = new LinkedHashMap<>();
        switch (sandbox) {
            case StripeSandbox stripe -> {
                holdings.put(
                        "customers",
                        stripe.customers().stream()
                                .map(c -> c.get("id") + " name=" + c.get("name") + " email=" + c.get("email")
                                        + " crm_id=" + c.get("metadata[crm_id]"))
                                .toList());
                holdings.put(
                        "invoices",
                        stripe.invoices().stream()
                                .map(i -> i.get("id") + " " + i.get("status") + " " + i.get("total") + " "
                                        + i.get("currency") + " customer=" + i.get("customer") + " crm_deal_id="
                                        + i.get("metadata[crm_deal_id]"))
                                .toList());
            }
            case MailchimpSandbox mailchimp ->
                holdings.put(
                        "members",
                        mailchimp.members().stream()
                                .map(m -> m.emailAddress() + " " + m.status() + " list=" + m.listId())
                                .toList());
            case ZendeskSandbox zendesk -> {
                holdings.put("organizations", lines(zendesk.organizations(), "id", "name", "external_id"));
                holdings.put("users", lines(zendesk.users(), "id", "name", "email", "external_id", "organization_id"));
            }
            case SlackSandbox slack ->
                holdings.put("messages", lines(slack.messages(LocalIntegrations.SLACK_CHANNEL_ID), "ts", "text"));
            default -> holdings.put("calls", List.of(sandbox.calls().size() + " API calls"));
        }
        return holdings;
    }

    private static List<String> lines(List<JsonNode> objects, String... fields) {
        List<String> lines = new ArrayList<>();
        for (JsonNode object : objects) {
            StringBuilder line = new StringBuilder();
            for (String field : fields) {
                JsonNode value = object.path(field);
                if (!value.isMissingNode() && !value.isNull()) {
                    line.append(line.isEmpty() ? "" : " ")
                            .append(field.equals("id") || field.equals("ts") ? "" : field + "=")
                            .append(value.asText());
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
