package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.OwnAccount;
import dev.keyhaven.server.actor.Actor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/organization}: the caller's organizations; {@code /api/v1/organization/:organizationId}:
 * the organization's name and security policy.
 */
@RestController
public class OrgSettingsController {
    private final OrgSettingsService settings;

    public OrgSettingsController(OrgSettingsService settings) {
        this.settings = settings;
    }

    @GetMapping("/api/v1/organization")
    @OwnAccount(value = "lists the organizations one belongs to", identities = true)
    public Map<String, Object> list(Actor actor) {
        return settings.organizationsOf(actor);
    }

    @GetMapping("/api/v1/organization/{organizationId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String organizationId) {
        return settings.get(actor, organizationId);
    }

    @PatchMapping("/api/v1/organization/{organizationId}")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String organizationId, @RequestBody OrgSettingsService.Update body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", "Successfully updated organization");
        out.putAll(settings.update(actor, organizationId, body));
        return out;
    }
}
