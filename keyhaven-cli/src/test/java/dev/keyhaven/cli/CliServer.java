package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.server.KeyhavenApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One real Keyhaven server (SQLite in a temporary directory) for the CLI tests, started in-process
 * the way the server's own tests do it, bootstrapped, with helpers that set up data through the API.
 * {@link #get()} is the shared one; {@link #startPrivate()} starts one a test may stop and restart.
 */
final class CliServer {
    static final String ADMIN_EMAIL = "admin@keyhaven.test";
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final String PERSON_PASSWORD = "a long enough person password";
    private static CliServer shared;

    final ConfigurableApplicationContext context;
    final String url;
    final KeyhavenClient admin;
    final String orgId;

    final Path dataDir;
    final int port;
    private final String adminToken;
    private final String[] extraArgs;

    private CliServer(String... extraArgs) throws IOException {
        this(Files.createTempDirectory("keyhaven-cli-test-"), 0, null, null, extraArgs);
    }

    /** Starts a server on {@code dir}; bootstraps it unless the admin token of an earlier start is given. */
    private CliServer(Path dir, int port, String adminToken, String orgId, String... extraArgs) {
        dataDir = dir;
        this.extraArgs = extraArgs;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--keyhaven.management-port=0",
                "--keyhaven.data-dir=" + dir,
                "--keyhaven.db-url=jdbc:sqlite:" + dir.resolve("keyhaven.db"),
                "--logging.level.root=WARN"));
        args.addAll(List.of(extraArgs));
        context = new SpringApplicationBuilder(KeyhavenApplication.class).run(args.toArray(String[]::new));
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        url = "http://127.0.0.1:" + this.port;
        if (adminToken == null) {
            JsonNode b = new KeyhavenClient(url, null)
                    .send(
                            "POST",
                            "/api/v1/admin/bootstrap",
                            Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD, "organization", "CLI"),
                            false)
                    .body();
            adminToken = b.path("identity").path("credentials").path("token").asString();
            orgId = b.path("organization").path("id").asString();
        }
        this.adminToken = adminToken;
        this.admin = new KeyhavenClient(url, adminToken);
        this.orgId = orgId;
    }

    /**
     * A server of the caller's own (not shared), for a test that stops and restarts it or needs
     * settings of its own, e.g. {@code --keyhaven.users.access-token-ttl=2s}.
     */
    static CliServer startPrivate(String... extraArgs) throws IOException {
        return new CliServer(extraArgs);
    }

    void stop() {
        context.close();
    }

    /** Starts the stopped server again on the same data and port. */
    CliServer restart() {
        return new CliServer(dataDir, port, adminToken, orgId, extraArgs);
    }

    static synchronized CliServer get() throws IOException {
        if (shared == null) {
            shared = new CliServer();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.context::close));
        }
        return shared;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String project() {
        return admin.send("POST", "/api/v2/workspace", Map.of("projectName", unique("proj")), true)
                .body()
                .path("project")
                .path("id")
                .asString();
    }

    /** A machine identity with universal auth and the given role in the project. */
    record Machine(String id, String clientId, String clientSecret) {}

    Machine identity(String projectId, String role) {
        return identity(projectId, role, Map.of());
    }

    /** As {@link #identity(String, String)}, with universal-auth settings such as {@code accessTokenTTL}. */
    Machine identity(String projectId, String role, Map<String, Object> universalAuth) {
        String id = admin.send(
                        "POST",
                        "/api/v1/identities",
                        Map.of("name", unique("id"), "organizationId", orgId, "role", "member"),
                        true)
                .body()
                .path("identity")
                .path("id")
                .asString();
        String clientId = admin.send("POST", "/api/v1/auth/universal-auth/identities/" + id, universalAuth, true)
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = admin.send(
                        "POST", "/api/v1/auth/universal-auth/identities/" + id + "/client-secrets", Map.of(), true)
                .body()
                .path("clientSecret")
                .asString();
        admin.send(
                "POST", "/api/v2/workspace/" + projectId + "/identity-memberships/" + id, Map.of("role", role), true);
        return new Machine(id, clientId, secret);
    }

    String login(Machine m) {
        return new KeyhavenClient(url, null)
                .universalAuthLogin(m.clientId(), m.clientSecret())
                .accessToken();
    }

    /** The e-mail address and password of a person; the bootstrap admin is {@link #ADMIN}. */
    record Person(String email, String password) {}

    static final Person ADMIN = new Person(ADMIN_EMAIL, ADMIN_PASSWORD);

    /**
     * A new person, invited into the organization and, with {@code role}, into the project, who
     * accepted with a password (the server sends no mail here, so the answer carries the link).
     */
    Person person(String projectId, String role) {
        String email = unique("person").toLowerCase(java.util.Locale.ROOT) + "@example.com";
        JsonNode invite = admin.send(
                        "POST",
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(email),
                                "organizationId",
                                orgId,
                                "organizationRoleSlug",
                                "member",
                                "projects",
                                List.of(Map.of("id", projectId, "projectRoleSlug", List.of(role)))),
                        true)
                .body();
        String link = invite.path("completeInviteLinks").get(0).path("link").asString();
        String token = link.substring(link.indexOf("token=") + "token=".length());
        new KeyhavenClient(url, null)
                .send("POST", "/api/v1/invite-org/accept", Map.of("token", token, "password", PERSON_PASSWORD), false);
        return new Person(email, PERSON_PASSWORD);
    }

    /** A session of the person through the API (no second factor): its body. */
    JsonNode passwordLogin(Person p) {
        return new KeyhavenClient(url, null)
                .send("POST", "/api/v1/auth/login", Map.of("email", p.email(), "password", p.password()), false)
                .body();
    }

    void folder(String projectId, String env, String parent, String name) {
        admin.send(
                "POST",
                "/api/v1/folders",
                Map.of("workspaceId", projectId, "environment", env, "path", parent, "name", name),
                true);
    }

    void importInto(String projectId, String env, String path, String fromEnv, String fromPath) {
        admin.send(
                "POST",
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        projectId,
                        "environment",
                        env,
                        "path",
                        path,
                        "import",
                        Map.of("environment", fromEnv, "path", fromPath)),
                true);
    }
}
