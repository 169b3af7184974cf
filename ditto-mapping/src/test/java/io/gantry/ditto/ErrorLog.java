package io.gantry.ditto;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what Gantry logs at ERROR while a test runs. Every guard logs a caught defect at ERROR, so a test that
 * ends with entries here has hit a defect that no exception showed.
 */
final class ErrorLog implements AutoCloseable {

    private final Logger gantry = (Logger) LoggerFactory.getLogger("io.gantry");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    ErrorLog() {
        appender.start();
        gantry.addAppender(appender);
    }

    List<String> errors() {
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    /** What was logged at WARN: bad input from outside, each dropped once. */
    List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        gantry.detachAppender(appender);
        appender.stop();
    }
}
