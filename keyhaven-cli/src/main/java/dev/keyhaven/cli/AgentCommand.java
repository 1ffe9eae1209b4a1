package dev.keyhaven.cli;

import dev.keyhaven.cli.agent.Agent;
import dev.keyhaven.cli.agent.AgentConfig;
import dev.keyhaven.cli.agent.AgentConfigException;
import dev.keyhaven.cli.agent.AgentLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        description = {
            "Render secrets into files from templates and keep them up to date (see docs/cli.md).",
            "Logs on standard error; stops cleanly on SIGTERM or SIGINT."
        })
final class AgentCommand implements Callable<Integer> {
    /** How long a signal waits for the current write or post-render command before the JVM exits. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    @Spec
    CommandSpec spec;

    @Option(
            names = {"--config", "-c"},
            required = true,
            paramLabel = "<agent.yaml>",
            description = "The agent's YAML config: server, auth, poll interval and templates.")
    Path config;

    @Option(
            names = "--once",
            description = "Render every template once and exit: 0 when all were written, "
                    + "1 otherwise (for init containers and scripts).")
    boolean once;

    @Override
    public Integer call() throws InterruptedException {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        AgentConfig cfg;
        try {
            cfg = AgentConfig.load(cli.workDir.resolve(config), cli.env, cli.url);
        } catch (AgentConfigException e) {
            throw new KeyhavenCli.UserError(e.getMessage());
        }
        Agent agent = new Agent(cfg, new AgentLog(spec.commandLine().getErr()));
        if (once) {
            Agent.Round round = agent.round();
            if (!round.ok()) {
                throw new KeyhavenCli.UserError("Not every template was rendered"
                        + (round.problem() != null ? ": " + round.problem() : " (see the log above)") + ".");
            }
            return 0;
        }
        // SIGINT/SIGTERM run the shutdown hooks: let the loop finish its step and log that it stopped.
        Thread hook = new Thread(
                () -> {
                    agent.stop();
                    try {
                        agent.awaitFinished(STOP_GRACE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "keyhaven-agent-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        return 0;
    }
}
