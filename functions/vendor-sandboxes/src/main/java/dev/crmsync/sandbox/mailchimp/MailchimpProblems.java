package dev.crmsync.sandbox.mailchimp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;

/**
 * Mailchimp's errors as {@code application/problem+json} ({@code type, title, status, detail,
 * instance}, and on 400 an {@code errors[]} list), https://mailchimp.com/developer/marketing/docs/errors/.
 */
final class MailchimpProblems {
    /** The package's one mapper. */
    static final ObjectMapper JSON = new ObjectMapper();

    private static final String ERROR_DOCS = "https://mailchimp.com/developer/marketing/docs/errors/";

    private MailchimpProblems() {}

    /** {@link MailchimpSandbox#errorReply}, where a rate limit names the account's {@code connectionLimit}. */
    static SandboxReply errorReply(SandboxRequest request, SandboxError error, int connectionLimit) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) ->
                problem(
                        request,
                        status,
                        status >= 500 ? "Internal Server Error" : "Error " + status,
                        cause == null ? "An unexpected internal error has occurred." : cause,
                        null);
            // Mailchimp promises no Retry-After: none is sent, whatever the test asked for.
            case SandboxError.RateLimited(int ignored) ->
                problem(
                        request,
                        429,
                        "Too Many Requests",
                        "You have exceeded the limit of " + connectionLimit + " simultaneous connections.",
                        null);
            case SandboxError.Rejected(int status, String title, String detail) ->
                problem(request, status, title, detail, null);
            case SandboxError.Unauthorized(String key) ->
                problem(
                        request,
                        401,
                        "API Key Invalid",
                        key == null
                                ? "Your request did not include an API key."
                                : "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
                        null);
        };
    }

    static Rejection invalid(String field, String message) {
        return new Rejection(400, "Invalid Resource", field + ": " + message);
    }

    static SandboxReply problem(SandboxRequest request, int status, String title, String detail, ArrayNode errors) {
        ObjectNode body = JSON.createObjectNode()
                .put("type", ERROR_DOCS)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", request.id());
        if (errors != null) {
            body.set("errors", errors);
        } else if (status == 400 && title.equals("Invalid Resource")) {
            int colon = detail.indexOf(':');
            ArrayNode list = body.putArray("errors");
            list.addObject()
                    .put("field", colon < 0 ? "" : detail.substring(0, colon))
                    .put(
                            "message",
                            colon < 0 ? detail : detail.substring(colon + 1).strip());
        }
        return SandboxReply.of(status, "application/problem+json", SandboxReply.bytes(body));
    }
}
