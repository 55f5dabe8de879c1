package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;

/**
 * docs/configuration.md's tables: the environment variables of a function ({@link EnvVar}) and the
 * CDK context the stack reads ({@link ContextKey}), generated so that a variable or a key added in
 * code is documented by the same change.
 */
public final class ConfigurationTable {

    public static final MarkedRegion REGION =
            new MarkedRegion("docs/configuration.md", "<!-- configuration:begin -->", "<!-- configuration:end -->");

    private ConfigurationTable() {}

    /** What belongs between the configuration markers. */
    public static String region() {
        StringBuilder text = new StringBuilder("\n")
                .append(MarkedRegion.generatedFrom("sync-contract's EnvVar and infra-cdk's ContextKey"))
                .append("\nEach function reads its environment, set by the stack"
                        + " ([EnvVar.java](../functions/sync-contract/src/main/java/"
                        + "dev/crmsync/contract/EnvVar.java)):\n\n")
                .append("| variable | read by | meaning | default |\n|---|---|---|---|\n");
        for (EnvVar variable : EnvVar.values()) {
            text.append("| `")
                    .append(variable.wireName())
                    .append("` | ")
                    .append(reader(variable.reader()))
                    .append(" | ")
                    .append(MarkedRegion.cell(variable.meaning()))
                    .append(" | ")
                    .append(MarkedRegion.cell(variable.defaultValue()))
                    .append(" |\n");
        }
        text.append("\nThe stack reads the CDK context (`cdk deploy -c <key>=<value>`, or cdk.json;"
                        + " [ContextKey.java](../infra-cdk/src/main/java/dev/crmsync/infra/ContextKey.java)):\n\n")
                .append("| context key | meaning | default |\n|---|---|---|\n");
        for (ContextKey key : ContextKey.values()) {
            text.append("| `")
                    .append(key.key())
                    .append("` | ")
                    .append(MarkedRegion.cell(key.meaning()))
                    .append(" | ")
                    .append(MarkedRegion.cell(key.defaultValue()))
                    .append(" |\n");
        }
        return text.toString();
    }

    private static String reader(EnvVar.Reader reader) {
        return switch (reader) {
            case PIPELINE -> "sync-core";
            case CONNECTOR -> "the connector";
            case POWERTOOLS -> "Powertools";
            case AWS_SDK -> "the AWS SDK";
        };
    }
}
