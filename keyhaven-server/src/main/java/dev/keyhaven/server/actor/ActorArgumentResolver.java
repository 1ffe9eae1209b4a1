package dev.keyhaven.server.actor;

import dev.keyhaven.server.platform.web.AccessLog;
import dev.keyhaven.server.platform.web.ApiArgumentResolver;
import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets handlers declare an {@link Actor} parameter for the authenticated caller. */
@Component
public class ActorArgumentResolver implements ApiArgumentResolver {
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Actor.class;
    }

    @Override
    public Object resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mav,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        Object actor = webRequest.getNativeRequest(HttpServletRequest.class).getAttribute(AccessLog.ACTOR_ATTRIBUTE);
        if (actor == null) {
            throw ApiException.unauthorized("Token missing");
        }
        return actor;
    }
}
