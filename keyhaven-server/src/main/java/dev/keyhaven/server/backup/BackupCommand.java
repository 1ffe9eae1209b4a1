package dev.keyhaven.server.backup;

import dev.keyhaven.server.crypto.EnvRootKeyProvider;
import dev.keyhaven.server.crypto.FileRootKeyProvider;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.crypto.RootKeyProperties;
import dev.keyhaven.server.crypto.RootKeyProvider;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code keyhaven-server backup --to FILE} and {@code restore --from FILE} for SQLite. A backup is
 * a zip of {@value #DB_ENTRY}, copied through SQLite's online backup API (a consistent snapshot
 * while the server writes), and {@value #MANIFEST_ENTRY}: the schema version, the root key
 * provider, the root key's id and a digest of the database's root key check value, never key
 * bytes. A restore first checks, on a copy beside the database, that the configured root key opens
 * the backup's check value, and only then replaces the database; a mismatched key writes nothing.
 * Settings come from the same {@code KEYHAVEN_*} variables and {@code --keyhaven.*} options as the
 * server. PostgreSQL is backed up with {@code pg_dump} (docs/deployment.md).
 */
public final class BackupCommand {
    static final String DB_ENTRY = "keyhaven.db";
    static final String MANIFEST_ENTRY = "manifest.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private BackupCommand() {}

    /** Whether {@code args} ask for a backup command rather than the server. */
    public static boolean handles(String[] args) {
        return args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"));
    }

    /**
     * Runs the command and returns what to print; a problem the operator must fix is a {@link
     * StartupException} with a one-line message.
     */
    public static String run(String[] args) {
        String command = args[0];
        String file = option(args, command.equals("backup") ? "--to" : "--from");
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--keyhaven.")) {
                rest.add(a);
            }
        }
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(rest.toArray(String[]::new)));
        ConfigurationPropertySources.attach(env);
        Binder binder = Binder.get(env);
        KeyhavenProperties settings = binder.bindOrCreate("keyhaven", KeyhavenProperties.class);
        RootKeyProperties rootKey = binder.bindOrCreate("keyhaven", RootKeyProperties.class);
        Path db = sqliteFile(settings);
        try {
            return command.equals("backup")
                    ? backup(db, Path.of(file), settings, rootKey)
                    : restore(db, Path.of(file), settings, rootKey);
        } catch (IOException | SQLException e) {
            throw new StartupException(command + " failed: " + e.getMessage(), e);
        }
    }

    static String backup(Path db, Path target, KeyhavenProperties settings, RootKeyProperties rootKey)
            throws IOException, SQLException {
        if (!Files.exists(db)) {
            throw new StartupException("no database at " + db + " (KEYHAVEN_DATA_DIR)");
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path copy = Files.createTempFile(dir, ".keyhaven-backup-", ".db");
        try {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement()) {
                s.executeUpdate("backup to " + quoted(copy));
            }
            Map<String, Object> manifest = manifest(copy, settings, rootKey);
            Path zip = Files.createTempFile(dir, ".keyhaven-backup-", ".zip");
            try (OutputStream out = Files.newOutputStream(zip);
                    ZipOutputStream z = new ZipOutputStream(out)) {
                z.putNextEntry(new ZipEntry(MANIFEST_ENTRY));
                z.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                z.closeEntry();
                z.putNextEntry(new ZipEntry(DB_ENTRY));
                Files.copy(copy, z);
                z.closeEntry();
            }
            Files.move(zip, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return "backup of " + db + " written to " + target + " (schema " + manifest.get("schemaVersion") + ")\n";
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    static String restore(Path db, Path source, KeyhavenProperties settings, RootKeyProperties rootKey)
            throws IOException, SQLException {
        if (!Files.exists(source)) {
            throw new StartupException("no backup at " + source);
        }
        Path dir = db.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path copy = Files.createTempFile(dir, ".keyhaven-restore-", ".db");
        try {
            JsonNode found = null;
            boolean hasDb = false;
            try (InputStream in = Files.newInputStream(source);
                    ZipInputStream z = new ZipInputStream(in)) {
                for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                    if (e.getName().equals(MANIFEST_ENTRY)) {
                        found = JSON.readTree(z.readAllBytes());
                    } else if (e.getName().equals(DB_ENTRY)) {
                        Files.copy(z, copy, StandardCopyOption.REPLACE_EXISTING);
                        hasDb = true;
                    }
                }
            }
            JsonNode manifest = found;
            if (manifest == null || !hasDb) {
                throw new StartupException(
                        source + " is not a Keyhaven backup (no " + MANIFEST_ENTRY + " or " + DB_ENTRY + ")");
            }
            String check = meta(copy, Keyring.ROOT_KEY_CHECK_ROW)
                    .orElseThrow(() -> new StartupException("the backup holds no root key check value"));
            if (!digest(check).equals(manifest.path("rootKeyCheckSha256").asString())) {
                throw new StartupException("the backup's manifest does not belong to its database");
            }
            Keyring.RootKeyReport key = Keyring.inspect(providers(settings, rootKey), check)
                    .orElseThrow(
                            () -> new StartupException("no root key to check the backup with: set KEYHAVEN_ROOT_KEY"
                                    + " or put the root key file in the data directory (the backup was made with key "
                                    + manifest.path("rootKeyId").asString() + ")"));
            if (!key.opensCheck()) {
                throw new StartupException("the root key from " + key.source() + " (id " + key.id()
                        + ") does not match the backup (made with key "
                        + manifest.path("rootKeyId").asString()
                        + "); nothing was restored");
            }
            Files.deleteIfExists(dir.resolve(db.getFileName() + "-wal"));
            Files.deleteIfExists(dir.resolve(db.getFileName() + "-shm"));
            Files.move(copy, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return "restored " + db + " from " + source + " (schema "
                    + manifest.path("schemaVersion").asString() + ", backup of "
                    + manifest.path("createdAt").asString() + ")\n";
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static Map<String, Object> manifest(Path copy, KeyhavenProperties settings, RootKeyProperties rootKey)
            throws SQLException {
        String check = meta(copy, Keyring.ROOT_KEY_CHECK_ROW)
                .orElseThrow(() -> new StartupException("the database holds no root key check value yet"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("createdAt", Instant.now().toString());
        m.put("database", "sqlite");
        m.put("schemaVersion", schemaVersion(copy));
        m.put("rootKeyProvider", rootKey.providerOrNull() == null ? "env, then file" : rootKey.providerOrNull());
        m.put(
                "rootKeyId",
                Keyring.inspect(providers(settings, rootKey), null)
                        .map(Keyring.RootKeyReport::id)
                        .orElse(null));
        m.put("rootKeyCheckSha256", digest(check));
        return m;
    }

    /** The default root key providers (environment, then file); HSM and KMS keys are not checked yet. */
    private static List<RootKeyProvider> providers(KeyhavenProperties settings, RootKeyProperties rootKey) {
        String provider = rootKey.providerOrNull();
        if (provider != null && !provider.equals("env") && !provider.equals("file")) {
            throw new StartupException("backup and restore check the root key of the env and file providers only;"
                    + " KEYHAVEN_ROOT_KEY_PROVIDER=" + provider + " is not supported by them yet");
        }
        List<RootKeyProvider> providers = new ArrayList<>();
        if (provider == null || provider.equals("env")) {
            providers.add(new EnvRootKeyProvider(settings));
        }
        if (provider == null || provider.equals("file")) {
            providers.add(new FileRootKeyProvider(settings));
        }
        return providers;
    }

    private static Optional<String> meta(Path db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var ps = c.prepareStatement("SELECT value FROM instance_meta WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String schemaVersion(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1"
                        + " AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Path sqliteFile(KeyhavenProperties settings) {
        String url = settings.effectiveDbUrl();
        if (!url.startsWith("jdbc:sqlite:")) {
            throw new StartupException("backup and restore work on SQLite; for PostgreSQL use pg_dump and pg_restore"
                    + " (docs/deployment.md#backup-and-restore)");
        }
        return Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", ""));
    }

    private static String option(String[] args, String name) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        throw new StartupException("usage: keyhaven-server " + args[0] + " " + name + " FILE");
    }

    private static String quoted(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
