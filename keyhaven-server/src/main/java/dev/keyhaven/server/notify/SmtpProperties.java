package dev.keyhaven.server.notify;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outgoing mail: {@code KEYHAVEN_SMTP_HOST}, {@code _PORT} (default 587), {@code _USERNAME},
 * {@code _PASSWORD}, {@code _FROM} and {@code _STARTTLS} ({@code true} requires STARTTLS; default
 * false so a local relay works). Without a host no mail is sent, and the features that need it say so.
 */
@ConfigurationProperties("keyhaven.smtp")
public record SmtpProperties(
        String host, Integer port, String username, String password, String from, Boolean starttls) {

    public boolean enabled() {
        return host != null && !host.isBlank();
    }

    public int portOrDefault() {
        return port == null ? 587 : port;
    }

    public String fromOrDefault() {
        return from == null || from.isBlank() ? "Keyhaven <noreply@keyhaven.local>" : from;
    }

    @Override
    public String toString() {
        return "SmtpProperties[host=" + host + ", port=" + portOrDefault() + ", from=" + fromOrDefault() + "]";
    }
}
