package dev.keyhaven.server.platform.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on {@code @Scheduled} housekeeping (every node runs it; each task is idempotent). Only in a
 * serving server: its scheduler thread would otherwise keep a one-shot run (such as a migration
 * with {@code --spring.main.web-application-type=none}) from exiting.
 */
@Configuration
@ConditionalOnWebApplication
@EnableScheduling
public class SchedulingConfig {}
