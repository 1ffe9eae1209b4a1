package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.platform.web.PublicEndpoint;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every mapped API endpoint declares the permission it checks; the few that take no token are
 * exactly the allow-list below.
 */
class EndpointPolicyTest {
    private static final Set<String> PUBLIC = Set.of(
            "GET /api/status",
            "POST /api/v1/admin/bootstrap",
            "POST /api/v1/auth/universal-auth/login",
            "POST /api/v1/auth/jwt-auth/login",
            "POST /api/v1/auth/kubernetes-auth/login",
            "POST /api/v1/auth/oidc-auth/login",
            "POST /api/v1/auth/gcp-auth/login",
            "POST /api/v1/auth/azure-auth/login",
            "POST /api/v1/auth/ldap-auth/login",
            "POST /api/v1/auth/aws-auth/login",
            "POST /api/v1/auth/token/renew",
            "POST /api/v1/auth/token/revoke",
            "POST /api/v1/auth/signup",
            "POST /api/v1/auth/email/verify",
            "POST /api/v1/auth/login",
            "POST /api/v1/auth/mfa/verify",
            "POST /api/v1/auth/session/refresh",
            "POST /api/v1/auth/password/reset-request",
            "POST /api/v1/auth/password/reset",
            "POST /api/v1/invite-org/accept");

    @Test
    void everyEndpointDeclaresAPermissionOrIsOnThePublicAllowList() {
        TestServer server = TestServers.shared(Db.SQLITE);
        RequestMappingHandlerMapping mapping = server.context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        assertThat(EndpointPolicyCheck.undeclared(mapping.getHandlerMethods())).isEmpty();

        Set<String> publicRoutes = new TreeSet<>();
        int apiRoutes = 0;
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            var info = entry.getKey();
            if (info.getPatternValues().stream().noneMatch(p -> p.startsWith("/api/"))) {
                continue;
            }
            apiRoutes++;
            if (entry.getValue().hasMethodAnnotation(PublicEndpoint.class)) {
                for (var method : info.getMethodsCondition().getMethods()) {
                    for (String pattern : info.getPatternValues()) {
                        publicRoutes.add(method.name() + " " + pattern);
                    }
                }
            }
        }
        assertThat(publicRoutes).isEqualTo(new TreeSet<>(PUBLIC));
        assertThat(apiRoutes).isGreaterThan(50);
    }
}
