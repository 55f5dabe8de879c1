package dev.crmsync.harness;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A sync function's real handler in a JVM of its own, configured only by its environment, as
 * Lambda runs it: the handler class is loaded (its static initialisation builds everything from
 * {@code CRM_SYNC_*} and the SDK's {@code AWS_ENDPOINT_URL_*} variables), then invoked once with
 * what one poll of the queue received. An error while loading the handler ends the process, as it
 * ends a Lambda init.
 */
public final class HandlerProcess {
    private HandlerProcess() {}

    /** What the process printed (its log lines, its EMF metrics) and how it ended. */
    public record Result(int exitValue, List<String> lines) {
        public String output() {
            return String.join("\n", lines);
        }
    }

    /**
     * Runs {@code handler} against the harness's queue, table and secret, with the environment the
     * stack sets changed by {@code changes} (a null value removes the variable).
     */
    public static Result pollOnce(
            Class<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handler,
            IntegrationHarness harness,
            String vendorUrl,
            Map<String, String> changes)
            throws IOException, InterruptedException {
        ProcessBuilder process = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                HandlerProcess.class.getName(),
                handler.getName(),
                harness.queues.queueArn());
        Map<String, String> env = process.environment();
        env.keySet().removeIf(k -> k.startsWith("CRM_SYNC_") || k.startsWith("AWS_ENDPOINT_URL"));
        Map<String, String> function = new HashMap<>(Map.of(
                "CRM_SYNC_INTEGRATION",
                harness.integration,
                "CRM_SYNC_TABLE",
                harness.table,
                "CRM_SYNC_QUEUE_URL",
                harness.queues.queueUrl(),
                "CRM_SYNC_SECRET_ID",
                harness.secretId,
                "CRM_SYNC_VENDOR_URL",
                vendorUrl,
                "CRM_SYNC_MAX_RECEIVE_COUNT",
                Integer.toString(harness.maxReceiveCount)));
        function.putAll(Map.of(
                "AWS_ENDPOINT_URL_DYNAMODB", harness.aws.dynamoEndpoint().toString(),
                "AWS_ENDPOINT_URL_SQS", harness.aws.sqsEndpoint().toString(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                        harness.aws.secretsEndpoint().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_EMF_ENVIRONMENT", "Local",
                "POWERTOOLS_LOG_LEVEL", "INFO",
                "POWERTOOLS_SERVICE_NAME", "crm-sync-" + harness.integration));
        changes.forEach((name, value) -> {
            if (value == null) {
                function.remove(name);
            } else {
                function.put(name, value);
            }
        });
        env.putAll(function);
        process.redirectErrorStream(true);
        Process child = process.start();
        List<String> lines = new ArrayList<>();
        try (var reader = child.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException(
                    "the handler process did not end within 60 s:\n" + String.join("\n", lines));
        }
        return new Result(child.exitValue(), lines);
    }

    /** Arguments: the handler class, the queue ARN. */
    public static void main(String[] args) throws ReflectiveOperationException {
        @SuppressWarnings("unchecked")
        RequestHandler<SQSEvent, SQSBatchResponse> handler = (RequestHandler<SQSEvent, SQSBatchResponse>)
                Class.forName(args[0]).getDeclaredConstructor().newInstance();
        try (SqsClient sqs = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            new LocalEventSourceMapping(
                            sqs,
                            System.getenv("CRM_SYNC_QUEUE_URL"),
                            args[1],
                            handler::handleRequest,
                            Duration.ofSeconds(60))
                    .pollOnce();
        }
    }
}
