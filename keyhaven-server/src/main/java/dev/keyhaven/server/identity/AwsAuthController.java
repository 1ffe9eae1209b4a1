package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgPermission;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ClientInfo;
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

/** {@code /api/v1/auth/aws-auth}: login with a signed sts:GetCallerIdentity request, and configuration per identity. */
@RestController
public class AwsAuthController {
    private static final String BASE = "/api/v1/auth/aws-auth/identities/{identityId}";
    private final AwsAuthService awsAuth;

    public AwsAuthController(AwsAuthService awsAuth) {
        this.awsAuth = awsAuth;
    }

    @PostMapping("/api/v1/auth/aws-auth/login")
    @PublicEndpoint("logs a machine identity in with a signed AWS sts:GetCallerIdentity request")
    public Map<String, Object> login(@RequestBody AwsAuthService.Login body, HttpServletRequest request) {
        return awsAuth.login(body, ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) AwsAuthService.Settings body) {
        return Map.of("identityAwsAuth", awsAuth.attach(actor, identityId, orEmpty(body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identityAwsAuth", awsAuth.get(actor, identityId));
    }

    @PatchMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String identityId, @RequestBody(required = false) AwsAuthService.Settings body) {
        return Map.of("identityAwsAuth", awsAuth.update(actor, identityId, orEmpty(body)));
    }

    @DeleteMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of("identityAwsAuth", awsAuth.detach(actor, identityId));
    }

    private static AwsAuthService.Settings orEmpty(AwsAuthService.Settings body) {
        return body != null ? body : AwsAuthService.Settings.EMPTY;
    }
}
