package dev.keyhaven.server.sso;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Organizations whose people sign in with OIDC, set up through the API as an admin would. */
final class SsoOrgs {
    static final String LOGIN = "/api/v1/sso/oidc/login";
    static final String CONFIG = "/api/v1/sso/oidc/config";

    /** An org admin's session, the org and its slug. */
    record Org(People.OrgAdmin admin, String slug) {
        String id() {
            return admin.orgId();
        }

        Api api() {
            return admin.api();
        }
    }

    private SsoOrgs() {}

    /** A new organization with {@code oidc} beside {@code password} among its login methods. */
    static Org newOrg(TestServer server, String prefix) {
        People.OrgAdmin admin = new People(server).orgAdmin(prefix);
        Res methods = admin.api()
                .patch(
                        "/api/v1/organization/" + admin.orgId(),
                        Map.of("allowedLoginMethods", List.of("password", "oidc")));
        assertThat(methods.status()).as(methods.toString()).isEqualTo(200);
        Res org = admin.api().get("/api/v1/organization/" + admin.orgId());
        return new Org(admin, org.body().path("organization").path("slug").asString());
    }

    /** Configures OIDC with {@code fields} on top of {@code organizationId} and {@code isActive: true}. */
    static Res configure(Org org, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("organizationId", org.id());
        body.putIfAbsent("isActive", true);
        return org.api().post(CONFIG, body);
    }

    /**
     * Makes {@code email} an accepted member of the org the way a person joins: the admin invites,
     * the person accepts by the mailed link (a new account gets the test password).
     */
    static void join(TestServer server, Org org, String email) {
        int before = TestMail.to(email).size();
        Res invite = org.api()
                .post("/api/v1/invite-org/signup", Map.of("inviteeEmails", List.of(email), "organizationId", org.id()));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
        String token = TestMail.find(TestMail.await(email, before + 1), "accept-invite\\?token=([0-9a-f]{64})");
        Res accept = server.anonymous()
                .post("/api/v1/invite-org/accept", Map.of("token", token, "password", People.PASSWORD));
        assertThat(accept.status()).as(accept.toString()).isEqualTo(200);
    }

    static String loginUrl(TestServer server, Org org) {
        return server.baseUrl + LOGIN + "?orgSlug=" + org.slug();
    }
}
