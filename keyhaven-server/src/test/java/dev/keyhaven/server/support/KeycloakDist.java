package dev.keyhaven.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak distribution as the tests keep it: unzipped once per Keycloak version and JVM under
 * {@code ~/.cache/keyhaven-test} (or {@code $XDG_CACHE_HOME/keyhaven-test}), with an H2 snapshot of
 * the test realm taken after one start with {@code --import-realm}. The first start in a fresh
 * copy spends a long time on Quarkus re-augmentation and the import; with the snapshot later runs
 * start in about half the time of an import. The snapshot is keyed by a hash of the realm JSON, so
 * editing the realm makes a new one. Each run gets its own Keycloak home (the launcher copied,
 * {@code lib}, {@code conf}, {@code providers}, {@code themes} linked, {@code data} its own), so
 * concurrent test runs on one machine never share a database or transaction log.
 */
final class KeycloakDist {
    private static final List<String> SHARED_DIRS = List.of("lib", "conf", "providers", "themes");

    private final String version;
    private final Path zip;
    private final Path cacheDir;
    private final byte[] realm;
    private final String realmHash;

    KeycloakDist(String version, Path zip, Path cacheDir, byte[] realm) {
        this.version = version;
        this.zip = zip;
        this.cacheDir = cacheDir;
        this.realm = realm;
        this.realmHash = sha256(realm).substring(0, 16);
    }

    String version() {
        return version;
    }

    /** Where the unzipped, augmented distribution lives. */
    Path home() {
        return cacheDir.resolve("keycloak-" + version);
    }

    Path snapshot() {
        return cacheDir.resolve("h2-" + realmHash).resolve("keycloakdb.mv.db");
    }

    /**
     * Makes sure the distribution is unzipped and the realm snapshot exists, under a lock shared by
     * all JVMs on the machine; {@code importRun} starts Keycloak in the given home with
     * {@code --import-realm}, waits for it and stops it. Returns the snapshot file.
     */
    @SuppressWarnings("try") // the lock is held for the block's length and never read
    Path prepare(Path runRoot, ImportRun importRun) {
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel ch = FileChannel.open(
                            cacheDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                if (Files.exists(snapshot())) {
                    return snapshot();
                }
                Path ready = cacheDir.resolve("keycloak-" + version + ".ready");
                if (!Files.exists(ready)) {
                    // a missing marker means no start ever finished here: the unzip or the
                    // augmentation may have been cut short, so begin again from the zip
                    deleteTree(home());
                    unzip();
                }
                Path importHome = runHome(runRoot.resolve("import-home"));
                Files.createDirectories(importHome.resolve("data/import"));
                Files.write(importHome.resolve("data/import/keyhaven-realm.json"), realm);
                importRun.run(importHome);
                Files.writeString(ready, version);
                Path h2 = importHome.resolve("data/h2/keycloakdb.mv.db");
                if (!Files.exists(h2)) {
                    throw new IllegalStateException("Keycloak stopped without writing " + h2);
                }
                Files.createDirectories(snapshot().getParent());
                Path tmp = snapshot().resolveSibling("keycloakdb.mv.db.tmp");
                Files.copy(h2, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, snapshot(), StandardCopyOption.ATOMIC_MOVE);
                return snapshot();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Keycloak " + version + " under " + cacheDir, e);
        }
    }

    void dropSnapshot() {
        try {
            Files.deleteIfExists(snapshot());
        } catch (IOException e) {
            // the next run finds it again and fails the same way, with the same advice
        }
    }

    /** Starts Keycloak in {@code home} with the realm import, waits until it serves the realm, stops it. */
    interface ImportRun {
        void run(Path home);
    }

    /** A fresh home for one run, sharing the distribution's code, with an empty {@code data} directory. */
    Path runHome(Path dir) throws IOException {
        deleteTree(dir);
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("data"));
        // kc.sh takes its home from its own (resolved) path, so it is copied, not linked
        Path launcher = dir.resolve("bin/kc.sh");
        Files.copy(home().resolve("bin/kc.sh"), launcher);
        launcher.toFile().setExecutable(true);
        for (String shared : SHARED_DIRS) {
            Files.createSymbolicLink(dir.resolve(shared), home().resolve(shared));
        }
        return dir;
    }

    /** A run home whose database starts as the snapshot. */
    Path runHomeFromSnapshot(Path dir, Path snapshot) throws IOException {
        Path home = runHome(dir);
        Files.createDirectories(home.resolve("data/h2"));
        Files.copy(snapshot, home.resolve("data/h2/keycloakdb.mv.db"));
        return home;
    }

    private void unzip() throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("the Keycloak distribution " + zip + " is missing: Maven copies it there"
                    + " in the process-test-resources phase (mvn -pl keyhaven-server process-test-resources)");
        }
        Path tmp = cacheDir.resolve("unzip-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        String top = "keycloak-" + version + "/";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path target = tmp.resolve(e.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IllegalStateException("unexpected path in " + zip + ": " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target);
                }
                if (e.getName().endsWith(".sh")) {
                    target.toFile().setExecutable(true);
                }
            }
        }
        Path unzipped = tmp.resolve(top);
        if (!Files.isRegularFile(unzipped.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(zip + " has no " + top + "bin/kc.sh");
        }
        Files.move(unzipped, home(), StandardCopyOption.ATOMIC_MOVE);
        deleteTree(tmp);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walk does not follow the symbolic links of a run home, so the shared distribution stays
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
