package dev.keyhaven.server.notify.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.crypto.Hmac;
import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Notification channels through the API: configured with their credentials sealed and shown
 * masked, refused when the input is bad or the caller may not, and delivered through the outbox
 * to loopback receivers that check the exact shapes Slack, Teams and a signed webhook receive.
 */
class NotificationChannelApiTest {
    private static final String BASE = "/api/v1/notification-channels";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private record Item(String state, int attempts, String lastError) {}

    private static Optional<Item> item(TestServer server, String channelId) {
        return server
                .bean(JdbcClient.class)
                .sql("SELECT state, attempts, last_error FROM outbox_items WHERE target = ? ORDER BY seq DESC")
                .param(channelId)
                .query((rs, i) -> new Item(rs.getString(1), rs.getInt(2), rs.getString(3)))
                .list()
                .stream()
                .findFirst();
    }

    private static Item awaitItem(TestServer server, String channelId, Predicate<Item> done) {
        return await("the outbox item for channel " + channelId)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(25))
                .until(() -> item(server, channelId), i -> i.isPresent() && done.test(i.get()))
                .get();
    }

    private static String create(Api api, String type, Map<String, Object> config) {
        Res res = api.post(BASE, Map.of("name", Fixtures.unique(type), "type", type, "config", config));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("notificationChannel").path("id").asString();
    }

    private static String testText(TestServer server, Api api, String channelId) {
        String name = api.get(BASE + "/" + channelId)
                .body()
                .path("notificationChannel")
                .path("name")
                .asString();
        return "This is a test message for the notification channel \"" + name + "\", sent by machine identity "
                + server.admin.identityId() + ". If you can read it, the channel works.";
    }

    private static JsonNode tree(Object value) {
        return Api.JSON.readTree(Api.JSON.writeValueAsString(value));
    }

    private static List<String> auditTypes(TestServer server, String channelId) {
        return server.bean(JdbcClient.class)
                .sql("SELECT event_type FROM audit_logs WHERE event_metadata LIKE ? ORDER BY created_at, event_type")
                .param("%" + channelId + "%")
                .query(String.class)
                .list();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void channelsAreConfiguredAndShownWithTheirCredentialsMasked(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String name = Fixtures.unique("ops-slack");
        Res created = admin.post(
                BASE,
                Map.of(
                        "name",
                        name,
                        "type",
                        "slack",
                        "config",
                        Map.of("webhookUrl", "http://127.0.0.1:9/services/T0/B0/hook-token-abc123")));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode channel = created.body().path("notificationChannel");
        String id = channel.path("id").asString();
        assertThat(channel.path("name").asString()).isEqualTo(name);
        assertThat(channel.path("type").asString()).isEqualTo("slack");
        assertThat(channel.path("orgId").asString()).isEqualTo(server.admin.orgId());
        assertThat(channel.path("config").path("mode").asString()).isEqualTo("webhook");
        assertThat(channel.path("config").path("webhookUrl").asString()).isEqualTo("http://127.0.0.1:9/***");
        assertThat(created.raw()).doesNotContain("hook-token-abc123");

        Res listed = admin.get(BASE);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.raw()).contains(id).doesNotContain("hook-token-abc123");
        assertThat(admin.get(BASE + "/" + id)
                        .body()
                        .path("notificationChannel")
                        .path("name")
                        .asString())
                .isEqualTo(name);

        Res updated = admin.patch(
                BASE + "/" + id,
                Map.of(
                        "name",
                        name + "-bot",
                        "config",
                        Map.of("botToken", "xoxb-bot-token-xyz789", "channel", "#ops")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode config = updated.body().path("notificationChannel").path("config");
        assertThat(config.path("mode").asString()).isEqualTo("bot");
        assertThat(config.path("botToken").asString()).isEqualTo("xoxb-***");
        assertThat(config.path("channel").asString()).isEqualTo("#ops");
        assertThat(updated.raw()).doesNotContain("bot-token-xyz789");

        String sealed = server.bean(JdbcClient.class)
                .sql("SELECT sealed_config FROM notification_channels WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
        assertThat(sealed).doesNotContain("xoxb").doesNotContain("bot-token-xyz789");

        Res renamedOnly = admin.patch(BASE + "/" + id, Map.of("name", name));
        assertThat(renamedOnly.status()).isEqualTo(200);
        assertThat(renamedOnly
                        .body()
                        .path("notificationChannel")
                        .path("config")
                        .path("channel")
                        .asString())
                .as("a rename keeps the settings")
                .isEqualTo("#ops");

        Api otherOrg = server.as(new Fixtures(server).otherOrgAdminToken());
        assertThat(otherOrg.get(BASE + "/" + id).status())
                .as("another org's channel")
                .isEqualTo(404);
        assertThat(otherOrg.get(BASE).raw()).doesNotContain(id);

        assertThat(admin.delete(BASE + "/" + id, null).status()).isEqualTo(200);
        assertThat(admin.get(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(auditTypes(server, id))
                .containsExactlyInAnyOrder(
                        "create-notification-channel",
                        "update-notification-channel",
                        "update-notification-channel",
                        "delete-notification-channel");
        assertThat(server.bean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM audit_logs WHERE event_metadata LIKE ? OR event_metadata LIKE ?")
                        .params("%hook-token-abc123%", "%bot-token-xyz789%")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badSettingsAreRefusedWith422(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String ok = "http://127.0.0.1:9/hook";
        List<Map<String, Object>> bad = List.of(
                Map.of("name", "x", "type", "carrier-pigeon", "config", Map.of("webhookUrl", ok)),
                Map.of("name", "x", "type", "slack"),
                Map.of("type", "slack", "config", Map.of("webhookUrl", ok)),
                Map.of("name", " ", "type", "slack", "config", Map.of("webhookUrl", ok)),
                Map.of("name", "x", "type", "slack", "config", Map.of()),
                Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", ok, "botToken", "xoxb-1")),
                Map.of("name", "x", "type", "slack", "config", Map.of("botToken", "xoxb-1")),
                Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", ok, "extra", "y")),
                Map.of("name", "x", "type", "slack", "config", Map.of("webhookUrl", "ftp://127.0.0.1/hook")),
                Map.of("name", "x", "type", "microsoft-teams", "config", Map.of()),
                Map.of("name", "x", "type", "microsoft-teams", "config", Map.of("webhookUrl", 42)),
                Map.of("name", "x", "type", "webhook", "config", Map.of("url", ok)),
                Map.of("name", "x", "type", "webhook", "config", Map.of("url", ok, "signingSecret", "short")));
        for (Map<String, Object> body : bad) {
            Res res = admin.post(BASE, body);
            assertThat(res.status()).as(body + " -> " + res).isEqualTo(422);
        }
        String id = create(admin, "webhook", Map.of("url", ok, "signingSecret", "a-long-enough-signing-secret"));
        Res retype = admin.patch(BASE + "/" + id, Map.of("type", "slack"));
        assertThat(retype.status()).isEqualTo(422);
        assertThat(admin.get(BASE + "/not-an-id").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aUrlOutsideTheOutboundAllowListIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        for (String url :
                List.of("http://169.254.169.254/latest/meta-data", "http://10.0.0.7/hook", "http://[fd00::1]/hook")) {
            Res res = admin.post(
                    BASE,
                    Map.of(
                            "name",
                            Fixtures.unique("ssrf"),
                            "type",
                            "microsoft-teams",
                            "config",
                            Map.of("webhookUrl", url)));
            assertThat(res.status()).as(url + " -> " + res).isEqualTo(422);
            assertThat(res.raw()).contains("KEYHAVEN_OUTBOUND_ALLOWLIST");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void onlyThoseWhoMayEditTheOrgSettingsConfigureOrTestChannels(Db db) {
        TestServer server = TestServers.shared(db);
        String id = create(server.admin(), "microsoft-teams", Map.of("webhookUrl", "http://127.0.0.1:9/teams"));
        Api member = new Fixtures(server).identity(null, null).api();
        Map<String, Object> body = Map.of(
                "name",
                Fixtures.unique("m"),
                "type",
                "microsoft-teams",
                "config",
                Map.of("webhookUrl", "http://127.0.0.1:9/t"));
        assertThat(member.post(BASE, body).status()).isEqualTo(403);
        assertThat(member.patch(BASE + "/" + id, Map.of("name", "renamed")).status())
                .isEqualTo(403);
        assertThat(member.delete(BASE + "/" + id, null).status()).isEqualTo(403);
        assertThat(member.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(403);
        Res read = member.get(BASE + "/" + id);
        assertThat(read.status()).as("members read the org settings, masked").isEqualTo(200);
        assertThat(read.raw()).doesNotContain("/teams");
        assertThat(server.anonymous().get(BASE).status()).isEqualTo(401);
        assertThat(item(server, id)).as("nothing was queued").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void slackIncomingWebhookReceivesTextAndBlocks(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        try (Receiver slack = new Receiver()) {
            String id = create(admin, "slack", Map.of("webhookUrl", slack.url("/services/T1/B1/token-1")));
            Res queued = admin.post(BASE + "/" + id + "/test", Map.of());
            assertThat(queued.status()).as(queued.toString()).isEqualTo(200);
            assertThat(queued.body().path("queued").asBoolean()).isTrue();

            Receiver.Request r = slack.next(WAIT);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/services/T1/B1/token-1");
            assertThat(r.headers().get("Content-Type")).startsWith("application/json");
            String text = testText(server, admin, id);
            assertThat(Api.JSON.readTree(r.body()))
                    .isEqualTo(tree(Map.of(
                            "text",
                            "Keyhaven test notification",
                            "blocks",
                            List.of(
                                    Map.of(
                                            "type",
                                            "header",
                                            "text",
                                            Map.of("type", "plain_text", "text", "Keyhaven test notification")),
                                    Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text))))));
            assertThat(awaitItem(server, id, i -> i.state().equals("delivered")).attempts())
                    .isEqualTo(1);
            assertThat(auditTypes(server, id)).contains("test-notification-channel");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void teamsReceivesOneAdaptiveCard(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        try (Receiver teams = new Receiver().answering(202, "")) {
            String id = create(admin, "microsoft-teams", Map.of("webhookUrl", teams.url("/workflows/run?sig=abc")));
            assertThat(admin.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(200);

            Receiver.Request r = teams.next(WAIT);
            assertThat(r.path()).isEqualTo("/workflows/run?sig=abc");
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            card.put("type", "AdaptiveCard");
            card.put("version", "1.4");
            card.put(
                    "body",
                    List.of(
                            Map.of(
                                    "type",
                                    "TextBlock",
                                    "text",
                                    "Keyhaven test notification",
                                    "weight",
                                    "Bolder",
                                    "size",
                                    "Medium",
                                    "wrap",
                                    true),
                            Map.of("type", "TextBlock", "text", testText(server, admin, id), "wrap", true)));
            assertThat(Api.JSON.readTree(r.body()))
                    .isEqualTo(tree(Map.of(
                            "type",
                            "message",
                            "attachments",
                            List.of(Map.of(
                                    "contentType", "application/vnd.microsoft.card.adaptive", "content", card)))));
            assertThat(awaitItem(server, id, i -> i.state().equals("delivered")).attempts())
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aWebhookReceiverVerifiesTheSignature(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String secret = "whsec-" + Fixtures.unique("signing");
        try (Receiver hook = new Receiver()) {
            String id = create(admin, "webhook", Map.of("url", hook.url("/hooks/keyhaven"), "signingSecret", secret));
            long before = System.currentTimeMillis() / 1000;
            assertThat(admin.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(200);

            Receiver.Request r = hook.next(WAIT);
            String timestamp = r.headers().get("X-Keyhaven-Timestamp");
            String signature = r.headers().get("X-Keyhaven-Signature");
            assertThat(Long.parseLong(timestamp)).isBetween(before - 1, System.currentTimeMillis() / 1000 + 1);
            assertThat(signature).startsWith("v1=");
            assertThat(Hmac.verifyHex(secret, timestamp + "." + r.body(), signature.substring(3)))
                    .as("the signature covers timestamp.body")
                    .isTrue();
            assertThat(Hmac.verifyHex(secret, timestamp + "." + r.body() + " ", signature.substring(3)))
                    .as("a changed body fails")
                    .isFalse();
            assertThat(Hmac.verifyHex("another-secret-entirely", timestamp + "." + r.body(), signature.substring(3)))
                    .isFalse();
            JsonNode body = Api.JSON.readTree(r.body());
            assertThat(body.path("event").asString()).isEqualTo("notification-channel-test");
            assertThat(body.path("subject").asString()).isEqualTo("Keyhaven test notification");
            assertThat(body.path("text").asString()).isEqualTo(testText(server, admin, id));
            assertThat(body.path("channelId").asString()).isEqualTo(id);
            assertThat(r.body()).doesNotContain(secret);
            awaitItem(server, id, i -> i.state().equals("delivered"));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFeatureNotifiesAChannelOfItsOwnOrgInItsTransaction(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        NotificationChannelService service = server.bean(NotificationChannelService.class);
        TransactionTemplate tx = server.bean(TransactionTemplate.class);
        Mail mail = new Mail(
                "approval-requested",
                "Change request for prod /app",
                "alice@example.com asks to change DB_URL in prod /app: https://keyhaven.example.com/r/1");
        try (Receiver teams = new Receiver()) {
            String id = create(server.admin(), "microsoft-teams", Map.of("webhookUrl", teams.url("/teams")));
            assertThat(service.notify("some-other-org", id, mail))
                    .as("another org's channel")
                    .isFalse();
            Boolean queuedThenRolledBack = tx.execute(s -> {
                boolean q = service.notify(server.admin.orgId(), id, mail);
                s.setRollbackOnly();
                return q;
            });
            assertThat(queuedThenRolledBack).isTrue();
            assertThat(item(server, id))
                    .as("a rolled-back cause queues nothing")
                    .isEmpty();

            Boolean queued = tx.execute(s -> service.notify(server.admin.orgId(), id, mail));
            assertThat(queued).isTrue();
            JsonNode card = Api.JSON
                    .readTree(teams.next(WAIT).body())
                    .path("attachments")
                    .get(0)
                    .path("content");
            assertThat(card.path("body").get(0).path("text").asString()).isEqualTo(mail.subject());
            assertThat(card.path("body").get(1).path("text").asString()).isEqualTo(mail.body());
            awaitItem(server, id, i -> i.state().equals("delivered"));
            assertThat(teams.received())
                    .as("only the committed message was sent")
                    .isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aReceiverThatRefusesForGoodIsADeadLetter(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        try (Receiver gone = new Receiver().answering(404, "no such hook")) {
            String id = create(admin, "microsoft-teams", Map.of("webhookUrl", gone.url("/gone")));
            assertThat(admin.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(200);
            Item dead = awaitItem(server, id, i -> i.state().equals("dead"));
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).isEqualTo("the receiver answered 404");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSlackBotPostsToChatPostMessageWithItsToken(Db db) throws Exception {
        try (Receiver slackApi = new Receiver().answering(200, "{\"ok\":true,\"ts\":\"1.2\"}");
                TestServer server =
                        TestServers.fresh(db, "--keyhaven.notifications.slack-api-url=" + slackApi.url("/api"))) {
            server.admin = TestServers.bootstrap(server);
            Api admin = server.admin();
            String id = create(admin, "slack", Map.of("botToken", "xoxb-test-bot-token", "channel", "C0123ABCD"));
            assertThat(admin.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(200);

            Receiver.Request r = slackApi.next(WAIT);
            assertThat(r.path()).isEqualTo("/api/chat.postMessage");
            assertThat(r.headers().get("Authorization")).isEqualTo("Bearer xoxb-test-bot-token");
            JsonNode body = Api.JSON.readTree(r.body());
            assertThat(body.path("channel").asString()).isEqualTo("C0123ABCD");
            assertThat(body.path("text").asString()).isEqualTo("Keyhaven test notification");
            assertThat(body.path("blocks").get(1).path("text").path("text").asString())
                    .isEqualTo(testText(server, admin, id));
            awaitItem(server, id, i -> i.state().equals("delivered"));

            slackApi.answering(200, "{\"ok\":false,\"error\":\"channel_not_found\"}");
            assertThat(admin.post(BASE + "/" + id + "/test", Map.of()).status()).isEqualTo(200);
            Item dead = awaitItem(server, id, i -> i.state().equals("dead"));
            assertThat(dead.lastError()).isEqualTo("Slack refused the message: channel_not_found");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aHangingReceiverTimesOutAndIsRetriedWhileRequestsStayFast(Db db) throws Exception {
        try (Receiver hook = new Receiver();
                TestServer server = TestServers.fresh(
                        db,
                        "--keyhaven.notifications.timeout=PT2S",
                        "--keyhaven.outbox.poll-interval=PT0.1S",
                        "--keyhaven.outbox.backoff-base=PT0.2S",
                        "--keyhaven.outbox.backoff-max=PT0.4S")) {
            server.admin = TestServers.bootstrap(server);
            Api admin = server.admin();
            String id = create(
                    admin,
                    "webhook",
                    Map.of("url", hook.url("/slow"), "signingSecret", "a-long-enough-signing-secret"));
            hook.hang();
            long start = System.nanoTime();
            Res queued = admin.post(BASE + "/" + id + "/test", Map.of());
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(queued.status()).isEqualTo(200);
            assertThat(tookMs)
                    .as("the request does not wait for the receiver (which would take the 2 s timeout)")
                    .isLessThan(1500);

            Item failing = awaitItem(server, id, i -> i.attempts() >= 2);
            assertThat(failing.state()).isEqualTo("pending");
            assertThat(failing.lastError()).isEqualTo("the receiver could not be reached: request timed out");

            hook.release();
            Item delivered = awaitItem(server, id, i -> i.state().equals("delivered"));
            assertThat(delivered.attempts())
                    .as("delivered by the attempt in flight at the release or a later one")
                    .isGreaterThanOrEqualTo(failing.attempts());
            assertThat(hook.received()).as("every attempt reached the receiver").isEqualTo(delivered.attempts());
        }
    }
}
