package dev.keyhaven.server.secret;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Seals, once after start-up, the reminder notes that were stored in clear before notes were
 * sealed (marked {@value SecretSealer#CLEAR_NOTE} by the migration that introduced sealing), in
 * secrets and their history alike. Until then they read as they are; each row is replaced only
 * if it still holds the clear note, so a concurrent write wins. Logs how many, never a note. The
 * migration leaves a marker only when there were notes, and the marker goes once none is left in
 * clear, so every other start costs one lookup instead of a scan of all secrets and versions.
 */
@Component
class ClearReminderNotes implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(ClearReminderNotes.class);
    private static final int BATCH = 500;

    private final SecretStore store;
    private final SecretSealer sealer;

    ClearReminderNotes(SecretStore store, SecretSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!store.clearNotesPending()) {
            return;
        }
        int sealed = sealAll();
        if (sealed > 0) {
            log.info("Sealed {} reminder notes stored in clear before notes were encrypted", sealed);
        }
        if (store.clearNotes(false, 1).isEmpty() && store.clearNotes(true, 1).isEmpty()) {
            store.clearNotesDone();
        }
    }

    /** Seals every clear note left; the number of rows sealed. */
    int sealAll() {
        int sealed = 0;
        for (boolean history : new boolean[] {false, true}) {
            List<SecretStore.ClearNote> batch;
            int progress;
            do {
                batch = store.clearNotes(history, BATCH);
                progress = 0;
                for (SecretStore.ClearNote n : batch) {
                    String note = n.note().substring(SecretSealer.CLEAR_NOTE.length());
                    String ct = sealer.sealReminderNote(n.projectId(), n.secretId(), n.version(), note);
                    if (store.replaceNote(history, n, ct)) {
                        progress++;
                    }
                }
                sealed += progress;
            } while (batch.size() == BATCH && progress > 0);
        }
        return sealed;
    }
}
