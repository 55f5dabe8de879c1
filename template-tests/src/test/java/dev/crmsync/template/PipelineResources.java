package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.getAtt;
import static dev.crmsync.template.SynthesizedStack.ref;
import static dev.crmsync.template.SynthesizedStack.typed;

import dev.crmsync.infra.Integration;
import java.util.List;
import java.util.Map;

/**
 * The logical ids of one integration's resources in a synthesized template, found by the names on
 * which on-call relies ({@code crm-sync-<stage>-<integration>}) and then by following references.
 */
record PipelineResources(
        String name,
        String queue,
        String deadLetterQueue,
        String ruleDeadLetterQueue,
        String rule,
        String function,
        String role,
        String logGroup,
        String secret,
        String alias,
        String eventSourceMapping) {

    static PipelineResources of(SynthesizedStack synth, Integration integration, String stage) {
        String name = "crm-sync-" + stage + "-" + integration.name();
        String queue = synth.idOf("AWS::SQS::Queue", Map.of("QueueName", name));
        String function = synth.idOf("AWS::Lambda::Function", Map.of("FunctionName", name));
        Map<String, Object> functionProperties = synth.properties(function);
        Map<String, Object> loggingConfig = typed(functionProperties.get("LoggingConfig"));
        return new PipelineResources(
                name,
                queue,
                synth.idOf("AWS::SQS::Queue", Map.of("QueueName", name + "-dlq")),
                synth.idOf("AWS::SQS::Queue", Map.of("QueueName", name + "-rule-dlq")),
                synth.idOf("AWS::Events::Rule", Map.of("Name", name)),
                function,
                logicalIdIn(functionProperties.get("Role"), "Fn::GetAtt"),
                logicalIdIn(loggingConfig.get("LogGroup"), "Ref"),
                synth.idOf(
                        "AWS::SecretsManager::Secret", Map.of("Name", "crm-sync/" + stage + "/" + integration.name())),
                synth.idOf("AWS::Lambda::Alias", Map.of("FunctionName", ref(function))),
                synth.idOf("AWS::Lambda::EventSourceMapping", Map.of("EventSourceArn", getAtt(queue, "Arn"))));
    }

    private static String logicalIdIn(Object intrinsic, String function) {
        Object target = ((Map<?, ?>) intrinsic).get(function);
        return String.valueOf(target instanceof List<?> parts ? parts.get(0) : target);
    }
}
