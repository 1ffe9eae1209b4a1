package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.log.Redaction;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The configuration routes every machine auth method has, declared once with their permissions:
 * {@code POST|GET|PATCH|DELETE /api/v1/auth/<method>/identities/{identityId}}, answering
 * {@code {"identity<Method>Auth": view}} as Infisical does. A method's controller extends this
 * with {@code @RequestMapping("/api/v1/auth/<method>")}, passes its {@link MachineAuthMethod}, the
 * response key and its empty settings (an absent body on attach or update means "all defaults" or
 * "change nothing"), and adds only what is its own: the login route and any credential routes.
 */
public abstract class MachineAuthController<S> {
    private static final String IDENTITY = "/identities/{identityId}";

    private final MachineAuthMethod<S, ?> method;
    private final MethodConfigs configs;
    private final String key;
    private final S empty;

    MachineAuthController(MachineAuthMethod<S, ?> method, MethodConfigs configs, String key, S empty) {
        this.method = method;
        this.configs = configs;
        this.key = key;
        this.empty = empty;
    }

    /** The login body of the methods that log in with a token of their platform: the identity and the token. */
    record TokenLogin(String identityId, String jwt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping(IDENTITY)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) S body) {
        return Map.of(key, configs.attach(actor, identityId, method, body != null ? body : empty));
    }

    @GetMapping(IDENTITY)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of(key, configs.get(actor, identityId, method));
    }

    @PatchMapping(IDENTITY)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) S body) {
        return Map.of(key, configs.update(actor, identityId, method, body != null ? body : empty));
    }

    /** Detaches the method; every token issued through it stops working on its next request. */
    @DeleteMapping(IDENTITY)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of(key, configs.detach(actor, identityId, method));
    }
}
