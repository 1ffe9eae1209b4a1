package dev.keyhaven.server.crypto;

import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Moves every root-wrapped key (org keys, the instance key, the credential digest keys) under the
 * current root key, after start-up, in the background: each key is unwrapped with the root key
 * that wrapped it (a previous one, given for the rotation) and wrapped again with the current one.
 * The keys themselves do not change, so no value, version or digest is touched and the node serves
 * meanwhile (keys still under the previous root key open with it). Each row is replaced only if
 * it still holds what was read, so nodes running the same pass never undo each other. The root
 * key check value moves last, once no key is left under another root key; from then on the
 * previous key may be removed. Each re-wrapped org key is recorded in that org's audit log.
 */
@Component
class RootKeyRotation implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(RootKeyRotation.class);
    private static final int BATCH = 200;

    /** What one pass did. */
    record Result(int rewrapped, int recorded, int failed, boolean checkMoved) {}

    private final Keyring keyring;
    private final DataKeyStore store;
    private final AuditLog audit;

    RootKeyRotation(Keyring keyring, DataKeyStore store, AuditLog audit) {
        this.keyring = keyring;
        this.store = store;
        this.audit = audit;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (store.notWrappedBy(keyring.rootKeyId(), "", 1).isEmpty()) {
            return;
        }
        Thread t = new Thread(this::runLogged, "root-key-rotation");
        t.setDaemon(true);
        t.start();
    }

    private void runLogged() {
        try {
            rewrapAll();
        } catch (RuntimeException e) {
            log.error("Root key rotation stopped: {} (it resumes at the next start)", e.getMessage());
        }
    }

    /** One pass over every key not yet under the current root key. */
    Result rewrapAll() {
        String current = keyring.rootKeyId();
        log.info(
                "Re-wrapping keys under root key {} (previous root keys given: {})",
                current,
                keyring.previousRootKeyIds());
        int rewrapped = 0;
        int recorded = 0;
        int failed = 0;
        String after = "";
        List<DataKeyStore.WrappedKey> batch;
        do {
            batch = store.notWrappedBy(current, after, BATCH);
            for (DataKeyStore.WrappedKey row : batch) {
                after = row.id();
                try {
                    switch (keyring.rewrapUnderCurrentRootKey(row)) {
                        case REWRAPPED -> {
                            rewrapped++;
                            audited(row, current);
                        }
                        case RECORDED -> recorded++;
                        case RACED -> {}
                    }
                } catch (DecryptionException | KeyServiceUnavailableException e) {
                    failed++;
                    log.warn("Could not re-wrap the {} key of {}: {}", row.scope(), row.ownerId(), e.getMessage());
                }
            }
            if (rewrapped > 0 && rewrapped % 1000 < batch.size()) {
                log.info("Root key rotation: {} keys re-wrapped so far", rewrapped);
            }
        } while (batch.size() == BATCH);
        boolean done = failed == 0 && store.notWrappedBy(current, "", 1).isEmpty();
        boolean checkMoved = done && keyring.rewrapRootKeyCheck();
        if (failed > 0) {
            log.warn(
                    "Root key rotation: {} keys re-wrapped, {} could not be (give the root key that wrapped them; "
                            + "the pass runs again at the next start)",
                    rewrapped,
                    failed);
        } else {
            log.info(
                    "Root key rotation: {} keys re-wrapped ({} more only got their root key id recorded); every key "
                            + "is now under root key {}{}",
                    rewrapped,
                    recorded,
                    current,
                    done ? " (the previous root key is no longer needed)" : "");
        }
        return new Result(rewrapped, recorded, failed, checkMoved);
    }

    private void audited(DataKeyStore.WrappedKey row, String current) {
        if (!row.scope().equals("org")) {
            return;
        }
        audit.record(new AuditEvent(
                row.ownerId(),
                null,
                null,
                "platform",
                null,
                Map.of(),
                AuditEventType.ROOT_KEY_REWRAPPED,
                Map.of(
                        "fromRootKeyId",
                        row.rootKeyId() == null ? "unrecorded" : row.rootKeyId(),
                        "toRootKeyId",
                        current),
                null,
                null));
    }
}
