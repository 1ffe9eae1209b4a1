package dev.keyhaven.cli.agent;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The agent's log: one line per event, {@code <UTC time> <LEVEL> <message>}, on standard error
 * (where systemd's journal and Kubernetes pick it up). Callers pass file names, secret keys and
 * server messages only; nothing here ever receives a secret value or a token.
 */
public final class AgentLog {
    private final PrintWriter out;

    public AgentLog(PrintWriter out) {
        this.out = out;
    }

    void info(String message) {
        line("INFO", message);
    }

    void warn(String message) {
        line("WARN", message);
    }

    void error(String message) {
        line("ERROR", message);
    }

    private synchronized void line(String level, String message) {
        out.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + message);
        out.flush();
    }
}
