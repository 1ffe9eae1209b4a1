package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/auth/aws-auth}: login with a signed sts:GetCallerIdentity request, and configuration per identity. */
@RestController
@RequestMapping("/api/v1/auth/aws-auth")
public class AwsAuthController extends MachineAuthController<AwsAuthService.Settings> {
    private final AwsAuthService awsAuth;

    public AwsAuthController(AwsAuthService awsAuth, MethodConfigs configs) {
        super(awsAuth, configs, "identityAwsAuth", AwsAuthService.Settings.EMPTY);
        this.awsAuth = awsAuth;
    }

    @PostMapping("/login")
    @PublicEndpoint("logs a machine identity in with a signed AWS sts:GetCallerIdentity request")
    public Map<String, Object> login(@RequestBody AwsAuthService.Login body, HttpServletRequest request) {
        return awsAuth.login(body, ClientInfo.ip(request), ClientInfo.userAgent(request))
                .toResponse();
    }
}
