package dev.crmsync.benchmark;

import java.util.List;

/**
 * A list price the cost table uses, with where it was read. The figures are us-east-1 on-demand
 * list prices without free tiers; every source is a public page read on {@link #READ_ON} (none is
 * AWS's or Zapier's own pricing page: those were not available to read), so each row names its
 * page and the date the page gives, and the prices should be checked against the vendors' pages
 * before a decision rests on them.
 *
 * @param dollars the price of one {@code unit}
 */
record Price(String item, double dollars, String unit, String source) {
    static final String READ_ON = "2026-12-06";

    static final Price LAMBDA_ARM_GB_SECOND = new Price(
            "Lambda duration, arm64",
            0.0000133334,
            "GB-s",
            "cloudchipr.com/blog/aws-lambda-pricing (us-east-1, first 7.5 billion GB-s a month; \"Guide 2024\")");
    static final Price LAMBDA_REQUEST = new Price(
            "Lambda requests",
            0.20 / 1e6,
            "request",
            "git.mcrn.ar lambda_local_runner docs/lambda-13-cost.md ($0.20 per 1M, both architectures; undated)");
    static final Price DYNAMODB_WRITE = new Price(
            "DynamoDB on-demand write request unit",
            0.625 / 1e6,
            "WRU",
            "airbyte.com/data-engineering-resources/dynamodb-pricing (US East; undated)");
    static final Price DYNAMODB_READ = new Price(
            "DynamoDB on-demand read request unit",
            0.125 / 1e6,
            "RRU",
            "airbyte.com/data-engineering-resources/dynamodb-pricing (US East; undated)");
    static final Price SQS_REQUEST = new Price(
            "SQS standard request (64 KB chunk)",
            0.40 / 1e6,
            "request",
            "cloudburn.io/blog/amazon-sqs-pricing (US East, as of March 2026)");
    static final Price SECRETS_MANAGER_CALL = new Price(
            "Secrets Manager API call",
            0.05 / 10_000,
            "call",
            "hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms"
                    + " ($0.05 per 10k; undated)");
    static final Price EVENTBRIDGE_EVENT = new Price(
            "EventBridge custom event (64 KB chunk)",
            1.00 / 1e6,
            "event",
            "blog.awsfundamentals.com/aws-eventbridge-pricing-guide ($1.00 per million custom events; undated)");
    static final Price LOGS_INGESTION = new Price(
            "CloudWatch Logs ingestion, standard class",
            0.50 / 1e9,
            "byte",
            "c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1, June 2026)");
    /** Zapier's Professional plan, $89 a month for 5,000 tasks; tasks beyond it cost 1.25 times as much. */
    static final Price ZAPIER_PROFESSIONAL_TASK = new Price(
            "Zapier Professional, 5,000 tasks/month for $89",
            89.0 / 5_000,
            "task",
            "arment.com/ArmstrongIAppConnector/Documentation/FAQ.aspx (quotes the plan; undated);"
                    + " help.zapier.com article 15279018245901 (overage at 1.25× the task cost)");

    static List<Price> all() {
        return List.of(
                LAMBDA_ARM_GB_SECOND,
                LAMBDA_REQUEST,
                DYNAMODB_WRITE,
                DYNAMODB_READ,
                SQS_REQUEST,
                SECRETS_MANAGER_CALL,
                EVENTBRIDGE_EVENT,
                LOGS_INGESTION,
                ZAPIER_PROFESSIONAL_TASK);
    }
}
