package dev.keyhaven.server;

import dev.keyhaven.server.backup.BackupCommand;
import dev.keyhaven.server.platform.config.SettingsHelp;
import dev.keyhaven.server.platform.config.StartupException;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Keyhaven server. Configuration comes from {@code KEYHAVEN_*} environment variables. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KeyhavenApplication {
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(SettingsHelp.render());
            return;
        }
        if (BackupCommand.handles(args)) {
            try {
                System.out.print(BackupCommand.run(args));
            } catch (StartupException e) {
                System.err.println("keyhaven: " + args[0] + ": " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        allowHostHeader();
        SpringApplication app = new SpringApplication(KeyhavenApplication.class);
        try {
            app.run(translate(args));
        } catch (RuntimeException e) {
            // the failure reporter has already printed the one-line reason
            System.exit(1);
        }
    }

    /** {@code --dev} is {@code --keyhaven.dev=true} (see DevModeSettings); other arguments pass unchanged. */
    static String[] translate(String[] args) {
        return Arrays.stream(args)
                .map(a -> a.equals("--dev") ? "--keyhaven.dev=true" : a)
                .toArray(String[]::new);
    }

    /**
     * AWS auth sends the signed STS request to an operator's endpoint override with the Host the
     * client signed ({@code sts.<region>.amazonaws.com}); the JDK HTTP client sends a Host header of
     * its own only when this is set before its first use. It changes nothing for other requests.
     */
    static void allowHostHeader() {
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        }
    }
}
