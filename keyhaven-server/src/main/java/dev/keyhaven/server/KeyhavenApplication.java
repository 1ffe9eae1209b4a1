package dev.keyhaven.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Keyhaven server. Configuration comes from {@code KEYHAVEN_*} environment variables. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KeyhavenApplication {
    public static void main(String[] args) {
        allowHostHeader();
        SpringApplication app = new SpringApplication(KeyhavenApplication.class);
        try {
            app.run(args);
        } catch (RuntimeException e) {
            // the failure reporter has already printed the one-line reason
            System.exit(1);
        }
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
