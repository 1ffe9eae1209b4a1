package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.BoundaryScene.refused;
import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The permission boundary around machine identities, for how they log in: nobody attaches,
 * updates or detaches an auth method of an identity, mints or revokes its credentials or lifts
 * its lockouts unless they hold at least everything the identity holds. Every method and every
 * credential route, on both databases.
 */
class IdentityBoundaryApiTest {
    private static final String AUTH = "/api/v1/auth/";
    private static final String UA = MachineIdentities.UA;
    private static final String TA = AUTH + "token-auth/identities/";
    private static final String JWT = AUTH + "jwt-auth/identities/";
    private static final String TOKENS = AUTH + "token-auth/tokens/";

    private static final Map<String, Object> CHANGE = Map.of("accessTokenTTL", 60);

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgMemberCannotAttachChangeOrDetachAnyAuthMethodOfAnIdentityHoldingMore(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api member = scene.member.api();
        Api admin = scene.admin;
        scene.beyondReach.forEach((holds, target) -> {
            for (AuthMethodSamples m : AuthMethodSamples.ALL) {
                String what = m.name() + " on an identity with " + holds;
                refused(member.post(m.route(target), m.attach()), "attach " + what);
                assertThat(admin.get(m.route(target)).status())
                        .as("nothing attached: " + what)
                        .isEqualTo(404);

                ok(admin.post(m.route(target), m.attach()));
                String before = ok(admin.get(m.route(target))).raw();
                refused(member.patch(m.route(target), CHANGE), "update " + what);
                refused(member.delete(m.route(target), null), "detach " + what);
                if (m.lockouts()) {
                    refused(member.post(m.route(target) + "/clear-lockouts", Map.of()), "clear lockouts " + what);
                }
                assertThat(ok(admin.get(m.route(target))).raw())
                        .as("still attached, unchanged: " + what)
                        .isEqualTo(before);

                // an org admin holds all of it
                ok(admin.patch(m.route(target), CHANGE));
                ok(admin.delete(m.route(target), null));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgMemberCannotMintOrRevokeClientSecretsOfAnIdentityHoldingMore(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api member = scene.member.api();
        MachineIdentities ids = new MachineIdentities(scene.server);
        scene.beyondReach.forEach((holds, target) -> {
            String clientId = ok(scene.admin.post(UA + target, Map.of()))
                    .body()
                    .path("identityUniversalAuth")
                    .path("clientId")
                    .asString();
            Res secret = ids.newSecret(target, Map.of());
            String secretId = secret.body().path("clientSecretData").path("id").asString();

            refused(member.post(UA + target + "/client-secrets", Map.of()), "mint a client secret for " + holds);
            refused(
                    member.post(UA + target + "/client-secrets/" + secretId + "/revoke", Map.of()),
                    "revoke a client secret of " + holds);

            assertThat(ok(scene.admin.get(UA + target + "/client-secrets"))
                            .body()
                            .path("clientSecretData")
                            .valueStream()
                            .map(s -> s.path("id").asString()))
                    .as("only the admin's secret")
                    .containsExactly(secretId);
            assertThat(ids.login(clientId, secret.body().path("clientSecret").asString())
                            .status())
                    .as("the admin's secret still works: " + holds)
                    .isEqualTo(200);
            ok(scene.admin.post(UA + target + "/client-secrets/" + secretId + "/revoke", Map.of()));
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCallerWhoMayMintTokensCannotMintRenameOrRevokeTokensOfAnIdentityHoldingMore(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api minter = scene.minter.api();
        scene.beyondReach.forEach((holds, target) -> {
            ok(scene.admin.post(TA + target, Map.of()));
            Res issued = ok(scene.admin.post(TA + target + "/tokens", Map.of("name", "admin-made")));
            String tokenId = issued.body().path("tokenData").path("id").asString();

            refused(minter.post(TA + target + "/tokens", Map.of("name", "mine")), "mint a token for " + holds);
            refused(minter.patch(TOKENS + tokenId, Map.of("name", "renamed")), "rename a token of " + holds);
            refused(minter.post(TOKENS + tokenId + "/revoke", Map.of()), "revoke a token of " + holds);

            assertThat(ok(scene.admin.get(TA + target + "/tokens"))
                            .body()
                            .path("tokens")
                            .valueStream()
                            .map(t -> t.path("name").asString()))
                    .as(holds)
                    .containsExactly("admin-made");
            String token = issued.body().path("accessToken").asString();
            assertThat(scene.server
                            .as(token)
                            .get("/api/v1/auth/token-auth/identities/" + target)
                            .status())
                    .as("the admin's token is still accepted: " + holds)
                    .isEqualTo(200);
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyActionStillWorksOnAnIdentityTheCallerFullyHolds(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api member = scene.member.api();
        String own = scene.createdBy(member, "member");
        for (AuthMethodSamples m : AuthMethodSamples.ALL) {
            ok(member.post(m.route(own), m.attach()));
            ok(member.patch(m.route(own), CHANGE));
            if (m.lockouts()) {
                ok(member.post(m.route(own) + "/clear-lockouts", Map.of()));
            }
            if (!m.name().equals("universal-auth")) {
                ok(member.delete(m.route(own), null));
            }
        }
        MachineIdentities ids = new MachineIdentities(scene.server);
        Res secret = ok(member.post(UA + own + "/client-secrets", Map.of()));
        String clientId = ok(member.get(UA + own))
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String token = ids.token(clientId, secret.body().path("clientSecret").asString());
        assertThat(ids.probe(token, own).status()).isEqualTo(200);
        ok(member.post(
                UA + own + "/client-secrets/"
                        + secret.body().path("clientSecretData").path("id").asString() + "/revoke",
                Map.of()));
        ok(member.delete(UA + own, null));

        Api minter = scene.minter.api();
        String minted = scene.createdBy(minter, "no-access");
        ok(minter.post(TA + minted, Map.of()));
        String tokenId = ok(minter.post(TA + minted + "/tokens", Map.of("name", "ci")))
                .body()
                .path("tokenData")
                .path("id")
                .asString();
        ok(minter.patch(TOKENS + tokenId, Map.of("name", "deploy")));
        ok(minter.post(TOKENS + tokenId + "/revoke", Map.of()));
    }

    /**
     * The reported attack, step by step: an org member attaches universal auth to the
     * instance-admin identity, mints a client secret, logs in as it and acts as an org admin. The
     * same steps by an org admin on another admin identity work, so the chain is real; the
     * member is stopped at its first step and gets nothing.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void theMemberToOrgAdminTakeoverIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        Res login = people.login(TestServers.ADMIN_EMAIL, TestServers.ADMIN_PASSWORD);
        People.OrgAdmin orgAdmin = new People.OrgAdmin(
                TestServers.ADMIN_EMAIL,
                server.as(ok(login).body().path("accessToken").asString()),
                server.admin.orgId());
        Api member = server.as(people.token(people.invitedMember(orgAdmin, "escalator", "member")));
        String instanceAdmin = server.admin.identityId();

        assertThat(takeOver(server, orgAdmin.api(), new MachineIdentities(server).create("admin")))
                .as("an org admin may take an admin identity's credentials")
                .isNull();

        Res refusal = takeOver(server, member, instanceAdmin);
        assertThat(refusal).as("the member's takeover").isNotNull();
        refused(refusal, "the member attaching universal auth to the instance-admin identity");
        assertThat(server.admin().get(UA + instanceAdmin).status()).isEqualTo(404);
        refused(
                member.post(
                        JWT + instanceAdmin,
                        Map.of("configurationType", "static", "publicKeys", List.of(AuthMethodSamples.newPublicKey()))),
                "the member attaching JWT auth with its own key");
        assertThat(server.admin().get(JWT + instanceAdmin).status()).isEqualTo(404);

        // an admin attaching universal auth for a real client gives the member nothing either
        ok(server.admin().post(UA + instanceAdmin, Map.of()));
        try {
            refused(
                    member.post(UA + instanceAdmin + "/client-secrets", Map.of()),
                    "the member minting a client secret");
            refused(
                    member.patch(UA + instanceAdmin, Map.of("accessTokenTTL", 0)),
                    "the member changing universal auth");
            assertThat(ok(server.admin().get(UA + instanceAdmin + "/client-secrets"))
                            .body()
                            .path("clientSecretData")
                            .size())
                    .isZero();
        } finally {
            ok(server.admin().delete(UA + instanceAdmin, null));
        }
        assertThat(member.post(TA + instanceAdmin + "/tokens", Map.of("name", "mine"))
                        .status())
                .isEqualTo(403);
        assertThat(member.post("/api/v1/organization/roles", roleBody()).status())
                .as("still only a member")
                .isEqualTo(403);
    }

    /**
     * Attaches universal auth to the identity as {@code caller}, mints a client secret, logs in
     * with it and creates an org role (which only an org admin may). Null when every step
     * worked, else the first refusal.
     */
    private static Res takeOver(TestServer server, Api caller, String identityId) {
        Res attached = caller.post(UA + identityId, Map.of());
        if (attached.status() != 200) {
            return attached;
        }
        Res secret = caller.post(UA + identityId + "/client-secrets", Map.of());
        if (secret.status() != 200) {
            return secret;
        }
        Map<String, Object> credentials = new HashMap<>();
        credentials.put(
                "clientId",
                attached.body().path("identityUniversalAuth").path("clientId").asString());
        credentials.put("clientSecret", secret.body().path("clientSecret").asString());
        Res login = server.anonymous().post(MachineIdentities.LOGIN, credentials);
        if (login.status() != 200) {
            return login;
        }
        Res adminThing =
                server.as(login.body().path("accessToken").asString()).post("/api/v1/organization/roles", roleBody());
        return adminThing.status() == 200 ? null : adminThing;
    }

    private static Map<String, Object> roleBody() {
        return Map.of(
                "slug",
                Fixtures.unique("taken"),
                "name",
                "Taken over",
                "permissions",
                List.of(Map.of("subject", "member", "action", List.of("read"))));
    }
}
