package dev.crmsync.billing;

import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs the billing function the way Lambda does, in a JVM of its own configured only by its
 * environment: the handler's static initialisation builds everything from {@code CRM_SYNC_*} and
 * the SDK's {@code AWS_ENDPOINT_URL_*} variables. Polls the queue until it is empty, then exits.
 * Argument: the queue ARN.
 */
public final class LocalFunctionMain {
    private LocalFunctionMain() {}

    public static void main(String[] args) {
        BillingSyncHandler handler = new BillingSyncHandler();
        try (SqsClient sqs = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            new LocalEventSourceMapping(
                            sqs,
                            System.getenv("CRM_SYNC_QUEUE_URL"),
                            args[0],
                            handler::handleRequest,
                            Duration.ofSeconds(60))
                    .drain(Duration.ofSeconds(30));
        }
    }
}
