package dev.keyhaven.cli;

import dev.keyhaven.client.Json;
import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.Token;
import dev.keyhaven.client.UserTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stored login: {@code <config dir>/credentials.json}, mode 0600. {@code expiresAt} is in
 * epoch seconds, 0 for a token that does not expire; {@code ttl} is the token's TTL in seconds.
 * A person's login ({@code method} {@value #USER}) also holds the single-use refresh token, the
 * session's organization and the e-mail address; a machine's holds its client id.
 */
record Session(
        String url,
        String method,
        String clientId,
        String accessToken,
        long expiresAt,
        long ttl,
        String refreshToken,
        String organizationId,
        String email) {
    static final String FILE = "credentials.json";
    static final String USER = "user";

    /** A machine identity's login (no refresh token). */
    Session(String url, String method, String clientId, String accessToken, long expiresAt, long ttl) {
        this(url, method, clientId, accessToken, expiresAt, ttl, null, null, null);
    }

    /** A person's login from the tokens of a login or a refresh. */
    static Session ofUser(String url, String email, UserTokens t) {
        long now = Instant.now().getEpochSecond();
        return new Session(
                url,
                USER,
                null,
                t.accessToken(),
                now + t.expiresIn(),
                t.expiresIn(),
                t.refreshToken(),
                t.organizationId(),
                email);
    }

    boolean isUser() {
        return USER.equals(method);
    }

    static Session fromToken(String url, String method, String clientId, Token t) {
        long now = Instant.now().getEpochSecond();
        return new Session(
                url, method, clientId, t.accessToken(), t.expiresIn() > 0 ? now + t.expiresIn() : 0, t.expiresIn());
    }

    static Session load(Path configDir) {
        Path file = configDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Object n = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            String token = Json.str(n, "accessToken", "");
            if (token.isEmpty()) {
                return null;
            }
            return new Session(
                    Json.str(n, "url", null),
                    Json.str(n, "method", "universal-auth"),
                    Json.str(n, "clientId", null),
                    token,
                    Json.num(n, "expiresAt", 0),
                    Json.num(n, "ttl", 0),
                    Json.str(n, "refreshToken", null),
                    Json.str(n, "organizationId", null),
                    Json.str(n, "email", null));
        } catch (IOException | RuntimeException e) {
            throw new KeyhavenCli.UserError(
                    "Cannot read the stored login " + file + " (" + e.getMessage() + "). Run `keyhaven login` again.");
        }
    }

    void save(Path configDir) {
        ObjectNode n = Json.Databind.MAPPER
                .createObjectNode()
                .put("url", url)
                .put("method", method)
                .put("clientId", clientId)
                .put("accessToken", accessToken)
                .put("expiresAt", expiresAt)
                .put("ttl", ttl);
        if (isUser()) {
            n.put("refreshToken", refreshToken)
                    .put("organizationId", organizationId)
                    .put("email", email);
        }
        writePrivate(
                configDir,
                FILE,
                Json.Databind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    /**
     * The token to use now: renewed first when less than a quarter of its TTL (or 30 s) is left.
     * An expired login cannot be renewed (the server refuses it), so it asks the user to log in.
     */
    String freshToken(Path configDir, KeyhavenClient anonymous) {
        if (expiresAt == 0) {
            return accessToken;
        }
        long now = Instant.now().getEpochSecond();
        if (now >= expiresAt) {
            throw new KeyhavenCli.UserError(
                    "Your login expired at " + Instant.ofEpochSecond(expiresAt) + ". Run `keyhaven login` again.");
        }
        if (expiresAt - now > Math.max(ttl / 4, 30)) {
            return accessToken;
        }
        try {
            Token t = anonymous.renew(accessToken);
            Session renewed = fromToken(url, method, clientId, t);
            renewed.save(configDir);
            return renewed.accessToken();
        } catch (KeyhavenException.Unauthenticated | KeyhavenException.Invalid e) {
            // Max TTL reached or use limit hit: the current token still works until it expires.
            return accessToken;
        }
    }

    /** Deletes the stored login; true when there was one. */
    static boolean delete(Path configDir) {
        try {
            return Files.deleteIfExists(configDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + configDir.resolve(FILE), e);
        }
    }

    /**
     * Writes a file readable only by the user (0600 where POSIX permissions exist), atomically and
     * durably: flushed to disk before the rename, since a refreshed session cannot be had twice.
     */
    static void writePrivate(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Path tmp;
            try {
                tmp = Files.createTempFile(
                        dir,
                        "." + name,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, "." + name, ".tmp");
            }
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }
}
