package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a command with the secrets as environment variables; exits with the command's exit code.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Mixin
    FetchOptions fetch;

    @Option(
            names = {"--quiet", "-q"},
            description = "Do not print how many secrets were injected.")
    boolean quiet;

    @Option(
            names = "--watch",
            description = "Restart the command when the secrets change (polls the server with the ETag).")
    boolean watch;

    @Option(
            names = "--watch-interval",
            defaultValue = "10",
            paramLabel = "<seconds>",
            description = "Seconds between two checks with --watch (default: 10).")
    double watchInterval;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
    List<String> command;

    /** The running child, for the shutdown hook (a restart under --watch replaces it). */
    private final AtomicReference<Process> current = new AtomicReference<>();

    private volatile boolean stopping;

    @Override
    public Integer call() throws InterruptedException {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        PrintWriter err = spec.commandLine().getErr();
        SecretQuery q = source.query(cli.workDir);
        if (watch && !(watchInterval >= 0.05)) {
            throw new KeyhavenCli.UserError("--watch-interval must be at least 0.05 seconds.");
        }
        SecretList list = fetch.fetch(cli, err, q);
        Map<String, String> secrets = list.merged();
        announce(err, q, secrets.size());
        // SIGINT/SIGTERM make the JVM run shutdown hooks: pass the signal on to the child and wait for it.
        // The hook is in place before the child starts, so a signal in between cannot leave it orphaned.
        Thread hook = new Thread(
                () -> {
                    Process child;
                    synchronized (current) { // waits for a child that is being started right now
                        stopping = true;
                        child = current.get();
                    }
                    stop(child);
                },
                "keyhaven-run-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        Process child = start(cli, secrets);
        try {
            if (!watch) {
                return child.waitFor();
            }
            String etag = list.etag();
            long intervalMs = Math.max(50, Math.round(watchInterval * 1000));
            while (true) {
                if (child.waitFor(intervalMs, TimeUnit.MILLISECONDS)) {
                    return child.exitValue();
                }
                SecretList changed;
                try {
                    changed = cli.client(err).listSecrets(q, etag);
                } catch (KeyhavenException | KeyhavenCli.UserError e) {
                    err.println("keyhaven: warning: cannot check the secrets for changes (" + KeyhavenCli.describe(e)
                            + "); the command keeps running.");
                    err.flush();
                    continue;
                }
                if (changed == null) {
                    continue; // 304 Not Modified
                }
                etag = changed.etag();
                Map<String, String> now = changed.merged();
                if (now.equals(secrets)) {
                    continue;
                }
                secrets = now;
                err.println("keyhaven: the secrets of " + q.environment() + ":" + q.secretPath()
                        + " changed; restarting " + command.get(0));
                err.flush();
                stop(child);
                announce(err, q, secrets.size());
                child = start(cli, secrets);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    private void announce(PrintWriter err, SecretQuery q, int count) {
        if (!quiet) {
            err.println("keyhaven: injecting " + count + " secret(s) from " + q.environment() + ":" + q.secretPath());
            err.flush();
        }
    }

    private Process start(KeyhavenCli cli, Map<String, String> secrets) {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(cli.workDir.toFile());
        pb.environment().putAll(secrets);
        try {
            // Started and published under the lock the signal hook takes, so the hook sees this child
            // even when the signal arrives while it starts (the child may print before start() returns).
            synchronized (current) {
                if (stopping) {
                    throw new KeyhavenCli.UserError("Stopped before '" + command.get(0) + "' could start.");
                }
                Process p = pb.start();
                current.set(p);
                return p;
            }
        } catch (IOException e) {
            throw new KeyhavenCli.UserError("Cannot start '" + command.get(0) + "': " + e.getMessage());
        }
    }

    /** SIGTERM, then a forced kill after 10 s. */
    private static void stop(Process child) {
        if (child == null || !child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
