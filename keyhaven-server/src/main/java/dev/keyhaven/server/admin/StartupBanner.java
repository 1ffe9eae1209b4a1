package dev.keyhaven.server.admin;

import dev.keyhaven.server.org.OrgService;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.OwnerOnlyFiles;
import dev.keyhaven.server.platform.config.StartupOutput;
import dev.keyhaven.server.platform.listen.ListenProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Says on standard output, once the server is ready, where it listens, where its data is and what
 * to do next. In development mode ({@code --dev}) it first bootstraps the instance, keeps the admin
 * login in {@value #DEV_ADMIN_FILE} in the development data directory (readable by the owner only)
 * and prints it with the next three commands, as {@code vault server -dev} does.
 */
@Component
public class StartupBanner {
    static final String DEV_ADMIN_FILE = "dev-admin.json";
    static final String DEV_EMAIL = "admin@keyhaven.dev";

    private final KeyhavenProperties settings;
    private final ListenProperties listen;
    private final OrgService orgs;
    private final BootstrapService bootstrap;
    private final Environment environment;
    private final ObjectMapper json;

    public StartupBanner(
            KeyhavenProperties settings,
            ListenProperties listen,
            OrgService orgs,
            BootstrapService bootstrap,
            Environment environment,
            ObjectMapper json) {
        this.settings = settings;
        this.listen = listen;
        this.orgs = orgs;
        this.bootstrap = bootstrap;
        this.environment = environment;
        this.json = json;
    }

    @EventListener
    public void ready(ApplicationReadyEvent event) throws IOException {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort()
                : -1;
        ListenProperties.Surroundings where = ListenProperties.Surroundings.detect(System::getenv);
        String bind = listen.effectiveBind(where);
        String url = (listen.tls() ? "https://" : "http://") + host(bind) + ":" + port;
        boolean dev = environment.getProperty("keyhaven.dev", Boolean.class, false);
        StringBuilder b = new StringBuilder("\nKeyhaven is ready.\n");
        b.append("  API:      ").append(url).append("  (").append(bind).append(": ");
        b.append(dev ? "--dev" : listen.bindReason(where))
                .append(listen.tls() ? "; TLS" : "; plain HTTP")
                .append(")\n");
        String managementPort = environment.getProperty("local.management.port");
        if (managementPort != null) {
            b.append("  Health:   http://")
                    .append(host(listen.effectiveManagementBind(where)))
                    .append(':')
                    .append(managementPort)
                    .append("/actuator/health  (metrics: /actuator/prometheus)\n");
        }
        b.append("  Data:     ").append(dataDescription()).append('\n');
        if (dev) {
            b.append(devBlock(url));
        } else if (!setUp()) {
            b.append("  Next:     bootstrap this instance from this host (docs/getting-started.md), or from\n")
                    .append("            elsewhere with KEYHAVEN_BOOTSTRAP_TOKEN (docs/deployment.md#bootstrap)\n");
        } else {
            b.append("  Next:     log in (keyhaven login --url ").append(url).append("); docs/cli.md\n");
        }
        StartupOutput.print(b.toString());
    }

    /** Whether the instance is bootstrapped; a database that does not answer yet counts as set up (no advice). */
    private boolean setUp() {
        try {
            return orgs.hasUsers();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private String dataDescription() {
        if (settings.dbUrl() == null) {
            return settings.dataDir().toAbsolutePath().normalize() + " (SQLite; root key in root.key unless set)";
        }
        return settings.redactedDbUrl() + " (data dir "
                + settings.dataDir().toAbsolutePath().normalize() + ")";
    }

    private String devBlock(String url) throws IOException {
        Path file = settings.dataDir().resolve(DEV_ADMIN_FILE);
        if (!orgs.hasUsers()) {
            String password = randomPassword();
            Map<String, Object> result = bootstrap.bootstrap(DEV_EMAIL, password, "Dev", "127.0.0.1", "keyhaven --dev");
            @SuppressWarnings("unchecked")
            Map<String, Object> identity = (Map<String, Object>) result.get("identity");
            @SuppressWarnings("unchecked")
            Map<String, Object> credentials = (Map<String, Object>) identity.get("credentials");
            OwnerOnlyFiles.createFile(file);
            Files.writeString(
                    file,
                    json.writeValueAsString(
                            Map.of("email", DEV_EMAIL, "password", password, "token", credentials.get("token"))),
                    StandardCharsets.UTF_8);
        }
        if (!Files.exists(file)) {
            return "  Dev:      this development instance was set up without " + DEV_ADMIN_FILE + "\n";
        }
        JsonNode admin = json.readTree(Files.readString(file, StandardCharsets.UTF_8));
        String token = admin.path("token").asString();
        return "\nDevelopment mode: throw-away data, plain HTTP on loopback. Never store real secrets here.\n"
                + "  Admin login:  " + DEV_EMAIL + " / "
                + admin.path("password").asString() + "\n"
                + "  Admin token:  " + token + "  (does not expire; also in " + file.toAbsolutePath() + ")\n\n"
                + "Next, in another shell:\n"
                + "  export KEYHAVEN_URL=" + url + "\n"
                + "  export KEYHAVEN_TOKEN=" + token + "\n"
                + "  curl -sS -H \"Authorization: Bearer $KEYHAVEN_TOKEN\" -H 'Content-Type: application/json'"
                + " -d '{\"projectName\": \"demo\"}' \"$KEYHAVEN_URL/api/v2/workspace\"\n";
    }

    private static String host(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            return "localhost";
        }
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
