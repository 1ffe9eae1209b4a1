package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/azure-auth}: login with a Azure token, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/azure-auth")
public class AzureAuthController extends MachineAuthController<AzureAuthService.Settings> {
    private final AzureAuthService azureAuth;

    public AzureAuthController(AzureAuthService azureAuth, MethodConfigs configs) {
        super(azureAuth, configs, "identityAzureAuth", AzureAuthService.Settings.EMPTY);
        this.azureAuth = azureAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with an Entra ID token of an Azure managed identity")
    public Map<String, Object> login(@RequestBody TokenLogin body, HttpServletRequest request) {
        return azureAuth
                .login(body.identityId(), body.jwt(), ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
