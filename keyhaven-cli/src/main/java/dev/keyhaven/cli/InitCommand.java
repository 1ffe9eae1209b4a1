package dev.keyhaven.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write .keyhaven.json (project id, default environment and path) in the current directory.")
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project-id", required = true, paramLabel = "<id>", description = "Project id.")
    String projectId;

    @Option(
            names = {"--env", "-e"},
            defaultValue = "dev",
            paramLabel = "<slug>",
            description = "Default environment (default: dev).")
    String env;

    @Option(
            names = "--path",
            defaultValue = "/",
            paramLabel = "<path>",
            description = "Default folder path (default: /).")
    String path;

    @Override
    public Integer call() throws IOException {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        new ProjectConfig(projectId, env, path).write(cli.workDir);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote " + cli.workDir.resolve(ProjectConfig.FILE) + ": project " + projectId + ", environment "
                + env + ", path " + path + ".");
        out.flush();
        return 0;
    }
}
