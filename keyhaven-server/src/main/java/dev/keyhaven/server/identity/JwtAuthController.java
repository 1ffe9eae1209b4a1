package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/jwt-auth}: login with a JWT, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/jwt-auth")
public class JwtAuthController extends MachineAuthController<JwtAuthService.Settings> {
    private final JwtAuthService jwtAuth;

    public JwtAuthController(JwtAuthService jwtAuth, MethodConfigs configs) {
        super(jwtAuth, configs, "identityJwtAuth", JwtAuthService.Settings.EMPTY);
        this.jwtAuth = jwtAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with a JWT from a trusted issuer")
    public Map<String, Object> login(@RequestBody TokenLogin body, HttpServletRequest request) {
        return jwtAuth.login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
