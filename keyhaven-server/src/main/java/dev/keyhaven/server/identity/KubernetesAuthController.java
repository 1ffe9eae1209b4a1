package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/kubernetes-auth}: login with a service-account token, and configuration per identity. */
@RestController
public class KubernetesAuthController {
    private static final String BASE = "/api/v1/auth/kubernetes-auth/identities/{identityId}";
    private final KubernetesAuthService kubernetesAuth;

    public KubernetesAuthController(KubernetesAuthService kubernetesAuth) {
        this.kubernetesAuth = kubernetesAuth;
    }

    record Login(String identityId, String jwt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/auth/kubernetes-auth/login")
    @PublicEndpoint("logs a machine identity in with a Kubernetes service-account token")
    public Map<String, Object> login(@RequestBody Login body, HttpServletRequest request) {
        return kubernetesAuth
                .login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) KubernetesAuthSettings.Request body) {
        return Map.of("identityKubernetesAuth", kubernetesAuth.attach(actor, identityId, orEmpty(body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identityKubernetesAuth", kubernetesAuth.get(actor, identityId));
    }

    @PatchMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) KubernetesAuthSettings.Request body) {
        return Map.of("identityKubernetesAuth", kubernetesAuth.update(actor, identityId, orEmpty(body)));
    }

    @DeleteMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of("identityKubernetesAuth", kubernetesAuth.detach(actor, identityId));
    }

    private static KubernetesAuthSettings.Request orEmpty(KubernetesAuthSettings.Request body) {
        return body != null ? body : KubernetesAuthSettings.Request.EMPTY;
    }
}
