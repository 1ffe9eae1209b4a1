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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/universal-auth}: login, configuration per identity, client secrets. */
@RestController
@RequestMapping("/api/v1/auth/universal-auth")
public class UniversalAuthController extends MachineAuthController<UniversalAuthSettings> {
    private static final String BASE = "/identities/{identityId}";
    private final UniversalAuthService ua;

    public UniversalAuthController(UniversalAuthService ua, MethodConfigs configs) {
        super(ua, configs, "identityUniversalAuth", UniversalAuthSettings.EMPTY);
        this.ua = ua;
    }

    record Login(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record NewClientSecret(String description, Long numUsesLimit, Long ttl) {}

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with its client credentials")
    public Map<String, Object> login(@RequestBody Login body, HttpServletRequest request) {
        return ua.login(body.clientId(), body.clientSecret(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }

    @PostMapping(BASE + "/client-secrets")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> createSecret(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) NewClientSecret body) {
        NewClientSecret b = body == null ? new NewClientSecret(null, null, null) : body;
        return ua.createClientSecret(actor, identityId, b.description(), b.numUsesLimit(), b.ttl());
    }

    @GetMapping(BASE + "/client-secrets")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> listSecrets(Actor actor, @PathVariable String identityId) {
        return Map.of("clientSecretData", ua.listClientSecrets(actor, identityId));
    }

    @GetMapping(BASE + "/client-secrets/{clientSecretId}")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> getSecret(
            Actor actor, @PathVariable String identityId, @PathVariable String clientSecretId) {
        return Map.of("clientSecretData", ua.getClientSecret(actor, identityId, clientSecretId));
    }

    @PostMapping(BASE + "/client-secrets/{clientSecretId}/revoke")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> revokeSecret(
            Actor actor, @PathVariable String identityId, @PathVariable String clientSecretId) {
        return Map.of("clientSecretData", ua.revokeClientSecret(actor, identityId, clientSecretId));
    }

    @PostMapping(BASE + "/clear-lockouts")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> clearLockouts(Actor actor, @PathVariable String identityId) {
        return Map.of("deleted", ua.clearLockouts(actor, identityId));
    }
}
