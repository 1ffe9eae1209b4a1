package dev.keyhaven.server.identity;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a page of the identity list costs the database: the page's identities, their org roles and
 * which auth methods they have are each read for the whole page at once, so a page of twenty costs
 * what a page of ten does, however many methods there are.
 */
class IdentityListQueriesTest {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityListQueriesTest.class);

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPageCostsTheSameQueriesWhateverItsSizeAndMethods(Db db) {
        try (TestServer server = TestServers.fresh(db, "--spring.main.sources=" + StatementCounter.class.getName())) {
            server.admin = TestServers.bootstrap(server);
            MachineIdentities ids = new MachineIdentities(server);
            for (int i = 0; i < 20; i++) {
                String id = ids.create("member");
                AuthMethodSamples m = AuthMethodSamples.ALL.get(i % AuthMethodSamples.ALL.size());
                ok(server.admin().post(m.route(id), m.attach()));
            }
            IdentityService identities = server.bean(IdentityService.class);
            Actor admin = new Actor(
                    ActorType.IDENTITY,
                    server.admin.identityId(),
                    "admin",
                    null,
                    server.admin.orgId(),
                    "admin",
                    null,
                    null,
                    null,
                    Map.of());

            int ten = StatementCounter.count(() -> identities.list(admin, null, 0, 10));
            int twenty = StatementCounter.count(() -> identities.list(admin, null, 0, 20));
            LOG.info("identity list on {}: {} statements for 10 identities, {} for 20", db, ten, twenty);

            assertThat(ten).as("the hook counts").isPositive();
            assertThat(twenty)
                    .as("roles and attached methods are read for the whole page at once")
                    .isEqualTo(ten);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> page = (List<Map<String, Object>>)
                    identities.list(admin, null, 0, 20).get("identities");
            assertThat(page).hasSize(20);
            assertThat(page)
                    .allSatisfy(i -> assertThat((List<?>) i.get("authMethods")).hasSize(1));
            assertThat(page)
                    .allSatisfy(i -> assertThat(i.get("role"))
                            .isEqualTo(i.get("id").equals(server.admin.identityId()) ? "admin" : "member"));
        }
    }
}
