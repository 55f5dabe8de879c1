package dev.crmsync.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite — DynamoDB's API on an in-memory LevelDB, open source (Apache-2.0) — as a child process
 * on a free 127.0.0.1 port. The build installs it with {@code npm ci} into {@code
 * functions/sync-testkit/dynalite}; its launcher exits when its standard input closes, so even a
 * JVM that dies without running its shutdown hooks leaves no server behind.
 */
public final class Dynalite implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts a server and returns once it accepts connections. */
    public static Dynalite start() {
        Path dir = installedDirectory();
        Path launcher = dir.resolve("server.js");
        if (!Files.isRegularFile(dir.resolve("node_modules/dynalite/package.json"))) {
            throw new IllegalStateException("dynalite is not installed in " + dir
                    + ": run the build (mvn -B verify, or mvn -pl functions/sync-testkit install), which "
                    + "runs npm ci there");
        }
        Process process;
        try {
            process = new ProcessBuilder("node", launcher.toString(), "0")
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start dynalite, the local DynamoDB server: Node.js 20 or newer must be "
                            + "installed and `node` on the PATH (" + e.getMessage() + ")",
                    e);
        }
        try {
            int port = awaitPort(process);
            awaitAccepting(port);
            return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server and waits for it to exit. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the process is gone already
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The launcher prints {@code listening <port>} once the server is bound. */
    private static int awaitPort(Process process) {
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> readPort(process.getInputStream()));
        try {
            return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("dynalite did not start within " + START_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "dynalite did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        }
    }

    private static int readPort(InputStream stdout) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
        try {
            String line = reader.readLine();
            if (line == null || !line.startsWith("listening ")) {
                throw new IllegalStateException("exited before listening" + (line == null ? "" : " (" + line + ")"));
            }
            int port = Integer.parseInt(line.substring("listening ".length()).trim());
            // Keep draining stdout so the child never blocks on a full pipe.
            Thread.ofVirtual().start(() -> {
                try {
                    while (reader.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitAccepting(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("dynalite does not answer on port " + port);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting dynalite", ie);
                }
            }
        }
    }

    /** Where the build installed dynalite: written into the testkit jar when it was built. */
    private static Path installedDirectory() {
        try (InputStream in = Dynalite.class.getResourceAsStream("dynalite.properties")) {
            if (in == null) {
                throw new IllegalStateException("dynalite.properties is missing from the testkit: build it with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            return Path.of(properties.getProperty("dynalite.dir"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
