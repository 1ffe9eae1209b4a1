package dev.keyhaven.server.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Sends mail through the configured SMTP server on a background thread, so a slow relay never
 * holds up a login or reveals by its timing whether an account exists. Logs name the template
 * and never the body, which can hold a link or code.
 */
@Component
public class Mailer {
    private static final Logger log = LoggerFactory.getLogger(Mailer.class);
    private final SmtpProperties props;
    private final JavaMailSenderImpl sender;
    private final ThreadPoolExecutor executor =
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
                Thread t = new Thread(r, "keyhaven-mailer");
                t.setDaemon(true);
                return t;
            });

    public Mailer(SmtpProperties props) {
        this.props = props;
        this.sender = props.enabled() ? sender(props) : null;
        if (sender == null) {
            log.info("SMTP is not configured (KEYHAVEN_SMTP_HOST): no mail will be sent");
        }
    }

    public boolean enabled() {
        return sender != null;
    }

    /** Queues one message; returns false when mail is off or the queue is full. */
    public boolean send(String to, Mail mail) {
        if (sender == null) {
            log.info("Mail '{}' not sent: SMTP is not configured", mail.template());
            return false;
        }
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(props.fromOrDefault());
        m.setTo(checked(to));
        m.setSubject(mail.subject());
        m.setText(mail.body());
        try {
            executor.execute(() -> deliver(m, mail.template()));
            return true;
        } catch (RejectedExecutionException e) {
            log.warn("Mail '{}' dropped: the outgoing queue is full", mail.template());
            return false;
        }
    }

    private void deliver(SimpleMailMessage m, String template) {
        try {
            sender.send(m);
            log.debug("Mail '{}' sent", template);
        } catch (RuntimeException e) {
            log.warn("Mail '{}' could not be sent: {}", template, e.getClass().getSimpleName());
        }
    }

    /** One strict address: a value with a second address, a header or a newline in it is refused. */
    private static String checked(String to) {
        try {
            InternetAddress a = new InternetAddress(to, true);
            a.validate();
            return a.getAddress();
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a single valid e-mail address");
        }
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
