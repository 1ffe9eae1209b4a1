package dev.keyhaven.server.admin;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PeopleOnly;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.RootKeyStatus;
import dev.keyhaven.server.org.OrgService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/root-key}: which root key this node uses, the previous root keys given
 * for a rotation, how many keys each root key still wraps (a rotation has finished when only the
 * current one is left) and the in-memory key bound, for the instance administrator. Key ids and
 * sources only, never key material.
 */
@RestController
public class RootKeyController {
    private final Keyring keyring;
    private final PermissionService permissions;
    private final OrgService orgs;

    public RootKeyController(Keyring keyring, PermissionService permissions, OrgService orgs) {
        this.keyring = keyring;
        this.permissions = permissions;
        this.orgs = orgs;
    }

    @GetMapping("/api/v1/admin/root-key")
    @OrgPermission(subject = OrgSubject.SETTINGS, actions = OrgAction.EDIT)
    @PeopleOnly
    public Map<String, Object> status(Actor actor) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        orgs.requireInstanceAdmin(actor, "read the root key status");
        RootKeyStatus s = keyring.rootKeyStatus();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rootKeyId", s.rootKeyId());
        out.put("source", s.source());
        out.put("previousRootKeyIds", s.previousRootKeyIds());
        out.put("keysByRootKey", s.keysByRootKey());
        out.put("rotationPending", s.rotationPending());
        out.put("keyCacheSeconds", s.keyCacheSeconds());
        return out;
    }
}
