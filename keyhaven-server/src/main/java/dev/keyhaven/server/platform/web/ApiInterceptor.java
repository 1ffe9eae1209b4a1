package dev.keyhaven.server.platform.web;

import org.springframework.web.servlet.HandlerInterceptor;

/** Marker for interceptors that apply to every {@code /api/**} route, in {@link org.springframework.core.annotation.Order}. */
public interface ApiInterceptor extends HandlerInterceptor {}
