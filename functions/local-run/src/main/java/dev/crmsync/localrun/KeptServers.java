package dev.crmsync.localrun;

import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventBridge;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** {@code --keep}: the servers stay up; their endpoints and the AWS CLI commands to look, until Enter or Ctrl-C. */
final class KeptServers {
    private KeptServers() {}

    static void show(
            PrintStream screen, LocalAws aws, LocalEventBridge bus, List<DeployedIntegration> deployed, String table) {
        String cli = "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 aws --endpoint-url ";
        screen.println();
        screen.println("== the servers stay up (Enter or Ctrl-C stops them)");
        screen.println("   DynamoDB (dynalite)  " + aws.dynamoEndpoint());
        screen.println("   SQS (ElasticMQ)      " + aws.sqsEndpoint());
        screen.println("   Secrets Manager      " + aws.secretsEndpoint());
        screen.println("   EventBridge          " + bus.endpoint());
        for (DeployedIntegration integration : deployed) {
            screen.printf(
                    "   %-20s %s%n",
                    integration.entry.vendor() + " sandbox",
                    integration.local.sandbox().baseUrl());
        }
        screen.println();
        screen.println("   " + cli + aws.dynamoEndpoint() + " dynamodb scan --table-name " + table);
        for (DeployedIntegration integration : deployed) {
            screen.println("   " + cli + aws.sqsEndpoint() + " sqs receive-message --attribute-names All"
                    + " --visibility-timeout 0 --queue-url " + integration.harness.queues.dlqUrl());
        }
        screen.println("   " + cli + aws.sqsEndpoint() + " sqs get-queue-attributes --attribute-names All --queue-url "
                + deployed.getFirst().harness.queues.queueUrl());
        screen.println("   " + cli + aws.secretsEndpoint() + " secretsmanager get-secret-value --secret-id "
                + deployed.getFirst().harness.secretId);
    }

    static void awaitEnter() throws IOException {
        while (true) {
            int read = System.in.read();
            if (read == -1 || read == '\n') {
                return;
            }
        }
    }
}
