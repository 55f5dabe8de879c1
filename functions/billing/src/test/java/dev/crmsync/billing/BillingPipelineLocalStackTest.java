package dev.crmsync.billing;

import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalStackAws;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The same pipeline tests as {@link BillingPipelineTest}, with DynamoDB, SQS and Secrets Manager
 * served by LocalStack (localstack/localstack:4.14.0) in a container. Needs a Docker engine; where
 * there is none, JUnit reports the class as skipped with the reason "No Docker environment available".
 */
@Testcontainers(disabledWithoutDocker = true)
class BillingPipelineLocalStackTest extends BillingPipelineTest {
    private static LocalStackAws localStack;

    @Override
    AwsEnvironment environment() {
        synchronized (BillingPipelineLocalStackTest.class) {
            if (localStack == null) {
                localStack = LocalStackAws.start();
            }
            return localStack;
        }
    }

    @AfterAll
    static void stopLocalStack() {
        if (localStack != null) {
            localStack.close();
            localStack = null;
        }
    }
}
