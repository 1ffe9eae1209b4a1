package dev.keyhaven.server.secret;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of secret-import writes: the destination folder and, under {@code import}, the source
 * environment, path and (on update) position.
 */
record ImportRequest(
        String workspaceId,
        String projectId,
        String environment,
        String path,
        String directory,
        @JsonProperty("import") Map<String, Object> source,
        Boolean isReplication) {

    String project() {
        return workspaceId != null ? workspaceId : projectId;
    }

    String folderPath() {
        return path != null ? path : directory;
    }

    String sourceEnvironment() {
        Object v = source == null ? null : source.get("environment");
        return v == null ? null : v.toString();
    }

    String sourcePath() {
        Object v = source == null ? null : source.get("path");
        return v == null ? null : v.toString();
    }

    Integer sourcePosition() {
        Object v = source == null ? null : source.get("position");
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        throw dev.keyhaven.server.platform.web.ValidationException.invalidType("import.position", "number", "string");
    }
}
