package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient.FolderImport;
import dev.keyhaven.client.SecretQuery;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "imports",
        mixinStandardHelpOptions = true,
        description = "List the secret imports of the folder --path, in their order (a later import wins).")
final class ImportsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(
            names = {"--format", "-o"},
            defaultValue = "table",
            paramLabel = "<format>",
            description = "table (default) or json.")
    String format;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        SecretQuery q = source.query(cli.workDir);
        List<FolderImport> imports =
                cli.client(spec.commandLine().getErr()).listImports(q.projectId(), q.environment(), q.secretPath());
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "table" -> {
                if (imports.isEmpty()) {
                    spec.commandLine()
                            .getErr()
                            .println("No imports in " + q.environment() + ":" + q.secretPath() + ".");
                    spec.commandLine().getErr().flush();
                } else {
                    int w = Math.max(
                            "ENVIRONMENT".length(),
                            imports.stream()
                                    .mapToInt(i -> i.environment().length())
                                    .max()
                                    .orElse(0));
                    out.println(String.format("%-4s %-" + w + "s %s", "#", "ENVIRONMENT", "PATH"));
                    for (FolderImport i : imports) {
                        out.println(String.format("%-4d %-" + w + "s %s", i.position(), i.environment(), i.path()));
                    }
                }
            }
            case "json" -> {
                StringBuilder b = new StringBuilder("[");
                for (FolderImport i : imports) {
                    b.append(b.length() > 1 ? ",\n  " : "\n  ")
                            .append("{\"id\": ")
                            .append(dev.keyhaven.client.Json.quote(i.id()))
                            .append(", \"environment\": ")
                            .append(dev.keyhaven.client.Json.quote(i.environment()))
                            .append(", \"path\": ")
                            .append(dev.keyhaven.client.Json.quote(i.path()))
                            .append(", \"position\": ")
                            .append(i.position())
                            .append('}');
                }
                out.println(b.append(imports.isEmpty() ? "]" : "\n]"));
            }
            default -> throw new KeyhavenCli.UserError("Unknown format '" + format + "': use table or json.");
        }
        out.flush();
        return 0;
    }
}
