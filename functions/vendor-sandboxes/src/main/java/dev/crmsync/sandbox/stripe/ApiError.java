package dev.crmsync.sandbox.stripe;

/** A Stripe error raised while handling a request; {@code saved} = kept under an idempotency key. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;
    final String code;
    final String param;
    final boolean saved;

    ApiError(int status, String type, String code, String param, String message, boolean saved) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.saved = saved;
    }

    /** A parameter validation failure: the endpoint never ran, so nothing is saved. */
    static ApiError invalid(String code, String param, String message) {
        return new ApiError(400, "invalid_request_error", code, param, message, false);
    }

    static ApiError missing(String kind, String id, String param) {
        return new ApiError(
                404, "invalid_request_error", "resource_missing", param, "No such " + kind + ": '" + id + "'", true);
    }
}
