package dev.keyhaven.server.platform.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/** Prints a start-up failure as one line on standard error, instead of a banner and a trace. */
public class OneLineFailureReporter implements FailureAnalysisReporter {
    @Override
    public void report(FailureAnalysis analysis) {
        if (analysis.getCause() instanceof StartupException) {
            System.err.println("keyhaven: cannot start: " + analysis.getDescription());
        } else {
            String action = analysis.getAction() == null
                    ? ""
                    : " " + analysis.getAction().replace('\n', ' ');
            System.err.println(
                    "keyhaven: cannot start: " + analysis.getDescription().replace('\n', ' ') + action);
        }
    }
}
