package dev.keyhaven.server.platform.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StartupException} anywhere in the failure chain into an analysis, which
 * stops Spring Boot from logging the stack trace.
 */
public class StartupFailureAnalyzer extends AbstractFailureAnalyzer<StartupException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupException cause) {
        return new FailureAnalysis(cause.getMessage(), null, cause);
    }
}
