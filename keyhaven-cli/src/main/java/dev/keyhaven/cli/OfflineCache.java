package dev.keyhaven.cli;

import dev.keyhaven.client.Json;
import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Secret;
import dev.keyhaven.client.SecretImport;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The offline cache: the last good fetch per project / environment / path (and list flags), one
 * file each in {@code <config dir>/cache/}, encrypted with AES-256-GCM (random 96-bit nonce per
 * write; the cache key is the additional authenticated data, so a file cannot be passed off as
 * another folder's). The 256-bit key is {@code <config dir>/cache.key}; key and files are 0600.
 * <p>File layout: {@code "KHC1"}, 12-byte nonce, ciphertext with the 16-byte tag. The plaintext is
 * the list in the server's JSON shape plus {@code fetchedAt} (epoch seconds).
 */
final class OfflineCache {
    private static final byte[] MAGIC = "KHC1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final Path configDir;

    OfflineCache(Path configDir) {
        this.configDir = configDir;
    }

    /** A cached list and when it was fetched. */
    record Entry(SecretList list, Instant fetchedAt) {}

    void store(SecretQuery q, SecretList list, Instant fetchedAt) {
        String json = toJson(list, fetchedAt);
        try {
            byte[] nonce = new byte[NONCE];
            new SecureRandom().nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(true), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(cacheKey(q).getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(json.getBytes(StandardCharsets.UTF_8));
            byte[] file = ByteBuffer.allocate(MAGIC.length + NONCE + ct.length)
                    .put(MAGIC)
                    .put(nonce)
                    .put(ct)
                    .array();
            writePrivate(file(q), file);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the offline cache: " + e.getMessage(), e);
        }
    }

    /** The cached list, or null when there is none (or it cannot be decrypted: another key, tampering). */
    Entry load(SecretQuery q) {
        Path f = file(q);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            byte[] key = key(false);
            byte[] all = Files.readAllBytes(f);
            if (key == null
                    || all.length < MAGIC.length + NONCE + TAG_BITS / 8
                    || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
                return null;
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, all, MAGIC.length, NONCE));
            c.updateAAD(cacheKey(q).getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(all, MAGIC.length + NONCE, all.length - MAGIC.length - NONCE);
            Object body = Json.parse(new String(plain, StandardCharsets.UTF_8));
            return new Entry(
                    KeyhavenClient.secretList(body, null), Instant.ofEpochSecond(Json.num(body, "fetchedAt", 0)));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** "3 minutes", "2 hours", "5 days": how old a cache entry is. */
    static String age(Instant fetchedAt, Instant now) {
        long s = Math.max(0, Duration.between(fetchedAt, now).getSeconds());
        if (s < 120) {
            return s + " second" + (s == 1 ? "" : "s");
        }
        if (s < 2 * 3600) {
            return s / 60 + " minutes";
        }
        if (s < 2 * 86400) {
            return s / 3600 + " hours";
        }
        return s / 86400 + " days";
    }

    // ---- files --------------------------------------------------------------------------------

    static String cacheKey(SecretQuery q) {
        return "v1\n" + q.projectId() + "\n" + q.environment() + "\n" + q.secretPath() + "\nexpand=" + q.expand()
                + "\nimports=" + q.includeImports() + "\nrecursive=" + q.recursive();
    }

    Path file(SecretQuery q) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(cacheKey(q).getBytes(StandardCharsets.UTF_8));
            return configDir.resolve("cache").resolve(HexFormat.of().formatHex(h, 0, 16) + ".bin");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key, created (0600) on first use when {@code create}; null when missing and not created. */
    private byte[] key(boolean create) {
        Path f = configDir.resolve("cache.key");
        try {
            if (Files.isRegularFile(f)) {
                byte[] k = Files.readAllBytes(f);
                if (k.length == 32) {
                    return k;
                }
                if (!create) {
                    return null;
                }
            } else if (!create) {
                return null;
            }
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            writePrivate(f, k);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the offline cache key " + f, e);
        }
    }

    private static void writePrivate(Path target, byte[] content) {
        try {
            Path dir = target.getParent();
            try {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
            Path tmp;
            try {
                tmp = Files.createTempFile(
                        dir,
                        "." + target.getFileName(),
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            }
            Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    // ---- JSON (the server's shape, written without databind) ------------------------------------

    private static String toJson(SecretList list, Instant fetchedAt) {
        StringBuilder b = new StringBuilder("{\"fetchedAt\":")
                .append(fetchedAt.getEpochSecond())
                .append(",\"secrets\":");
        secrets(b, list.secrets());
        b.append(",\"imports\":[");
        for (int i = 0; i < list.imports().size(); i++) {
            SecretImport imp = list.imports().get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"environment\":")
                    .append(Json.quote(imp.environment()))
                    .append(",\"secretPath\":")
                    .append(Json.quote(imp.secretPath()))
                    .append(",\"secrets\":");
            secrets(b, imp.secrets());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static void secrets(StringBuilder b, List<Secret> secrets) {
        b.append('[');
        for (int i = 0; i < secrets.size(); i++) {
            Secret s = secrets.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(Json.quote(s.id()))
                    .append(",\"secretKey\":")
                    .append(Json.quote(s.key()))
                    .append(",\"secretValue\":")
                    .append(Json.quote(s.value()))
                    .append(",\"secretComment\":")
                    .append(Json.quote(s.comment()))
                    .append(",\"environment\":")
                    .append(Json.quote(s.environment()))
                    .append(",\"secretPath\":")
                    .append(Json.quote(s.secretPath()))
                    .append(",\"version\":")
                    .append(s.version())
                    .append(",\"type\":")
                    .append(Json.quote(s.type()))
                    .append(",\"secretValueHidden\":")
                    .append(s.valueHidden())
                    .append('}');
        }
        b.append(']');
    }
}
