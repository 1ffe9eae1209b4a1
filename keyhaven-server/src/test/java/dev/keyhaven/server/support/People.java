package dev.keyhaven.server.support;

import dev.keyhaven.server.crypto.Totp;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** People for tests, made through the API the way a person would: sign up, verify by mail, log in. */
public final class People {
    public static final String PASSWORD = "a long enough test password";
    private final TestServer server;

    public People(TestServer server) {
        this.server = server;
    }

    /** A new, verified account with a unique address; returns the address. */
    public String signUp(String prefix) {
        String email = Fixtures.unique(prefix).toLowerCase() + "@example.com";
        Res r = server.anonymous().post("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        if (r.status() != 200) {
            throw new IllegalStateException("sign-up failed: " + r);
        }
        MimeMessage m = TestMail.await(email, 1);
        String token = TestMail.find(m, "verify-email\\?token=([0-9a-f]{64})");
        Res v = server.anonymous().post("/api/v1/auth/email/verify", Map.of("token", token));
        if (v.status() != 200) {
            throw new IllegalStateException("verification failed: " + v);
        }
        return email;
    }

    public Res login(String email, String password) {
        return server.anonymous().post("/api/v1/auth/login", Map.of("email", email, "password", password));
    }

    public Res login(String email, String password, String orgId) {
        Map<String, Object> body = new HashMap<>(Map.of("email", email, "password", password));
        body.put("organizationId", orgId);
        return server.anonymous().post("/api/v1/auth/login", body);
    }

    /** Logs in without a second factor and returns the access token. */
    public String token(String email) {
        Res r = login(email, PASSWORD);
        if (r.status() != 200 || r.body().path("accessToken").isMissingNode()) {
            throw new IllegalStateException("login failed: " + r);
        }
        return r.body().path("accessToken").asString();
    }

    /** A person with a session in a new organization they administer. */
    public record OrgAdmin(String email, Api api, String orgId) {}

    public OrgAdmin orgAdmin(String prefix) {
        String email = signUp(prefix);
        Api api = server.as(token(email));
        Res org = api.post("/api/v2/organizations", Map.of("name", "Org of " + prefix));
        if (org.status() != 200) {
            throw new IllegalStateException("org creation failed: " + org);
        }
        String orgId = org.body().path("organization").path("id").asString();
        Res select = api.post("/api/v1/auth/select-organization", Map.of("organizationId", orgId));
        if (select.status() != 200) {
            throw new IllegalStateException("org selection failed: " + select);
        }
        return new OrgAdmin(email, api, orgId);
    }

    /** Invites a new address into the admin's organization, accepts by mail and logs in; returns the address. */
    public String invitedMember(OrgAdmin admin, String prefix, String role) {
        return invitedMember(admin, prefix, role, "example.com");
    }

    public String invitedMember(OrgAdmin admin, String prefix, String role, String domain) {
        String email = Fixtures.unique(prefix).toLowerCase() + "@" + domain;
        Res invite = admin.api()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                java.util.List.of(email),
                                "organizationId",
                                admin.orgId(),
                                "organizationRoleSlug",
                                role));
        if (invite.status() != 200) {
            throw new IllegalStateException("invite failed: " + invite);
        }
        String token = TestMail.find(TestMail.await(email, 1), "accept-invite\\?token=([0-9a-f]{64})");
        Res accept = server.anonymous().post("/api/v1/invite-org/accept", Map.of("token", token, "password", PASSWORD));
        if (accept.status() != 200) {
            throw new IllegalStateException("accept failed: " + accept);
        }
        return email;
    }

    /** Enrols TOTP for the session's person; returns the secret. */
    public String enrolTotp(Api session) {
        JsonNode reg = session.post("/api/v1/auth/mfa/totp/register", Map.of()).body();
        String secret = reg.path("secret").asString();
        Res c = session.post("/api/v1/auth/mfa/totp/confirm", Map.of("code", Totp.code(secret, Instant.now())));
        if (c.status() != 200) {
            throw new IllegalStateException("TOTP confirm failed: " + c);
        }
        return secret;
    }

    /** A code for a later step than any used so far (the server accepts one step ahead). */
    public static String nextCode(String secret) {
        return Totp.code(secret, Instant.now().plusSeconds(30));
    }
}
