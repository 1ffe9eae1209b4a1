package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.Flags;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/folders}: the folder tree; {@code directory} is accepted as an alias of {@code path}. */
@RestController
public class FolderController {
    private final FolderService folders;

    public FolderController(FolderService folders) {
        this.folders = folders;
    }

    record FolderBody(
            String workspaceId,
            String projectId,
            String environment,
            String name,
            String path,
            String directory,
            String description) {
        String project() {
            return workspaceId != null ? workspaceId : projectId;
        }

        String folderPath() {
            return path != null ? path : directory;
        }
    }

    @PostMapping("/api/v1/folders")
    @ProjectPermission(subject = ProjectSubject.SECRET_FOLDERS, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody FolderBody body) {
        Folder f = folders.create(
                actor, body.project(), body.environment(), body.folderPath(), body.name(), body.description());
        return Map.of("folder", FolderService.toJson(f, null));
    }

    @PatchMapping("/api/v1/folders/{folderId}")
    @ProjectPermission(subject = ProjectSubject.SECRET_FOLDERS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(Actor actor, @PathVariable String folderId, @RequestBody FolderBody body) {
        Folder f = folders.update(
                actor,
                body.project(),
                body.environment(),
                folderId,
                body.folderPath(),
                body.name(),
                body.description());
        return Map.of("folder", FolderService.toJson(f, null));
    }

    @DeleteMapping("/api/v1/folders/{folderIdOrName}")
    @ProjectPermission(subject = ProjectSubject.SECRET_FOLDERS, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String folderIdOrName, @RequestBody FolderBody body) {
        Folder f = folders.delete(actor, body.project(), body.environment(), folderIdOrName, body.folderPath());
        return Map.of("folder", FolderService.toJson(f, null));
    }

    @GetMapping("/api/v1/folders")
    @ProjectPermission(subject = ProjectSubject.SECRET_FOLDERS, actions = ProjectAction.READ)
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String workspaceId,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String path,
            @RequestParam(required = false) String directory,
            @RequestParam(required = false) String recursive) {
        return Map.of(
                "folders",
                folders.list(
                        actor,
                        workspaceId != null ? workspaceId : projectId,
                        environment,
                        path != null ? path : directory,
                        Flags.parseLoose("recursive", recursive, false)));
    }

    @GetMapping("/api/v1/folders/{folderId}")
    @ProjectPermission(subject = ProjectSubject.SECRET_FOLDERS, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String folderId) {
        return Map.of("folder", folders.get(actor, folderId));
    }
}
