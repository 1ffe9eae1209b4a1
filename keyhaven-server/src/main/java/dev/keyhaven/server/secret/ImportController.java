package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/secret-imports}: the ordered imports of a folder. */
@RestController
public class ImportController {
    private final ImportService imports;

    public ImportController(ImportService imports) {
        this.imports = imports;
    }

    @PostMapping("/api/v1/secret-imports")
    @ProjectPermission(subject = ProjectSubject.SECRET_IMPORTS, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody ImportRequest body) {
        return Map.of(
                "message",
                "Successfully created secret import",
                "secretImport",
                imports.create(
                        actor,
                        body.project(),
                        body.environment(),
                        body.folderPath(),
                        body.sourceEnvironment(),
                        body.sourcePath(),
                        Boolean.TRUE.equals(body.isReplication())));
    }

    @PatchMapping("/api/v1/secret-imports/{importId}")
    @ProjectPermission(subject = ProjectSubject.SECRET_IMPORTS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(Actor actor, @PathVariable String importId, @RequestBody ImportRequest body) {
        return Map.of(
                "message",
                "Successfully updated secret import",
                "secretImport",
                imports.update(
                        actor,
                        body.project(),
                        body.environment(),
                        body.folderPath(),
                        importId,
                        body.sourceEnvironment(),
                        body.sourcePath(),
                        body.sourcePosition()));
    }

    @DeleteMapping("/api/v1/secret-imports/{importId}")
    @ProjectPermission(subject = ProjectSubject.SECRET_IMPORTS, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String importId, @RequestBody ImportRequest body) {
        return Map.of(
                "message",
                "Successfully deleted secret import",
                "secretImport",
                imports.delete(actor, body.project(), body.environment(), body.folderPath(), importId));
    }

    @GetMapping("/api/v1/secret-imports")
    @ProjectPermission(subject = ProjectSubject.SECRET_IMPORTS, actions = ProjectAction.READ)
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String workspaceId,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String path,
            @RequestParam(required = false) String directory) {
        return Map.of(
                "message",
                "Successfully fetched secret imports",
                "secretImports",
                imports.list(
                        actor,
                        workspaceId != null ? workspaceId : projectId,
                        environment,
                        path != null ? path : directory));
    }
}
