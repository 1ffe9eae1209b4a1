package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.MachineIdentities.UA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities.UaIdentity;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two servers on one PostgreSQL database: a token issued by one node works on the other, and a
 * revocation made on one node holds on the other on the very next request.
 */
class TwoNodeRevocationTest {
    private static TestServer nodeA;
    private static TestServer nodeB;

    private static synchronized void start(Db db) {
        if (nodeA == null) {
            nodeA = TestServers.fresh(db);
            nodeA.admin = TestServers.bootstrap(nodeA);
            nodeB = TestServers.secondNode(nodeA);
            nodeB.admin = nodeA.admin;
        }
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    private static void assertTokenRefused(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(403);
        assertThat(res.body().path("error").asString()).isEqualTo("TokenError");
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aTokenIssuedOnOneNodeWorksOnTheOther(Db db) {
        start(db);
        UaIdentity m = new MachineIdentities(nodeA).withUa(Map.of());

        String token = new MachineIdentities(nodeA).token(m);

        assertThat(new MachineIdentities(nodeB).probe(token, m.id()).status()).isEqualTo(200);
        String fromB = new MachineIdentities(nodeB).token(m);
        assertThat(new MachineIdentities(nodeA).probe(fromB, m.id()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void revokingAClientSecretOnOneNodeKillsItsTokensOnTheOther(Db db) {
        start(db);
        MachineIdentities onA = new MachineIdentities(nodeA);
        MachineIdentities onB = new MachineIdentities(nodeB);
        UaIdentity m = onA.withUa(Map.of());
        String token = onA.token(m);
        assertThat(onB.probe(token, m.id()).status()).isEqualTo(200);

        Res revoked = nodeA.admin().post(UA + m.id() + "/client-secrets/" + m.clientSecretId() + "/revoke", Map.of());

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertTokenRefused(onB.probe(token, m.id()));
        assertThat(onB.login(m.clientId(), m.clientSecret()).status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void revokingATokenOnOneNodeHoldsOnTheOther(Db db) {
        start(db);
        MachineIdentities onA = new MachineIdentities(nodeA);
        MachineIdentities onB = new MachineIdentities(nodeB);
        UaIdentity m = onA.withUa(Map.of());
        String token = onA.token(m);
        assertThat(onA.probe(token, m.id()).status()).isEqualTo(200);

        Res revoked = nodeB.anonymous().post("/api/v1/auth/token/revoke", Map.of("accessToken", token));

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertTokenRefused(onA.probe(token, m.id()));
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void detachingOrDeletingOnOneNodeHoldsOnTheOther(Db db) {
        start(db);
        MachineIdentities onA = new MachineIdentities(nodeA);
        MachineIdentities onB = new MachineIdentities(nodeB);
        UaIdentity detached = onA.withUa(Map.of());
        UaIdentity deleted = onA.withUa(Map.of());
        String detachedToken = onA.token(detached);
        String deletedToken = onA.token(deleted);
        assertThat(onB.probe(detachedToken, detached.id()).status()).isEqualTo(200);
        assertThat(onB.probe(deletedToken, deleted.id()).status()).isEqualTo(200);

        assertThat(nodeB.admin().delete(UA + detached.id(), null).status()).isEqualTo(200);
        assertThat(nodeB.admin()
                        .delete("/api/v1/identities/" + deleted.id(), null)
                        .status())
                .isEqualTo(200);

        assertTokenRefused(onA.probe(detachedToken, detached.id()));
        assertTokenRefused(nodeA.as(deletedToken).get("/api/v1/identities"));
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aUseLimitIsSharedBetweenNodes(Db db) {
        start(db);
        MachineIdentities onA = new MachineIdentities(nodeA);
        MachineIdentities onB = new MachineIdentities(nodeB);
        UaIdentity m = onA.withUa(Map.of("accessTokenNumUsesLimit", 2));
        String token = onA.token(m);

        assertThat(onA.probe(token, m.id()).status()).isEqualTo(200);
        assertThat(onB.probe(token, m.id()).status()).isEqualTo(200);

        assertTokenRefused(onA.probe(token, m.id()));
        assertTokenRefused(onB.probe(token, m.id()));
    }
}
