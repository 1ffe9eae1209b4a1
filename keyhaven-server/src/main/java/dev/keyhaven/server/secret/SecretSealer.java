package dev.keyhaven.server.secret;

import dev.keyhaven.server.crypto.Keyring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Seals and opens the encrypted parts of a secret version under the project's data key. The
 * associated data names project, secret id, version and part, so a ciphertext copied to another
 * secret, version or field does not open.
 */
@Component
class SecretSealer {
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};
    /** The mark of a reminder note stored in clear before notes were sealed (never the start of a sealed one). */
    static final String CLEAR_NOTE = "clear:";

    private final Keyring keyring;
    private final ObjectMapper json;

    SecretSealer(Keyring keyring, ObjectMapper json) {
        this.keyring = keyring;
        this.json = json;
    }

    String sealValue(String projectId, String secretId, int version, String value) {
        return keyring.sealForProject(projectId, value, aad(projectId, secretId, version, "value"));
    }

    String openValue(SecretRow s) {
        return keyring.openForProject(s.projectId(), s.valueCt(), aad(s.projectId(), s.id(), s.version(), "value"));
    }

    String sealComment(String projectId, String secretId, int version, String comment) {
        return comment == null || comment.isEmpty()
                ? null
                : keyring.sealForProject(projectId, comment, aad(projectId, secretId, version, "comment"));
    }

    String openComment(SecretRow s) {
        return s.commentCt() == null
                ? ""
                : keyring.openForProject(
                        s.projectId(), s.commentCt(), aad(s.projectId(), s.id(), s.version(), "comment"));
    }

    /**
     * The reminder note, sealed like the comment. Notes written before they were sealed were
     * marked {@value #CLEAR_NOTE} by the migration that introduced sealing, and read as they are.
     */
    String sealReminderNote(String projectId, String secretId, int version, String note) {
        return note == null
                ? null
                : keyring.sealForProject(projectId, note, aad(projectId, secretId, version, "reminder-note"));
    }

    String openReminderNote(SecretRow s) {
        String stored = s.reminderNote();
        if (stored == null) {
            return null;
        }
        if (stored.startsWith(CLEAR_NOTE)) {
            return stored.substring(CLEAR_NOTE.length());
        }
        return keyring.openForProject(s.projectId(), stored, aad(s.projectId(), s.id(), s.version(), "reminder-note"));
    }

    /** Metadata as stored: plain entries as they are, encrypted entries sealed with their key in the AAD. */
    String sealMetadata(String projectId, String secretId, int version, List<SecretMetadata> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecretMetadata m : entries) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", m.key());
            if (m.isEncrypted()) {
                e.put(
                        "ct",
                        keyring.sealForProject(
                                projectId, m.value(), aad(projectId, secretId, version, "metadata:" + m.key())));
            } else {
                e.put("value", m.value());
            }
            out.add(e);
        }
        return json.writeValueAsString(out);
    }

    List<SecretMetadata> openMetadata(SecretRow s) {
        if ("[]".equals(s.metadataJson())) {
            return List.of();
        }
        List<SecretMetadata> out = new ArrayList<>();
        for (Map<String, Object> e : json.readValue(s.metadataJson(), LIST)) {
            String key = String.valueOf(e.get("key"));
            if (e.containsKey("ct")) {
                out.add(new SecretMetadata(
                        key,
                        keyring.openForProject(
                                s.projectId(),
                                String.valueOf(e.get("ct")),
                                aad(s.projectId(), s.id(), s.version(), "metadata:" + key)),
                        true));
            } else {
                out.add(new SecretMetadata(key, String.valueOf(e.get("value")), false));
            }
        }
        return out;
    }

    private static String aad(String projectId, String secretId, int version, String part) {
        return "keyhaven:secret:v1:" + projectId + ":" + secretId + ":" + version + ":" + part;
    }
}
