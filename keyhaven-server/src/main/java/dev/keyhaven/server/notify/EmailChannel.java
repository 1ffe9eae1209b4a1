package dev.keyhaven.server.notify;

import dev.keyhaven.server.outbox.DeliveryFailure;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * The e-mail channel: plain-text mail through the configured SMTP server
 * ({@link SmtpProperties}). Without {@code KEYHAVEN_SMTP_HOST} it is not ready, nothing is queued for
 * it, and features that need mail say so. A relay that cannot be reached or refuses for now is
 * retried by the outbox; a message the mail library cannot even build is dead at once.
 */
@Component
public class EmailChannel implements NotificationChannel {
    private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);
    private final SmtpProperties props;
    private final JavaMailSenderImpl sender;

    public EmailChannel(SmtpProperties props) {
        this.props = props;
        this.sender = props.enabled() ? sender(props) : null;
        if (sender == null) {
            log.info("SMTP is not configured (KEYHAVEN_SMTP_HOST): no mail will be sent");
        }
    }

    @Override
    public String name() {
        return Notifications.EMAIL;
    }

    @Override
    public boolean ready() {
        return sender != null;
    }

    /** One strict address: a value with a second address, a header or a newline in it is refused. */
    @Override
    public String recipient(String to) {
        try {
            InternetAddress a = new InternetAddress(to, true);
            a.validate();
            return a.getAddress();
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a single valid e-mail address");
        }
    }

    @Override
    public void send(String to, Mail mail) throws DeliveryFailure {
        if (sender == null) {
            throw new DeliveryFailure("SMTP is not configured", false, null);
        }
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(props.fromOrDefault());
        m.setTo(recipient(to));
        m.setSubject(mail.subject());
        m.setText(mail.body());
        try {
            sender.send(m);
        } catch (MailParseException | MailPreparationException e) {
            throw new DeliveryFailure(
                    "the message cannot be built: " + e.getClass().getSimpleName(), true, e);
        }
        log.debug("Mail '{}' sent", mail.template());
    }

    private static JavaMailSenderImpl sender(SmtpProperties p) {
        JavaMailSenderImpl s = new JavaMailSenderImpl();
        s.setHost(p.host());
        s.setPort(p.portOrDefault());
        s.setUsername(p.username());
        s.setPassword(p.password());
        Properties js = s.getJavaMailProperties();
        js.put("mail.smtp.auth", p.username() != null && !p.username().isBlank());
        js.put("mail.smtp.starttls.enable", Boolean.TRUE.equals(p.starttls()));
        js.put("mail.smtp.starttls.required", Boolean.TRUE.equals(p.starttls()));
        js.put("mail.smtp.connectiontimeout", 10_000);
        js.put("mail.smtp.timeout", 10_000);
        js.put("mail.smtp.writetimeout", 10_000);
        return s;
    }
}
