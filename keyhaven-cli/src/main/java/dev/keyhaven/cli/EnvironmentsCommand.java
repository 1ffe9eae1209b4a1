package dev.keyhaven.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "environments", mixinStandardHelpOptions = true, description = "List the project's environments.")
final class EnvironmentsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project-id", paramLabel = "<id>", description = "Project id (default: from .keyhaven.json).")
    String projectId;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        SourceOptions so = new SourceOptions();
        so.projectId = projectId;
        String project = so.query(cli.workDir).projectId();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SLUG", "NAME"});
        cli.client(spec.commandLine().getErr())
                .listEnvironments(project)
                .forEach((slug, name) -> rows.add(new String[] {slug, name}));
        PrintWriter out = spec.commandLine().getOut();
        out.print(Formats.table(rows));
        out.flush();
        return 0;
    }
}
