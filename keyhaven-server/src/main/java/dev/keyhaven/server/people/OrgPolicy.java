package dev.keyhaven.server.people;

import dev.keyhaven.server.org.SessionLength;
import dev.keyhaven.server.platform.text.EmailAddresses;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** What an organization's security settings demand of a session in it. */
record OrgPolicy(boolean enforceMfa, long maxSessionMillis, List<String> loginMethods, List<String> emailDomains) {
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    static OrgPolicy of(
            ObjectMapper json, boolean enforceMfa, String sessionLength, String loginMethods, String emailDomains) {
        return new OrgPolicy(
                enforceMfa, SessionLength.millis(sessionLength), list(json, loginMethods), list(json, emailDomains));
    }

    /** Why a session of this kind may not be in the organization, or null when it may. */
    String refusal(String authMethod, String email) {
        // break-glass sessions are admitted whatever the methods; BreakGlass decides who gets one
        if (!BreakGlass.METHOD.equals(authMethod) && !loginMethods.contains(authMethod)) {
            return "This organization does not allow " + authMethod + " login; log in with one of " + loginMethods;
        }
        if (!emailDomains.isEmpty() && !emailDomains.contains(EmailAddresses.domain(email))) {
            return "This organization only admits e-mail addresses at " + emailDomains;
        }
        return null;
    }

    private static List<String> list(ObjectMapper json, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.copyOf(json.readValue(value, LIST));
    }
}
