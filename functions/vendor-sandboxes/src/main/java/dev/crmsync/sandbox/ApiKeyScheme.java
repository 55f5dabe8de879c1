package dev.crmsync.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        return request -> basicPart(request, false);
    }

    /** {@code Authorization: Basic base64(<key>:)} (Stripe also accepts its key as the user name). */
    static ApiKeyScheme basicUser() {
        return request -> basicPart(request, true);
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
        return a.regionMatches(true, 0, scheme, 0, scheme.length()) ? a.substring(scheme.length()).trim() : null;
    }

    private static String basicPart(SandboxRequest request, boolean user) {
        String encoded = credentials(request, "Basic ");
        if (encoded == null) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
        int colon = decoded.indexOf(':');
        if (user) {
            return colon < 0 ? decoded : decoded.substring(0, colon);
        }
        return colon < 0 ? "" : decoded.substring(colon + 1);
    }
}
