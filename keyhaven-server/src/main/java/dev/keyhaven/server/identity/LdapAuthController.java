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
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/ldap-auth}: login with a directory username and password, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/ldap-auth")
public class LdapAuthController extends MachineAuthController<LdapAuthService.Settings> {
    private static final String BASE = "/identities/{identityId}";
    private final LdapAuthService ldapAuth;

    public LdapAuthController(LdapAuthService ldapAuth, MethodConfigs configs) {
        super(ldapAuth, configs, "identityLdapAuth", LdapAuthService.Settings.EMPTY);
        this.ldapAuth = ldapAuth;
    }

    record Login(String identityId, String username, String password) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/login")
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

    @PostMapping(BASE + "/clear-lockouts")
    @OrgPermission(subject = OrgSubject.IDENTITY, actions = OrgAction.EDIT)
    public Map<String, Object> clearLockouts(Actor actor, @PathVariable String identityId) {
        return Map.of("deleted", ldapAuth.clearLockouts(actor, identityId));
    }
}
