package dev.keyhaven.cli.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The command a template runs after its file changed (e.g. {@code nginx -s reload}), through
 * {@code sh -c} in the config file's directory, with its output on the agent's own output and
 * no input. The agent waits for it, up to its timeout, and logs its exit status; the log names
 * the file the command belongs to, not the command line (which may carry credentials of its own).
 */
final class PostRenderCommand {
    private static final File NO_INPUT = new File("/dev/null");

    private final String command;
    private final Duration timeout;
    private final Path workDir;

    PostRenderCommand(String command, Duration timeout, Path workDir) {
        this.command = command;
        this.timeout = timeout;
        this.workDir = workDir;
    }

    /** Runs the command for {@code file} and logs how it ended; returns its exit status, or -1. */
    int run(Path file, AgentLog log) {
        long start = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command)
                    .directory(workDir.toFile())
                    .redirectInput(NO_INPUT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            log.error("Cannot start the command of " + file + ": " + e.getMessage());
            return -1;
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                log.error("The command of " + file + " did not finish within " + Durations.format(timeout)
                        + "; it was stopped.");
                return -1;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            log.error("The command of " + file + " was interrupted.");
            return -1;
        }
        int code = p.exitValue();
        String took = Durations.format(Duration.ofNanos(System.nanoTime() - start));
        if (code == 0) {
            log.info("The command of " + file + " exited with status 0 (" + took + ").");
        } else {
            log.warn("The command of " + file + " exited with status " + code + " (" + took + ").");
        }
        return code;
    }
}
