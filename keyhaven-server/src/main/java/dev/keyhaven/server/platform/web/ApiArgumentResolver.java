package dev.keyhaven.server.platform.web;

import org.springframework.web.method.support.HandlerMethodArgumentResolver;

/** Marker for argument resolvers that features contribute (e.g. the authenticated actor). */
public interface ApiArgumentResolver extends HandlerMethodArgumentResolver {}
