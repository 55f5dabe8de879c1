package dev.crmsync.localrun;

import java.io.Console;

/** Whether the run's output is a terminal, where its progress lines are rewritten in place. */
final class Terminal {
    private Terminal() {}

    /**
     * A console, and on JDK 22 and later one that is a terminal: from JDK 22 {@link System#console()} returns a
     * console for redirected streams too, and only {@code Console.isTerminal()} (absent from release 21) tells.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException before22) {
            return true;
        }
    }
}
