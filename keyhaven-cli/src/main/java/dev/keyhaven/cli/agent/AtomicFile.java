package dev.keyhaven.cli.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Replaces a file so that a reader sees the old content or the new, never a mix or an empty
 * file: the content goes to a temporary file in the same directory (created readable by the
 * owner only), is flushed to disk, gets its final mode, and is renamed over the destination;
 * then the directory is flushed so the rename survives a crash.
 */
final class AtomicFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFile() {}

    /** True when {@code dest} already holds exactly {@code content} with mode {@code mode}. */
    static boolean upToDate(Path dest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS) || Files.size(dest) != content.length) {
            return false;
        }
        return Files.getPosixFilePermissions(dest, LinkOption.NOFOLLOW_LINKS).equals(mode)
                && Arrays.equals(Files.readAllBytes(dest), content);
    }

    static void write(Path dest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = dest.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(
                dir, "." + dest.getFileName() + ".", ".keyhaven-tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // Set explicitly: the mode given at creation is masked by the umask.
            Files.setPosixFilePermissions(tmp, mode);
            Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }
}
