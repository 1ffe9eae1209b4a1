package dev.keyhaven.server.platform.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on {@code @Scheduled} housekeeping (every node runs it; each task is idempotent). */
@Configuration
@EnableScheduling
public class SchedulingConfig {}
