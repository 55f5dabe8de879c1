package dev.crmsync.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.contract.EnvVar;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

/**
 * The text of the message for a won deal, in Slack's mrkdwn:
 * {@code :tada: *Deal won:* <https://crm.example.com/deals/006…|Acme - License> — $1,250.50 · owner: Sam Ortiz}.
 * Only fields the deal.closed schema names are read.
 */
final class DealMessage {
    static final String PLACEHOLDER = "{recordId}";

    private DealMessage() {}

    /**
     * @param recordLink the link back to the CRM record, when the deployment set a template
     */
    static String text(
            String dealName, BigDecimal amount, String currency, Optional<String> owner, Optional<String> recordLink) {
        String name = escape(dealName);
        StringBuilder text = new StringBuilder(":tada: *Deal won:* ");
        // A link label cannot carry '|' or '>' (Slack ends it there); the name's '>' is already escaped.
        text.append(recordLink
                .map(link -> "<" + link + "|" + name.replace("|", "¦") + ">")
                .orElse(name));
        text.append(" — ").append(amount(amount, currency));
        owner.ifPresent(o -> text.append(" · owner: ").append(escape(o)));
        return text.toString();
    }

    /**
     * The amount in its currency's usual form ({@code $1,250.50}, {@code €18,000.00}, {@code ¥5,000});
     * a code Java does not know is written after the number ({@code 1,250.50 XTS}).
     */
    static String amount(BigDecimal amount, String currencyCode) {
        String code = currencyCode.toUpperCase(Locale.ROOT);
        try {
            Currency currency = Currency.getInstance(code);
            NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
            format.setCurrency(currency);
            int digits = Math.max(0, currency.getDefaultFractionDigits());
            format.setMinimumFractionDigits(digits);
            format.setMaximumFractionDigits(digits);
            format.setRoundingMode(RoundingMode.HALF_EVEN);
            return format.format(amount);
        } catch (IllegalArgumentException unknown) {
            NumberFormat plain = NumberFormat.getNumberInstance(Locale.US);
            plain.setMinimumFractionDigits(2);
            plain.setMaximumFractionDigits(2);
            return plain.format(amount) + " " + code;
        }
    }

    /** The owner as the message shows them: the name, else the e-mail; empty when the event names no owner. */
    static Optional<String> owner(JsonNode owner) {
        if (owner == null || !owner.isObject()) {
            return Optional.empty();
        }
        String name = owner.path("name").asText("");
        if (!name.isBlank()) {
            return Optional.of(name);
        }
        String email = owner.path("email").asText("");
        return email.isBlank() ? Optional.empty() : Optional.of(email);
    }

    /**
     * The CRM record's address from the deployment's template: {@code {recordId}} replaced by the
     * record id, URL-encoded. The template comes from the stack, never from an event, so a CRM
     * event cannot point the channel at another site.
     */
    static String recordLink(String template, String recordId) {
        return template.replace(PLACEHOLDER, URLEncoder.encode(recordId, StandardCharsets.UTF_8));
    }

    /** Why a template cannot be used, or empty when it can. */
    static Optional<String> templateProblem(String template) {
        if (!template.startsWith("https://") && !template.startsWith("http://")) {
            return Optional.of(EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE
                    + " must be an http(s) URL, e.g. https://crm.example.com/deals/{recordId}");
        }
        if (!template.contains(PLACEHOLDER)) {
            return Optional.of(EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE + " must contain " + PLACEHOLDER);
        }
        if (template.chars().anyMatch(c -> c <= ' ' || c == '|' || c == '<' || c == '>')) {
            return Optional.of(
                    EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE + " must not contain spaces, '|', '<' or '>'");
        }
        return Optional.empty();
    }

    /** Slack's mrkdwn escaping: only these three characters have a meaning of their own. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
