package dev.keyhaven.server.notify;

import tools.jackson.databind.json.JsonMapper;

/** A message as the outbox stores it: the template's name, the subject and the body, as JSON. */
final class MailPayload {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MailPayload() {}

    static String write(Mail mail) {
        return JSON.writeValueAsString(mail);
    }

    static Mail read(String payload) {
        return JSON.readValue(payload, Mail.class);
    }
}
