package dev.keyhaven.cli;

import dev.keyhaven.client.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/** {@code .keyhaven.json}: project id, default environment and path, found in the directory or a parent. */
record ProjectConfig(String projectId, String defaultEnvironment, String defaultPath) {
    static final String FILE = ".keyhaven.json";

    static ProjectConfig find(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(FILE);
            if (Files.isRegularFile(file)) {
                try {
                    Object n = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
                    return new ProjectConfig(
                            Json.str(n, "projectId", null),
                            Json.str(n, "defaultEnvironment", null),
                            Json.str(n, "defaultPath", null));
                } catch (IOException | RuntimeException e) {
                    throw new KeyhavenCli.UserError(
                            "Cannot read " + file + " (" + e.getMessage() + "). Fix it or run `keyhaven init` again.");
                }
            }
        }
        return null;
    }

    void write(Path dir) throws IOException {
        ObjectNode n = Json.Databind.MAPPER
                .createObjectNode()
                .put("projectId", projectId)
                .put("defaultEnvironment", defaultEnvironment)
                .put("defaultPath", defaultPath);
        Files.writeString(
                dir.resolve(FILE),
                Json.Databind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
                StandardCharsets.UTF_8);
    }
}
