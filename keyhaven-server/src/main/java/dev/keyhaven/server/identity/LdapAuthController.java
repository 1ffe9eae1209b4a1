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

/** {@code /api/v1/auth/ldap-auth}: login with a directory username and password, and configuration per identity. */
@RestController
public class LdapAuthController {
    private static final String BASE = "/api/v1/auth/ldap-auth/identities/{identityId}";
    private final LdapAuthService ldapAuth;

    public LdapAuthController(LdapAuthService ldapAuth) {
        this.ldapAuth = ldapAuth;
    }

    record Login(String identityId, String username, String password) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/auth/ldap-auth/login")
    @PublicEndpoint("logs a machine identity in with a username and password that its LDAP directory accepts")
    public Map<String, Object> login(@RequestBody Login body, HttpServletRequest request) {
        return ldapAuth.login(
                        body.identityId(),
                        body.username(),
                        body.password(),
                        ClientInfo.ip(request),
                        ClientInfo.userAgent(request))
                .toResponse();
    }

    @PostMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.CREATE)
    public Map<String, Object> attach(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) LdapAuthService.Settings body) {
        return Map.of("identityLdapAuth", ldapAuth.attach(actor, identityId, orEmpty(body)));
    }

    @GetMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String identityId) {
        return Map.of("identityLdapAuth", ldapAuth.get(actor, identityId));
    }

    @PatchMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> update(
            Actor actor,
            @PathVariable String identityId,
            @RequestBody(required = false) LdapAuthService.Settings body) {
        return Map.of("identityLdapAuth", ldapAuth.update(actor, identityId, orEmpty(body)));
    }

    @DeleteMapping(BASE)
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> detach(Actor actor, @PathVariable String identityId) {
        return Map.of("identityLdapAuth", ldapAuth.detach(actor, identityId));
    }

    @PostMapping(BASE + "/clear-lockouts")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> clearLockouts(Actor actor, @PathVariable String identityId) {
        return Map.of("deleted", ldapAuth.clearLockouts(actor, identityId));
    }

    private static LdapAuthService.Settings orEmpty(LdapAuthService.Settings body) {
        return body != null ? body : LdapAuthService.Settings.EMPTY;
    }
}
