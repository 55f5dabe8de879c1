package dev.crmsync.harness.contract;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How a vendor looks to the contract suites: the key a deployment starts with and how the
 * integration's secret holds a key, how the vendor answers a rate-limited request, and what the
 * connector calls (and quotes of) the refusal its binding injects.
 *
 * @param apiKey            the key the deployment starts with (the vendor accepts it after the binding's deploy)
 * @param secretFor         the integration's secret as on-call puts it, holding a given key
 * @param rateLimitAnswer   whether the vendor's 429 tells the client when to come back
 * @param refusalErrorClass the error class the connector gives the binding's refusal
 * @param refusalMentions   what the status item's reason names of that refusal (the vendor's code and message)
 */
public record VendorProfile(
        String apiKey,
        UnaryOperator<String> secretFor,
        RateLimitAnswer rateLimitAnswer,
        String refusalErrorClass,
        List<String> refusalMentions) {

    public VendorProfile {
        refusalMentions = List.copyOf(refusalMentions);
    }

    /** How a vendor answers a rate-limited request. */
    public enum RateLimitAnswer {
        /** 429 with {@code Retry-After}: the retry comes no sooner. */
        WITH_RETRY_AFTER,
        /** 429 without a wait: the retry comes after the pipeline's own backoff. */
        WITHOUT_RETRY_AFTER
    }
}
