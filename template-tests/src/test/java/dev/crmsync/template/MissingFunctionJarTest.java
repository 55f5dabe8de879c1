package dev.crmsync.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.infra.CrmSyncApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** The app in a checkout whose functions are not built yet. Needs nothing built. */
class MissingFunctionJarTest {

    @Test
    void appWithoutTheFunctionJarFailsSayingToRunMvnPackage(@TempDir Path checkout) throws IOException {
        Files.writeString(checkout.resolve("cdk.json"), "{}");

        assertThatThrownBy(() -> CrmSyncApp.create(new App(), checkout))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("functions/billing/target/billing.jar")
                .hasMessageContaining("mvn package");
    }

    @Test
    void repoRootIsTheNearestDirectoryWithCdkJson(@TempDir Path checkout) throws IOException {
        Files.writeString(checkout.resolve("cdk.json"), "{}");
        Path module = Files.createDirectories(checkout.resolve("template-tests/target"));

        assertThat(CrmSyncApp.repoRoot(module)).isEqualTo(checkout.toAbsolutePath());
    }
}
