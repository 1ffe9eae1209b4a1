package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/oidc-auth}: login with a JWT, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/oidc-auth")
public class OidcAuthController extends MachineAuthController<OidcAuthService.Settings> {
    private final OidcAuthService oidcAuth;

    public OidcAuthController(OidcAuthService oidcAuth, MethodConfigs configs) {
        super(oidcAuth, configs, "identityOidcAuth", OidcAuthService.Settings.EMPTY);
        this.oidcAuth = oidcAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with an ID token from a trusted OpenID provider")
    public Map<String, Object> login(@RequestBody TokenLogin body, HttpServletRequest request) {
        return oidcAuth.login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
