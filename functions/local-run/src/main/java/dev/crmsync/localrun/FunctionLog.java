package dev.crmsync.localrun;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the functions' log lines go: the standard streams are pointed at a file (and, with {@code --verbose}, at the
 * screen too) before any logger starts, so that the JSON log lines and EMF blobs of the four functions and the local
 * servers' own lines land there; the run writes to the screen through the stream it kept.
 */
final class FunctionLog implements AutoCloseable {
    private final PrintStream file;
    private final PrintStream out;
    private final PrintStream err;

    private FunctionLog(PrintStream file, PrintStream out, PrintStream err) {
        this.file = file;
        this.out = out;
        this.err = err;
    }

    static FunctionLog open(Path path, boolean alsoOnScreen) throws IOException {
        Path absolute = path.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        PrintStream file = new PrintStream(new FileOutputStream(absolute.toFile()), true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream log = alsoOnScreen ? new PrintStream(new Both(file, out), true, StandardCharsets.UTF_8) : file;
        System.setOut(log);
        System.setErr(log);
        return new FunctionLog(file, out, err);
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        file.close();
    }

    /** Writes to two streams. */
    private static final class Both extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Both(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
