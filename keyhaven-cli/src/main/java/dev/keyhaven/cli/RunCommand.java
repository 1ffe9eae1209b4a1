package dev.keyhaven.cli;

import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a command with the secrets as environment variables; exits with the command's exit code.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(names = {"--quiet", "-q"}, description = "Do not print how many secrets were injected.")
    boolean quiet;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
    List<String> command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        PrintWriter err = spec.commandLine().getErr();
        SecretQuery q = source.query(cli.workDir);
        Map<String, String> secrets = cli.client(err).listSecrets(q).merged();
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(cli.workDir.toFile());
        pb.environment().putAll(secrets);
        if (!quiet) {
            err.println("keyhaven: injecting " + secrets.size() + " secret(s) from " + q.environment() + ":"
                    + q.secretPath());
            err.flush();
        }
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw new KeyhavenCli.UserError("Cannot start '" + command.get(0) + "': " + e.getMessage());
        }
        // SIGINT/SIGTERM make the JVM run shutdown hooks: pass the signal on to the child and wait for it.
        Thread hook = new Thread(() -> stop(child), "keyhaven-run-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
        return code;
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
        }
    }
}
