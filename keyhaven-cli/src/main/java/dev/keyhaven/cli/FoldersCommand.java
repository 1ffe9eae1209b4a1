package dev.keyhaven.cli;

import dev.keyhaven.client.SecretQuery;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "folders", mixinStandardHelpOptions = true, description = "List the folders directly under --path.")
final class FoldersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        SecretQuery q = source.query(cli.workDir);
        PrintWriter out = spec.commandLine().getOut();
        cli.client(spec.commandLine().getErr())
                .listFolders(q.projectId(), q.environment(), q.secretPath())
                .forEach(out::println);
        out.flush();
        return 0;
    }
}
