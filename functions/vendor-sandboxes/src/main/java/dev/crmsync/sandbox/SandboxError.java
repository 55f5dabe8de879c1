package dev.crmsync.sandbox;

/**
 * An error the shared part of a sandbox asks the vendor to render in its own shape ({@link
 * VendorSandbox#errorReply}): Stripe's {@code {"error":{…}}}, Mailchimp's problem+json, Zendesk's
 * {@code {"error":…,"description":…}}, Slack's HTTP 200 {@code {"ok":false,"error":…}}.
 */
public sealed interface SandboxError {

    /**
     * The vendor's usual answer for {@code status} (a 5xx, 409, 429, 401, 404, …): injected by
     * {@link VendorSandbox#failNext} and the in-endpoint faults, or the sandbox's own bug, when
     * {@code cause} says what broke (null for injected faults).
     */
    record Failure(int status, String cause) implements SandboxError {}

    /** A rate limit ({@link VendorSandbox#rateLimitNext}): 429, and {@code Retry-After} where the vendor sends it. */
    record RateLimited(int retryAfterSeconds) implements SandboxError {}

    /**
     * A refusal with the vendor's machine-readable {@code error} (Stripe's {@code type}, Mailchimp's
     * {@code title}, Zendesk's {@code error}, Slack's {@code error}) and a human {@code message} (may
     * be null): {@link VendorSandbox#rejectNext}, or thrown from an endpoint as a {@link
     * VendorSandbox.Rejection}.
     */
    record Rejected(int status, String error, String message) implements SandboxError {}

    /** No credential ({@code presentedKey} null) or one that is not accepted. */
    record Unauthorized(String presentedKey) implements SandboxError {}
}
