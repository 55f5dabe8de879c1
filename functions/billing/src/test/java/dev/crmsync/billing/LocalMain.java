package dev.crmsync.billing;

/**
 * Runs a command-line entry point that starts local servers, and ends the JVM when it is done:
 * the servers' own threads would otherwise keep it alive.
 */
final class LocalMain {
    /** The body of a main method. */
    interface Body {
        void run() throws Exception;
    }

    private LocalMain() {}

    static void runAndExit(Body body) {
        try {
            body.run();
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
