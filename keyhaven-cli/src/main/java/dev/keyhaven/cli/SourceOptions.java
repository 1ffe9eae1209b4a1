package dev.keyhaven.cli;

import dev.keyhaven.client.SecretQuery;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where secrets come from: --project-id, --env, --path and the list flags, with .keyhaven.json defaults. */
final class SourceOptions {
    @Option(names = "--project-id", paramLabel = "<id>", description = "Project id (default: from .keyhaven.json).")
    String projectId;

    @Option(
            names = {"--env", "-e"},
            paramLabel = "<slug>",
            description = "Environment slug (default: from .keyhaven.json, else dev).")
    String env;

    @Option(
            names = "--path",
            paramLabel = "<path>",
            description = "Folder path (default: from .keyhaven.json, else /).")
    String path;

    @Option(names = "--recursive", description = "Include the secrets of every folder below --path.")
    boolean recursive;

    @Option(
            names = "--expand",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Expand secret references like $${KEY} (default: true; --no-expand to turn off).")
    boolean expand;

    @Option(
            names = "--include-imports",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Include imported secrets (default: true; --no-include-imports to turn off).")
    boolean includeImports;

    SecretQuery query(Path workDir) {
        ProjectConfig cfg = ProjectConfig.find(workDir);
        String project = projectId != null ? projectId : cfg != null ? cfg.projectId() : null;
        if (project == null || project.isBlank()) {
            throw new KeyhavenCli.UserError("No project id. Pass --project-id <id>, or run "
                    + "`keyhaven init --project-id <id> --env <slug>` in this directory.");
        }
        String e =
                env != null ? env : cfg != null && cfg.defaultEnvironment() != null ? cfg.defaultEnvironment() : "dev";
        String p = path != null ? path : cfg != null && cfg.defaultPath() != null ? cfg.defaultPath() : "/";
        return new SecretQuery(project, e, p, expand, includeImports, recursive);
    }
}
