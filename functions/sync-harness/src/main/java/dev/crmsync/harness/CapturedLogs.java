package dev.crmsync.harness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line written while it is open, from every configured logger, with the message and
 * the full text of any exception logged with it (messages of causes and stack traces included).
 */
public final class CapturedLogs implements AutoCloseable {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender =
            new AbstractAppender("captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    StringWriter text =
                            new StringWriter().append(event.getMessage().getFormattedMessage());
                    if (event.getThrown() != null) {
                        event.getThrown().printStackTrace(new PrintWriter(text.append('\n')));
                    }
                    lines.add(text.toString());
                }
            };

    public CapturedLogs() {
        appender.start();
        for (LoggerConfig logger : context.getConfiguration().getLoggers().values()) {
            logger.addAppender(appender, null, null);
        }
        context.updateLoggers();
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        for (LoggerConfig logger : context.getConfiguration().getLoggers().values()) {
            logger.removeAppender(appender.getName());
        }
        context.updateLoggers();
        appender.stop();
    }
}
