package dev.keyhaven.server.notify.channels;

import dev.keyhaven.server.notify.Mail;
import dev.keyhaven.server.notify.NotificationChannel;
import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.platform.db.Ids;
import java.util.Map;

/**
 * One kind of org-configured notification channel (Slack, Microsoft Teams, a signed webhook): a
 * {@link NotificationChannel} whose recipient is the id of a configured channel, never a URL or a
 * token, so the outbox row that names it holds no credential. The kind checks the settings an
 * administrator gives ({@link #config}), shows them masked ({@link #masked}) and posts a message
 * with them ({@link #post}); loading and opening the sealed settings at delivery time is done once
 * here, so a channel deleted after a message was queued drops the message instead of retrying it.
 */
abstract class ChannelKind implements NotificationChannel {
    private final ChannelDelivery delivery;

    ChannelKind(ChannelDelivery delivery) {
        this.delivery = delivery;
    }

    /** The {@code type} of channels of this kind in the API and the table. */
    abstract String type();

    /** The checked settings; a {@link dev.keyhaven.server.platform.web.ValidationException} names a bad field. */
    abstract ChannelConfig config(Map<String, Object> raw);

    /** The settings as an administrator may see them: credentials masked, never returned. */
    abstract Map<String, Object> masked(ChannelConfig config);

    /** Posts one message with the channel's settings; throws to fail the attempt. */
    abstract void post(ChannelDelivery delivery, ChannelConfig config, String channelId, Mail message)
            throws DeliveryFailure;

    @Override
    public String name() {
        return "notify-" + type();
    }

    @Override
    public String recipient(String channelId) {
        if (!Ids.looksLikeId(channelId)) {
            throw new IllegalArgumentException("not a notification channel id");
        }
        return channelId;
    }

    @Override
    public void send(String channelId, Mail message) throws DeliveryFailure {
        post(delivery, delivery.config(channelId, type()), channelId, message);
    }
}
