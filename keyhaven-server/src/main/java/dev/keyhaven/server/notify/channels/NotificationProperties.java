package dev.keyhaven.server.notify.channels;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How org notification channels deliver, from {@code KEYHAVEN_NOTIFICATIONS_*}: how long a
 * receiver may take to answer before the attempt fails and the outbox retries later
 * ({@code TIMEOUT}, default 5s, at most the outbound client's 10s), and Slack's Web API base for bot
 * channels ({@code SLACK_API_URL}, default {@code https://slack.com/api}).
 */
@ConfigurationProperties("keyhaven.notifications")
public record NotificationProperties(Duration timeout, String slackApiUrl) {
    public NotificationProperties {
        if (timeout == null) {
            timeout = Duration.ofSeconds(5);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("keyhaven.notifications.timeout must be positive and at most 10s");
        }
        slackApiUrl = slackApiUrl == null || slackApiUrl.isBlank()
                ? "https://slack.com/api"
                : slackApiUrl.endsWith("/") ? slackApiUrl.substring(0, slackApiUrl.length() - 1) : slackApiUrl;
    }
}
