package dev.crmsync.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/**
 * The CDK app ({@code cdk.json} runs it through Maven): one {@link CrmSyncStack}, checked by
 * cdk-nag's AWS Solutions rules, whose unsuppressed errors fail the synth.
 */
public final class CrmSyncApp {

    private CrmSyncApp() {}

    public static void main(String[] args) {
        App app = new App();
        create(app, repoRoot(Path.of("").toAbsolutePath()));
        app.synth();
    }

    /** Adds the stack for the app's context to {@code app}; the tests build their stacks this way too. */
    public static CrmSyncStack create(App app, Path repoRoot) {
        CrmSyncStack stack =
                new CrmSyncStack(app, CrmSyncStack.Settings.fromContext(app.getNode()), repoRoot, Catalog.INTEGRATIONS);
        Aspects.of(app)
                .add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    /** The repository root: the nearest directory at or above {@code start} that holds {@code cdk.json}. */
    public static Path repoRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cdk.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "No cdk.json in " + start + " or above: run the app from the crm-sync repository");
    }
}
