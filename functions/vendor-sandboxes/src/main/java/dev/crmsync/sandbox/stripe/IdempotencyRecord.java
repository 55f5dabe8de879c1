package dev.crmsync.sandbox.stripe;

/**
 * What Stripe keeps under an idempotency key: the first request's endpoint and parameters, then
 * (once {@code done}) its answer. Guarded by {@code Account.lock}.
 */
final class IdempotencyRecord {
    final String method;
    final String path;
    final String fingerprint;
    boolean done;
    int status;
    byte[] body;
    String requestId;

    IdempotencyRecord(String method, String path, String fingerprint) {
        this.method = method;
        this.path = path;
        this.fingerprint = fingerprint;
    }
}
