package dev.keyhaven.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Keyhaven server. Configuration comes from {@code KEYHAVEN_*} environment variables. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KeyhavenApplication {
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(KeyhavenApplication.class);
        try {
            app.run(args);
        } catch (RuntimeException e) {
            // the failure reporter has already printed the one-line reason
            System.exit(1);
        }
    }
}
