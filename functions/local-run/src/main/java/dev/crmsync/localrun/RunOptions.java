package dev.crmsync.localrun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local run's command line, checked: the inputs (files and folders, the samples by default, or
 * {@code --generate N} changes from {@code --seed S}) and what to do with the output.
 *
 * @param inputs     files or folders of events; empty with {@code generate} 0: the samples
 * @param generate   how many changes to generate (0: none)
 * @param seed       the generator's seed
 * @param json       where to write the summary as JSON, if anywhere
 * @param log        the file the function log lines go to
 * @param verbose    whether the log lines are shown too
 * @param keep       whether the servers stay up after the summary, until Enter or Ctrl-C
 * @param timeoutSeconds how long the run waits for the queues to empty
 */
public record RunOptions(
        List<Path> inputs,
        int generate,
        long seed,
        Optional<Path> json,
        Path log,
        boolean verbose,
        boolean keep,
        int timeoutSeconds) {

    public static final String USAGE = """
            usage: local/run [options] [event.json | folder ...]
              (no input: every sample of events/samples/valid and events/samples/invalid)
              --generate N   send N realistic CRM changes instead (accounts, contacts, deals)
              --seed S       the generator's seed (default 1)
              --json FILE    also write the summary as JSON to FILE
              --log FILE     the function log lines go to FILE (default target/local-run.log)
              --verbose      show the function log lines as well
              --keep         leave the servers up after the summary; stop on Enter or Ctrl-C
              --timeout S    wait at most S seconds for the queues to empty (default 300)
              --help         this text""";

    public RunOptions {
        inputs = List.copyOf(inputs);
    }

    /** The options of {@code args}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static RunOptions parse(String... args) {
        List<Path> inputs = new ArrayList<>();
        int generate = 0;
        long seed = 1;
        Optional<Path> json = Optional.empty();
        Path log = Path.of("target", "local-run.log");
        boolean verbose = false;
        boolean keep = false;
        int timeout = 300;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--generate" -> generate = positive(arg, value(args, ++i, arg));
                case "--seed" -> seed = number(arg, value(args, ++i, arg));
                case "--json" -> json = Optional.of(Path.of(value(args, ++i, arg)));
                case "--log" -> log = Path.of(value(args, ++i, arg));
                case "--timeout" -> timeout = positive(arg, value(args, ++i, arg));
                case "--verbose" -> verbose = true;
                case "--keep" -> keep = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    Path input = Path.of(arg).toAbsolutePath();
                    if (!Files.exists(input)) {
                        throw new IllegalArgumentException("no such file or folder: " + arg);
                    }
                    inputs.add(input);
                }
            }
        }
        if (generate > 0 && !inputs.isEmpty()) {
            throw new IllegalArgumentException("give either --generate N or event files, not both");
        }
        return new RunOptions(inputs, generate, seed, json, log, verbose, keep, timeout);
    }

    /** Whether the command line asks for the usage text. */
    public static boolean asksForHelp(String... args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not '" + value + "'");
        }
    }

    private static int positive(String option, String value) {
        long number = number(option, value);
        if (number < 1 || number > 1_000_000) {
            throw new IllegalArgumentException(option + " needs a number from 1 to 1000000, not " + value);
        }
        return (int) number;
    }
}
