package dev.crmsync.template;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.infra.CrmSyncApp;
import dev.crmsync.infra.CrmSyncStack;
import dev.crmsync.infra.Integration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack synthesized as {@code cdk synth} does it: the feature flags of the repo's cdk.json,
 * cdk-nag applied by {@link CrmSyncApp}, the real function jars. Synthesis takes seconds, so the
 * default stack is built once per test JVM and shared by the classes that read it.
 */
final class SynthesizedStack {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REPO_ROOT = CrmSyncApp.repoRoot(Path.of(""));

    private static SynthesizedStack defaults;

    final CrmSyncStack stack;
    final Template template;
    final Map<String, Map<String, Object>> resources;

    private SynthesizedStack(CrmSyncStack stack) {
        this.stack = stack;
        this.template = synthesize(stack);
        this.resources = typed(template.toJSON().get("Resources"));
    }

    /**
     * Synthesizes the stack. With cdk.json's feature flags, an unsuppressed cdk-nag error fails the
     * synthesis itself (as it fails {@code cdk synth}); the failure then shows the validation report.
     */
    private static Template synthesize(CrmSyncStack stack) {
        try {
            return Template.fromStack(stack);
        } catch (RuntimeException e) {
            Matcher report = Pattern.compile("(\\S+validation-report\\.json)").matcher(String.valueOf(e.getMessage()));
            if (report.find() && Files.isReadable(Path.of(report.group(1)))) {
                try {
                    throw new AssertionError(
                            "synthesis failed validation (an unsuppressed cdk-nag error?):\n"
                                    + Files.readString(Path.of(report.group(1))),
                            e);
                } catch (IOException unreadable) {
                    e.addSuppressed(unreadable);
                }
            }
            throw e;
        }
    }

    /** The stack with every context option at its default. */
    static synchronized SynthesizedStack withDefaults() {
        if (defaults == null) {
            defaults = withContext(Map.of());
        }
        return defaults;
    }

    /**
     * The default stack with another catalog (cdk.json's context, no cdk-nag: the default stack's
     * tests run it), for settings that only a catalog entry can change.
     */
    static SynthesizedStack withCatalog(List<Integration> integrations) {
        App app = new App(AppProps.builder().context(cdkJsonContext()).build());
        return new SynthesizedStack(
                new CrmSyncStack(app, CrmSyncStack.Settings.fromContext(app.getNode()), REPO_ROOT, integrations));
    }

    /** A stack with {@code options} as {@code -c key=value} on top of cdk.json's context. */
    static SynthesizedStack withContext(Map<String, String> options) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.putAll(options);
        App app = new App(AppProps.builder().context(context).build());
        return new SynthesizedStack(CrmSyncApp.create(app, REPO_ROOT));
    }

    private static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson =
                    JSON.readValue(REPO_ROOT.resolve("cdk.json").toFile(), new TypeReference<>() {});
            return typed(cdkJson.getOrDefault("context", Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logical ids of the resources of {@code type}. */
    Map<String, Map<String, Object>> ofType(String type) {
        return resources.entrySet().stream()
                .filter(e -> type.equals(e.getValue().get("Type")))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The logical id of the one resource of {@code type} whose properties contain {@code properties}. */
    String idOf(String type, Map<String, ?> properties) {
        Map<String, Map<String, Object>> found =
                template.findResources(type, Map.of("Properties", Match.objectLike(properties)));
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " with " + properties + ", found " + found.keySet());
        }
        return found.keySet().iterator().next();
    }

    Map<String, Object> properties(String logicalId) {
        return typed(resource(logicalId).get("Properties"));
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = resources.get(logicalId);
        if (resource == null) {
            throw new AssertionError("no resource " + logicalId);
        }
        return resource;
    }

    Map<String, Map<String, Object>> outputs() {
        return typed(template.toJSON().get("Outputs"));
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    /**
     * A template value as one string, intrinsics spelled as {@code ${Id}} / {@code ${Id.Attr}}, so a
     * Fn::Join-built ARN can be compared whole.
     */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            switch (String.valueOf(entry.getKey())) {
                case "Ref" -> {
                    return "${" + entry.getValue() + "}";
                }
                case "Fn::GetAtt" -> {
                    List<?> parts = (List<?>) entry.getValue();
                    return "${" + parts.get(0) + "." + parts.get(1) + "}";
                }
                case "Fn::Join" -> {
                    List<?> args = (List<?>) entry.getValue();
                    return ((List<?>) args.get(1))
                            .stream()
                                    .map(SynthesizedStack::render)
                                    .collect(Collectors.joining(String.valueOf(args.get(0))));
                }
                default -> {}
            }
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T typed(Object value) {
        return (T) value;
    }
}
