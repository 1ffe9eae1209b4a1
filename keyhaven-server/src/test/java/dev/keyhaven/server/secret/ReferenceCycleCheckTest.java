package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.ProjectService;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cycle check runs before a write's transaction; inside it, what the check read is confirmed,
 * and a change made in between by another writer (here: the secret that closes the cycle,
 * created after the check) makes it run again and refuse the write.
 */
class ReferenceCycleCheckTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void aChangeBetweenTheCheckAndTheTransactionIsCaught(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Actor user = new Actor(
                ActorType.USER,
                server.admin.userId(),
                null,
                TestServers.ADMIN_EMAIL,
                server.admin.orgId(),
                "admin",
                null,
                "127.0.0.1",
                "test");
        server.bean(TransactionTemplate.class)
                .executeWithoutResult(s -> server.bean(MembershipService.class).addCreator(p, user));
        ProjectService projects = server.bean(ProjectService.class);
        Environment dev = projects.environment(projects.resolveSecretManager(user, p, null), "dev");
        PermissionSet perms = server.bean(PermissionService.class).project(user, p);
        ReferenceCycleCheck cycles = server.bean(ReferenceCycleCheck.class);
        f.createSecret(server.admin(), p, "dev", "/", "A", "${B}");
        List<ReferenceCycleCheck.Written> write =
                List.of(new ReferenceCycleCheck.Written(dev, "/", null, "X", SecretRow.SHARED, "${A}", List.of()));

        ReferenceCycleCheck.Checked unchanged = cycles.refuse(p, perms, write);
        cycles.confirm(unchanged, p, perms, write);

        ReferenceCycleCheck.Checked checked = cycles.refuse(p, perms, write);
        assertThat(f.createSecret(server.admin(), p, "dev", "/", "B", "${X}").status())
                .isEqualTo(200);
        assertThatThrownBy(() -> cycles.confirm(checked, p, perms, write))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("dev:/:X -> dev:/:A -> dev:/:B -> dev:/:X");
                });
    }
}
