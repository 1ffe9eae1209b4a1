package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.platform.web.PublicEndpoint;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.HashMap;
import java.util.Map;
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
            "POST /api/v1/invite-org/accept",
            "GET /api/v1/sso/oidc/login",
            "GET /api/v1/sso/oidc/callback");

    /** Routes only a person's session may call (Infisical's JWT-only routes); identities get 403. */
    private static final Set<String> PEOPLE_ONLY = Set.of(
            "POST /api/v1/user-project-additional-privilege",
            "GET /api/v1/user-project-additional-privilege",
            "GET /api/v1/user-project-additional-privilege/{privilegeId}",
            "PATCH /api/v1/user-project-additional-privilege/{privilegeId}",
            "DELETE /api/v1/user-project-additional-privilege/{privilegeId}",
            "GET /api/v1/admin/outbox",
            "GET /api/v1/admin/root-key");

    @Test
    void peopleOnlyEndpointsAreExactlyTheListAndStillDeclareAPermission() {
        TestServer server = TestServers.shared(Db.SQLITE);
        RequestMappingHandlerMapping mapping =
                server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> peopleOnly = new TreeSet<>();
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            if (!entry.getValue().hasMethodAnnotation(PeopleOnly.class)) {
                continue;
            }
            assertThat(DeclaredPermission.of(entry.getValue().getMethod()))
                    .as("%s narrows who may call; it does not replace the permission", entry.getKey())
                    .isPresent();
            for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                for (String pattern : entry.getKey().getPatternValues()) {
                    peopleOnly.add(method.name() + " " + pattern);
                }
            }
        }
        assertThat(peopleOnly).isEqualTo(new TreeSet<>(PEOPLE_ONLY));
    }

    /** Own-account routes that machine identities may call too: each reads only the caller itself. */
    private static final Set<String> OWN_ACCOUNT_FOR_IDENTITIES = Set.of("GET /api/v1/organization");

    @Test
    void ownAccountRoutesOpenToIdentitiesAreExactlyTheList() {
        TestServer server = TestServers.shared(Db.SQLITE);
        RequestMappingHandlerMapping mapping =
                server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Set<String> open = new TreeSet<>();
        for (var entry : mapping.getHandlerMethods().entrySet()) {
            OwnAccount own = entry.getValue().getMethodAnnotation(OwnAccount.class);
            if (own == null || !own.identities()) {
                continue;
            }
            for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                for (String pattern : entry.getKey().getPatternValues()) {
                    open.add(method.name() + " " + pattern);
                }
            }
        }
        assertThat(open).isEqualTo(new TreeSet<>(OWN_ACCOUNT_FOR_IDENTITIES));
    }

    @Test
    void everyEndpointDeclaresAPermissionOrIsOnThePublicAllowList() {
        TestServer server = TestServers.shared(Db.SQLITE);
        RequestMappingHandlerMapping mapping =
                server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        assertThat(EndpointPolicyCheck.undeclared(mapping.getHandlerMethods())).isEmpty();
        assertThat(EndpointPolicyCheck.outsideVocabulary(mapping.getHandlerMethods()))
                .isEmpty();

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

    /** Each older route and the current route it translates to, which must check the same permission. */
    private static final Map<String, String> OLDER_ROUTES = Map.ofEntries(
            Map.entry("POST /api/v1/workspace/{projectSlug}/roles", "POST /api/v2/workspace/{projectId}/roles"),
            Map.entry(
                    "PATCH /api/v1/workspace/{projectSlug}/roles/{roleId}",
                    "PATCH /api/v2/workspace/{projectId}/roles/{roleId}"),
            Map.entry(
                    "DELETE /api/v1/workspace/{projectSlug}/roles/{roleId}",
                    "DELETE /api/v2/workspace/{projectId}/roles/{roleId}"),
            Map.entry("GET /api/v1/workspace/{projectSlug}/roles", "GET /api/v2/workspace/{projectId}/roles"),
            Map.entry(
                    "GET /api/v1/workspace/{projectSlug}/roles/slug/{roleSlug}",
                    "GET /api/v2/workspace/{projectId}/roles/slug/{roleSlug}"),
            Map.entry("POST /api/v1/organization/{organizationId}/roles", "POST /api/v1/organization/roles"),
            Map.entry("GET /api/v1/organization/{organizationId}/roles", "GET /api/v1/organization/roles"),
            Map.entry(
                    "GET /api/v1/organization/{organizationId}/roles/{roleId}",
                    "GET /api/v1/organization/roles/{roleId}"),
            Map.entry(
                    "PATCH /api/v1/organization/{organizationId}/roles/{roleId}",
                    "PATCH /api/v1/organization/roles/{roleId}"),
            Map.entry(
                    "DELETE /api/v1/organization/{organizationId}/roles/{roleId}",
                    "DELETE /api/v1/organization/roles/{roleId}"),
            Map.entry(
                    "POST /api/v1/additional-privilege/identity/permanent",
                    "POST /api/v2/identity-project-additional-privilege"),
            Map.entry(
                    "POST /api/v1/additional-privilege/identity/temporary",
                    "POST /api/v2/identity-project-additional-privilege"),
            Map.entry(
                    "PATCH /api/v1/additional-privilege/identity",
                    "PATCH /api/v2/identity-project-additional-privilege/{privilegeId}"),
            Map.entry(
                    "DELETE /api/v1/additional-privilege/identity",
                    "DELETE /api/v2/identity-project-additional-privilege/{privilegeId}"),
            Map.entry(
                    "GET /api/v1/additional-privilege/identity/{privilegeSlug}",
                    "GET /api/v2/identity-project-additional-privilege/slug/{slug}"),
            Map.entry(
                    "GET /api/v1/additional-privilege/identity", "GET /api/v2/identity-project-additional-privilege"));

    @Test
    void olderRouteGenerationsDeclareTheSamePermissionAsTheCurrentOnes() {
        TestServer server = TestServers.shared(Db.SQLITE);
        RequestMappingHandlerMapping mapping =
                server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        Map<String, String> declared = new HashMap<>();
        mapping.getHandlerMethods().forEach((info, method) -> {
            DeclaredPermission p = DeclaredPermission.of(method.getMethod()).orElse(null);
            for (var m : info.getMethodsCondition().getMethods()) {
                for (String pattern : info.getPatternValues()) {
                    declared.put(m.name() + " " + pattern, p == null ? "none" : p.toString());
                }
            }
        });
        OLDER_ROUTES.forEach((older, current) -> {
            assertThat(declared).as(older).containsKey(older);
            assertThat(declared.get(older)).as(older).isNotEqualTo("none").isEqualTo(declared.get(current));
        });
    }
}
