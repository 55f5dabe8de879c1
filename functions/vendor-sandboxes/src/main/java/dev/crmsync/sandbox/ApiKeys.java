package dev.crmsync.sandbox;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The API keys a sandbox accepts ({@link VendorSandbox#acceptApiKeys}); every other key is refused. */
final class ApiKeys {

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    void accept(String... keys) {
        for (String k : keys) {
            accepted.add(Objects.requireNonNull(k));
        }
    }

    void revoke(String... keys) {
        for (String k : keys) {
            accepted.remove(k);
        }
    }

    void clear() {
        accepted.clear();
    }

    /**
     * Why the request is refused: no key ({@code presentedKey} null or empty) or one not accepted; null when it is
     * accepted.
     */
    SandboxError.Unauthorized refusal(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return new SandboxError.Unauthorized(null);
        }
        return accepted.contains(presentedKey) ? null : new SandboxError.Unauthorized(presentedKey);
    }
}
