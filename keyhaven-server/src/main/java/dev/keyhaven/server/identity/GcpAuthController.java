package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/gcp-auth}: login with a GCP token, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/gcp-auth")
public class GcpAuthController extends MachineAuthController<GcpAuthService.Settings> {
    private final GcpAuthService gcpAuth;

    public GcpAuthController(GcpAuthService gcpAuth, MethodConfigs configs) {
        super(gcpAuth, configs, "identityGcpAuth", GcpAuthService.Settings.EMPTY);
        this.gcpAuth = gcpAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with a Google-signed ID token or a service-account-signed JWT")
    public Map<String, Object> login(@RequestBody TokenLogin body, HttpServletRequest request) {
        return gcpAuth.login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
