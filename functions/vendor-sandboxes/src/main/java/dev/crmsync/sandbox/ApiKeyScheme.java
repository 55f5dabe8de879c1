package dev.crmsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * How a vendor's requests present their API key ({@link VendorSandbox#apiKeyScheme}). The sandbox
 * compares what this returns with the keys passed to {@link VendorSandbox#acceptApiKeys}.
 */
@FunctionalInterface
public interface ApiKeyScheme {

    /** The key the request presents; null when it presents none in this scheme ("" = present but unreadable). */
    String presentedKey(SandboxRequest request);

    /** This scheme, or {@code other} when this one finds no key. */
    default ApiKeyScheme or(ApiKeyScheme other) {
        return request -> {
            String key = presentedKey(request);
            return key != null ? key : other.presentedKey(request);
        };
    }

    /** {@code Authorization: Bearer <key>} (Stripe, Slack). */
    static ApiKeyScheme bearer() {
        return request -> credentials(request, "Bearer ");
    }

    /** {@code Authorization: Basic base64(<any user>:<key>)} (Mailchimp: any user name, the key as password). */
    static ApiKeyScheme basicPassword() {
        return basicPassword(user -> true);
    }

    /**
     * {@code Authorization: Basic base64(<user>:<key>)} where the user name must pass {@code
     * userAccepted} (Zendesk's API token: {@code {email}/token}); another user name presents an
     * unreadable key ("").
     */
    static ApiKeyScheme basicPassword(Predicate<String> userAccepted) {
        return request -> {
            String decoded = basicCredentials(request);
            if (decoded == null || decoded.isEmpty()) {
                return decoded;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 || !userAccepted.test(decoded.substring(0, colon)) ? "" : decoded.substring(colon + 1);
        };
    }

    /** {@code Authorization: Basic base64(<key>:)} (Stripe also accepts its key as the user name). */
    static ApiKeyScheme basicUser() {
        return request -> {
            String decoded = basicCredentials(request);
            if (decoded == null) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        };
    }

    /** The whole {@code Authorization} value, when no other scheme applied. */
    static ApiKeyScheme rawAuthorization() {
        return request -> {
            String a = request.header("Authorization");
            return a == null ? null : a.trim();
        };
    }

    private static String credentials(SandboxRequest request, String scheme) {
        String a = request.header("Authorization");
        if (a == null) {
            return null;
        }
        a = a.trim();
        return a.regionMatches(true, 0, scheme, 0, scheme.length())
                ? a.substring(scheme.length()).trim()
                : null;
    }

    /** The decoded {@code user:password} of Basic credentials; null without them, "" when they cannot be decoded. */
    private static String basicCredentials(SandboxRequest request) {
        String encoded = credentials(request, "Basic ");
        if (encoded == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
