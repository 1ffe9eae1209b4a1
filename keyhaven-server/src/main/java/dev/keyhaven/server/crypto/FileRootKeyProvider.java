package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.OwnerOnlyFiles;
import dev.keyhaven.server.platform.config.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The root key in {@code <data dir>/root.key} (base64, mode 0600). Generated on the first start of
 * a new database so that a bare {@code java -jar} needs no setup; never for a database that already
 * holds sealed data (a restored one), since a new key cannot read it. The operator should back this
 * file up apart from the database, since the data cannot be read without it. The key is held in a
 * {@link LocalRootKeyWrapper} once read.
 */
@Component
@Order(2)
public class FileRootKeyProvider implements RootKeyProvider {
    private static final Logger log = LoggerFactory.getLogger(FileRootKeyProvider.class);
    private final KeyhavenProperties props;

    public FileRootKeyProvider(KeyhavenProperties props) {
        this.props = props;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String describeMissing() {
        return "the root key file " + file() + " does not exist";
    }

    @Override
    public Optional<RootKeyWrapper> load() {
        Path file = file();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        OwnerOnlyFiles.restrict(file);
        return Optional.of(read(file));
    }

    @Override
    public Optional<RootKeyWrapper> generate() {
        Path file = file();
        create(file);
        return Optional.of(read(file));
    }

    private Path file() {
        return props.dataDir().resolve("root.key").toAbsolutePath();
    }

    private static RootKeyWrapper read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new StartupException("cannot read the root key file " + file + ": " + e.getMessage()
                    + " (check its owner and permissions, or set KEYHAVEN_ROOT_KEY)");
        }
        byte[] key = EnvRootKeyProvider.decode(content, "the root key file " + file);
        try {
            return new LocalRootKeyWrapper(key, file.toString());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static void create(Path file) {
        try {
            OwnerOnlyFiles.createDirectory(file.getParent());
            byte[] key = Aead.newKey();
            OwnerOnlyFiles.createFile(file);
            Files.writeString(
                    file,
                    Base64.getEncoder().encodeToString(key) + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Arrays.fill(key, (byte) 0);
            log.warn("Generated a new root key in {}: back it up apart from the database", file);
        } catch (FileAlreadyExistsException e) {
            // another process created it first; read theirs
        } catch (IOException e) {
            throw new StartupException("cannot create the root key file " + file + ": " + e.getMessage()
                    + " (set KEYHAVEN_DATA_DIR to a writable directory, or set KEYHAVEN_ROOT_KEY)");
        }
    }
}
