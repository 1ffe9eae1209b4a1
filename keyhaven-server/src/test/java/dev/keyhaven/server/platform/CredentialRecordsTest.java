package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.keyhaven.server.platform.log.Redaction;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Every record of the server whose components hold a credential or secret value (a password,
 * token, client secret, JWT, code, hash, signed request, secret value...) prints it masked: Spring
 * logs request bodies and arguments with {@code toString()} at debug level, so an unmasked record
 * would put the credential in the log. Found by scanning the compiled classes, so a new record
 * is covered without being listed here.
 */
class CredentialRecordsTest {

    @Test
    void noRecordPrintsACredentialComponent() throws Exception {
        List<Class<?>> records = new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.keyhaven.server")
                        .stream()
                        .<Class<?>>map(JavaClass::reflect)
                        .filter(Class::isRecord)
                        .toList();
        assertThat(records).as("the scan found the server's records").hasSizeGreaterThan(50);
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (Class<?> type : records) {
            RecordComponent[] components = type.getRecordComponents();
            List<String> sensitive = new ArrayList<>();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                String marker = "MARKER-" + type.getSimpleName() + "-" + components[i].getName() + "-x";
                args[i] = sample(components[i].getType(), marker);
                if (Redaction.isSensitive(components[i].getName())
                        && (args[i] instanceof String || args[i] instanceof JsonNode)) {
                    sensitive.add(marker);
                }
            }
            if (sensitive.isEmpty()) {
                continue;
            }
            Constructor<?> canonical = type.getDeclaredConstructor(java.util.Arrays.stream(components)
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            String printed = canonical.newInstance(args).toString();
            checked++;
            for (String marker : sensitive) {
                if (printed.contains(marker)) {
                    leaks.add(type.getName() + " prints "
                            + marker.substring(marker.lastIndexOf('-', marker.length() - 3) + 1));
                }
            }
        }
        assertThat(checked).as("records with credential components").isGreaterThan(20);
        assertThat(leaks)
                .as("records whose toString() shows a credential; override toString() with Redaction.toString(this)")
                .isEmpty();
    }

    @Test
    void descriptiveNamesAreNotMaskedButCredentialsAre() {
        for (String name : List.of(
                "password",
                "newPassword",
                "clientSecret",
                "accessToken",
                "refreshToken",
                "jwt",
                "tokenReviewerJwt",
                "recoveryCode",
                "code",
                "mfaToken",
                "passwordHash",
                "bindPass",
                "secretValue",
                "iamRequestHeaders",
                "privateKey",
                "rootKey")) {
            assertThat(Redaction.isSensitive(name)).as(name).isTrue();
        }
        for (String name : List.of(
                "email",
                "identityId",
                "secretKey",
                "secretPath",
                "accessTokenTTL",
                "clientSecretPrefix",
                "tokenId",
                "clientSecretTrustedIps",
                "tokenReviewMode",
                "organizationId")) {
            assertThat(Redaction.isSensitive(name)).as(name).isFalse();
        }
    }

    private static Object sample(Class<?> type, String marker) {
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            return marker;
        }
        if (type == JsonNode.class) {
            return JsonNodeFactory.instance.stringNode(marker);
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        if (type == int.class || type == Integer.class) {
            return 0;
        }
        if (type == long.class || type == Long.class) {
            return 0L;
        }
        if (type == double.class || type == Double.class) {
            return 0d;
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == byte[].class) {
            return new byte[0];
        }
        return null;
    }
}
