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

/** {@code /api/v1/auth/azure-auth}: login with a Azure token, and configuration per identity. */
@RestController
public class AzureAuthController {
    private static final String BASE = "/api/v1/auth/azure-auth/identities/{identityId}";
    private final AzureAuthService azureAuth;

    public AzureAuthController(AzureAuthService azureAuth) {
        this.azureAuth = azureAuth;
    }

    record Login(String identityId, String jwt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/auth/azure-auth/login")
    @PublicEndpoint("logs a machine identity in with an Entra ID token of an Azure managed identity")
    public Map<String, Object> login(@RequestBody Login body, HttpServletRequest request) {
        return azureAuth
                .login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) AzureAuthService.Settings body) {
        return Map.of("identityAzureAuth", azureAuth.attach(actor, identityId, orEmpty(body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identityAzureAuth", azureAuth.get(actor, identityId));
    }

    @PatchMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) AzureAuthService.Settings body) {
        return Map.of("identityAzureAuth", azureAuth.update(actor, identityId, orEmpty(body)));
    }

    @DeleteMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of("identityAzureAuth", azureAuth.detach(actor, identityId));
    }

    private static AzureAuthService.Settings orEmpty(AzureAuthService.Settings body) {
        return body != null ? body : AzureAuthService.Settings.EMPTY;
    }
}
