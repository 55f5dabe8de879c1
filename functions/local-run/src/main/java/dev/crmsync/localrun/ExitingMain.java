package dev.crmsync.localrun;

/**
 * Runs a command-line entry point that starts local servers, and ends the JVM when it is done: the servers' own
 * threads would otherwise keep it alive. The exit status is the body's; an exception prints its stack trace and exits
 * 1.
 */
public final class ExitingMain {
    /** The body of a main method; returns the exit status. */
    public interface Body {
        int run() throws Exception;
    }

    private ExitingMain() {}

    public static void runAndExit(Body body) {
        int status;
        try {
            status = body.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}
