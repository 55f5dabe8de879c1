package dev.crmsync.infra;

import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The resources of one integration's pipeline that its alarms and dashboard watch.
 *
 * @param resourceName {@code crm-sync-<stage>-<integration>}, the prefix of every name
 * @param integration  the integration's name (the metrics' dimension)
 * @param busName      the name of the bus the rule is on (the rule's metrics' dimension)
 */
record PipelineParts(
        String resourceName,
        String integration,
        Queue queue,
        Queue deadLetterQueue,
        Queue ruleDeadLetterQueue,
        Rule rule,
        String busName,
        Function function) {}
