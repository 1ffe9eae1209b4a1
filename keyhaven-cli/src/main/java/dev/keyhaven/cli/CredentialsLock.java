package dev.keyhaven.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises changes to the stored login between {@code keyhaven} processes (an OS file lock on
 * {@code credentials.json.lock} beside it) and between threads of one process. A person's refresh
 * token works once and reusing it ends the whole session, so two processes must never refresh
 * with the same one: each reads the stored login again under the lock and refreshes only if no
 * one else has. The lock lives in its own file because the credentials file is replaced by a
 * rename on every write, which would leave a lock on the old file guarding nothing.
 */
final class CredentialsLock {
    static final String FILE = Session.FILE + ".lock";
    /** A refresh is one request with a 30 s time-out; a holder longer than this is stuck. */
    private static final long WAIT_MILLIS = 60_000;
    /** File locks belong to the process: threads of this one queue here first. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private CredentialsLock() {}

    /** Runs {@code work} holding the lock; re-entrant within a thread. */
    @SuppressWarnings("try") // the lock is held for the block's length and never read
    static <T> T hold(Path configDir, Supplier<T> work) {
        IN_PROCESS.lock();
        try {
            if (IN_PROCESS.getHoldCount() > 1) {
                return work.get(); // this thread holds the file lock already
            }
            Path file = configDir.resolve(FILE);
            try (FileChannel ch = open(configDir, file);
                    FileLock lock = acquire(ch, file)) {
                return work.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + file, e);
            }
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private static FileChannel open(Path configDir, Path file) throws IOException {
        Files.createDirectories(configDir);
        try {
            return FileChannel.open(
                    file,
                    java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
    }

    private static FileLock acquire(FileChannel ch, Path file) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        long pause = 10;
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new KeyhavenCli.UserError("Another keyhaven process has held " + file + " for more than "
                        + WAIT_MILLIS / 1000 + " s. Wait for it to finish, or stop it, and try again.");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyhavenCli.UserError("Interrupted while waiting for the lock on " + file + ".");
            }
            pause = Math.min(pause * 2, 200);
        }
    }
}
