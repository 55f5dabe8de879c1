package dev.crmsync.benchmark;

/** The AWS request kinds a function's bill is made of, as the benchmark counts them. */
enum AwsRequestKind {
    DYNAMODB_READ("DynamoDB reads"),
    DYNAMODB_WRITE("DynamoDB writes"),
    SQS("SQS"),
    SECRETS_MANAGER("Secrets Manager"),
    EVENTBRIDGE("EventBridge");

    private static final java.util.Set<String> READS = java.util.Set.of("GetItem", "BatchGetItem", "Query", "Scan");

    final String label;

    AwsRequestKind(String label) {
        this.label = label;
    }

    /** The kind of {@code operation} (e.g. {@code UpdateItem}) sent to {@code service} (the SDK's service name). */
    static AwsRequestKind of(String service, String operation) {
        return switch (service.toLowerCase(java.util.Locale.ROOT).replace(" ", "")) {
            case "dynamodb" -> READS.contains(operation) ? DYNAMODB_READ : DYNAMODB_WRITE;
            case "sqs" -> SQS;
            case "secretsmanager" -> SECRETS_MANAGER;
            case "eventbridge" -> EVENTBRIDGE;
            default -> throw new IllegalArgumentException("a request to an unexpected service: " + service);
        };
    }
}
