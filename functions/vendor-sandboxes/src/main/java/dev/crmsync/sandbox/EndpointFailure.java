package dev.crmsync.sandbox;

/**
 * A fault that strikes inside the endpoint rather than at the edge: the vendor started executing
 * the request ({@code workDone} false: and changed nothing; true: and did the work) and then
 * answered {@code status}, a 5xx. Handed to {@link VendorSandbox#serve}, because where the vendor
 * saves answers (Stripe's idempotency keys) such a failure is saved and replayed like any other.
 */
public record EndpointFailure(int status, boolean workDone) {}
