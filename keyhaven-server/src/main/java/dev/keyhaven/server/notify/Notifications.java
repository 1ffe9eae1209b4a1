package dev.keyhaven.server.notify;

import dev.keyhaven.server.outbox.Outbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What features call to tell a person something. A message is queued in the outbox inside the
 * caller's transaction (a request that rolls back sends nothing) and leaves on a dispatcher's
 * thread, so a slow relay never holds up a request or reveals by its timing whether an account
 * exists. Logs name the template, never the body, which can hold a link or code.
 */
@Service
public class Notifications {
    public static final String EMAIL = "email";
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    private final Map<String, NotificationChannel> channels;
    private final Outbox outbox;

    Notifications(List<NotificationChannel> channels, Outbox outbox) {
        Map<String, NotificationChannel> map = new LinkedHashMap<>();
        channels.forEach(c -> map.put(c.name(), c));
        this.channels = Map.copyOf(map);
        this.outbox = outbox;
    }

    /** Whether this instance sends mail (an SMTP host is configured). */
    public boolean emailEnabled() {
        return enabled(EMAIL);
    }

    public boolean enabled(String channel) {
        NotificationChannel c = channels.get(channel);
        return c != null && c.ready();
    }

    /** Queues one e-mail; false, with nothing queued, when this instance sends no mail. */
    public boolean email(String to, Mail mail) {
        return send(EMAIL, to, mail);
    }

    /**
     * Queues one message on a channel; false, with nothing queued, when the channel is not configured.
     * An invalid recipient is an {@link IllegalArgumentException}, before anything is queued.
     */
    public boolean send(String channel, String recipient, Mail message) {
        NotificationChannel c = channels.get(channel);
        if (c == null || !c.ready()) {
            log.info("Message '{}' not sent: the {} channel is not configured", message.template(), channel);
            return false;
        }
        outbox.enqueue(c.name(), c.recipient(recipient), MailPayload.write(message));
        return true;
    }
}
