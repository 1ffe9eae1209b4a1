package dev.keyhaven.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Print the secrets (imports merged) as dotenv, JSON, YAML or CSV, or write them to a file.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Mixin
    FetchOptions fetch;

    @Option(
            names = {"--format", "-f"},
            defaultValue = "dotenv",
            paramLabel = "<format>",
            description = "dotenv (default), json, yaml or csv.")
    String format;

    @Option(
            names = "--output",
            paramLabel = "<file>",
            description = "Write to this file (mode 0600) instead of stdout.")
    Path output;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        Map<String, String> values = fetch.fetch(cli, spec.commandLine().getErr(), source.query(cli.workDir))
                .merged();
        String text = switch (format) {
            case "dotenv" -> Formats.dotenv(values);
            case "json" -> Formats.json(values);
            case "yaml" -> Formats.yaml(values);
            case "csv" -> Formats.csv(values);
            default ->
                throw new KeyhavenCli.UserError("Unknown format '" + format + "': use dotenv, json, yaml or csv.");
        };
        if (output != null) {
            Path f = cli.workDir.resolve(output).toAbsolutePath();
            Session.writePrivate(f.getParent(), f.getFileName().toString(), text);
            spec.commandLine().getErr().println("Wrote " + values.size() + " secret(s) to " + f + ".");
            spec.commandLine().getErr().flush();
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }
        return 0;
    }
}
