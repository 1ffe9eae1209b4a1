package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/kubernetes-auth}: login with a service-account token, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/kubernetes-auth")
public class KubernetesAuthController extends MachineAuthController<KubernetesAuthSettings.Request> {
    private final KubernetesAuthService kubernetesAuth;

    public KubernetesAuthController(KubernetesAuthService kubernetesAuth, MethodConfigs configs) {
        super(kubernetesAuth, configs, "identityKubernetesAuth", KubernetesAuthSettings.Request.EMPTY);
        this.kubernetesAuth = kubernetesAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with a Kubernetes service-account token")
    public Map<String, Object> login(@RequestBody TokenLogin body, HttpServletRequest request) {
        return kubernetesAuth
                .login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
