package dev.keyhaven.server.platform.config;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Small shared beans: the clock every service reads time from (tests may replace it). */
@Configuration(proxyBeanMethods = false)
public class PlatformConfig {
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
