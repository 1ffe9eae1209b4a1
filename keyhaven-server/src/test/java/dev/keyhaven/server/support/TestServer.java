package dev.keyhaven.server.support;

import java.nio.file.Path;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A running Keyhaven server for tests: a real HTTP port on a real database. The shared servers
 * are bootstrapped once; {@link #admin} is the instance-admin token and org from that bootstrap.
 */
public final class TestServer implements AutoCloseable {
    public final Db db;
    public final ConfigurableApplicationContext context;
    public final String baseUrl;
    /** Where health and metrics answer: the management port, apart from the API. */
    public final String managementUrl;

    public final String dbUrl;
    public final Path dataDir;
    public Admin admin;

    /** What bootstrap returned. */
    public record Admin(String token, String orgId, String identityId, String userId) {}

    TestServer(Db db, ConfigurableApplicationContext context, String dbUrl, Path dataDir) {
        this.db = db;
        this.context = context;
        this.dbUrl = dbUrl;
        this.dataDir = dataDir;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
        String managementPort = context.getEnvironment().getProperty("local.management.port");
        this.managementUrl = managementPort == null ? baseUrl : "http://127.0.0.1:" + managementPort;
    }

    public Api anonymous() {
        return new Api(baseUrl, null);
    }

    /** Health and metrics, on the management port. */
    public Api management() {
        return new Api(managementUrl, null);
    }

    public Api admin() {
        return new Api(baseUrl, admin.token());
    }

    public Api as(String token) {
        return new Api(baseUrl, token);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return db.name().toLowerCase();
    }
}
