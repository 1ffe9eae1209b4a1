package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Secret;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "secrets",
        mixinStandardHelpOptions = true,
        description = "List, get, set and delete secrets.",
        subcommands = {
            SecretsCommand.List.class,
            SecretsCommand.Get.class,
            SecretsCommand.Set.class,
            SecretsCommand.Delete.class
        })
final class SecretsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static KeyhavenCli cli(CommandSpec spec) {
        return (KeyhavenCli) spec.root().userObject();
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the secrets of a folder (values shown).")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Mixin
        FetchOptions fetch;

        @Option(
                names = {"--format", "-o"},
                defaultValue = "table",
                paramLabel = "<format>",
                description = "table (default), json, dotenv or yaml.")
        String format;

        @Override
        public Integer call() {
            KeyhavenCli cli = cli(spec);
            PrintWriter out = spec.commandLine().getOut();
            SecretList list = fetch.fetch(cli, spec.commandLine().getErr(), source.query(cli.workDir));
            out.print(Formats.secrets(list.mergedSecrets(), format, source.recursive));
            out.flush();
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print one or more secrets.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Option(
                names = {"--format", "-o"},
                defaultValue = "value",
                paramLabel = "<format>",
                description = "value (default: the bare values, one a line), table, json, dotenv or yaml.")
        String format;

        @Parameters(arity = "1..*", paramLabel = "KEY", description = "Secret names.")
        java.util.List<String> keys;

        @Override
        public Integer call() {
            KeyhavenCli cli = cli(spec);
            KeyhavenClient client = cli.client(spec.commandLine().getErr());
            SecretQuery q = source.query(cli.workDir);
            java.util.List<Secret> found = new ArrayList<>();
            for (String key : keys) {
                found.add(client.getSecret(q, key));
            }
            PrintWriter out = spec.commandLine().getOut();
            if ("value".equals(format)) {
                found.forEach(s -> out.println(s.value()));
            } else {
                out.print(Formats.secrets(found, format, false));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Create or update secrets: KEY=value, KEY=@file (the file's content), or --file.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Option(
                names = "--file",
                paramLabel = "<file>",
                description = "Read KEY=value pairs from a dotenv file, or a JSON object if it ends in .json.")
        Path file;

        @Parameters(
                arity = "0..*",
                paramLabel = "KEY=value",
                description = "Pairs; KEY=@path reads the value from a file.")
        java.util.List<String> pairs = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            KeyhavenCli cli = cli(spec);
            Map<String, String> values = new LinkedHashMap<>();
            if (file != null) {
                Path f = cli.workDir.resolve(file);
                String text = Files.readString(f, StandardCharsets.UTF_8);
                values.putAll(f.toString().endsWith(".json") ? Formats.parseJson(text) : Formats.parseDotenv(text));
            }
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new KeyhavenCli.UserError("'" + pair + "' is not KEY=value (use KEY=@file to read a file).");
                }
                String key = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (value.startsWith("@")) {
                    Path f = cli.workDir.resolve(value.substring(1));
                    if (!Files.isRegularFile(f)) {
                        throw new KeyhavenCli.UserError("Cannot read " + f + " for " + key + ": no such file.");
                    }
                    value = Files.readString(f, StandardCharsets.UTF_8);
                }
                values.put(key, value);
            }
            if (values.isEmpty()) {
                throw new KeyhavenCli.UserError("Nothing to set: pass KEY=value pairs or --file <file>.");
            }
            KeyhavenClient client = cli.client(spec.commandLine().getErr());
            SecretQuery q = source.query(cli.workDir);
            java.util.List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "RESULT"});
            for (Map.Entry<String, String> e : values.entrySet()) {
                KeyhavenClient.SetResult r = client.setSecret(q, e.getKey(), e.getValue());
                rows.add(new String[] {e.getKey(), r == KeyhavenClient.SetResult.CREATED ? "created" : "updated"});
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(Formats.table(rows));
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete secrets.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        SourceOptions source;

        @Parameters(arity = "1..*", paramLabel = "KEY", description = "Secret names.")
        java.util.List<String> keys;

        @Override
        public Integer call() {
            KeyhavenCli cli = cli(spec);
            KeyhavenClient client = cli.client(spec.commandLine().getErr());
            SecretQuery q = source.query(cli.workDir);
            PrintWriter out = spec.commandLine().getOut();
            for (String key : keys) {
                client.deleteSecret(q, key);
                out.println("Deleted " + key + " from " + q.environment() + ":" + q.secretPath() + ".");
            }
            out.flush();
            return 0;
        }
    }
}
