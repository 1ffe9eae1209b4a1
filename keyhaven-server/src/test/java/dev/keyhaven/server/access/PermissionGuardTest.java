package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ApiException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The response guard against the declaration: the checks the evaluator records for a request are
 * compared with what the handler declares. A request is a plain servlet request bound to the
 * thread, as the dispatcher binds it; the evaluator and the guard are the real ones.
 */
class PermissionGuardTest {
    private static final String BODY = "the answer";
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v3/secrets/raw/KEY");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    /** Handlers as a controller would declare them. */
    static class Endpoints {
        @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.CREATE)
        public String createSecret() {
            return BODY;
        }

        @MembershipOnly(PermissionScope.PROJECT)
        public String readProject() {
            return BODY;
        }

        @OrgPermission(subject = OrgSubject.MEMBER, actions = OrgAction.READ)
        public String listMembers() {
            return BODY;
        }

        public String undeclared() {
            return BODY;
        }
    }

    @BeforeEach
    void bindRequest() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));
    }

    @AfterEach
    void unbindRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    private static PermissionSet project(Rule... rules) {
        return new PermissionSet(new RuleBook(List.of(rules)), PermissionScope.PROJECT);
    }

    private static PermissionSet org(Rule... rules) {
        return new PermissionSet(new RuleBook(List.of(rules)), PermissionScope.ORG);
    }

    private Object send(boolean strict, String handler) throws NoSuchMethodException {
        PermissionGuard guard = new PermissionGuard(new AccessProperties(strict));
        Method method = Endpoints.class.getMethod(handler);
        MethodParameter returnType = new MethodParameter(method, -1);
        assertThat(guard.supports(returnType, null)).isTrue();
        return guard.beforeBodyWrite(
                BODY,
                returnType,
                MediaType.APPLICATION_JSON,
                null,
                new ServletServerHttpRequest(request),
                new ServletServerHttpResponse(response));
    }

    @Test
    void theDeclaredCheckLetsTheAnswerThrough() throws Exception {
        project(Rule.allow("secrets", "create")).require(ProjectSubject.SECRETS, ProjectAction.CREATE);

        assertThat(send(true, "createSecret")).isEqualTo(BODY);
    }

    @Test
    void furtherChecksBesideTheDeclaredOneAreAllowed() throws Exception {
        PermissionSet set = project(Rule.allow("secrets", "create", "describeSecret"));
        set.canSome(ProjectSubject.SECRETS, ProjectAction.DESCRIBE_SECRET, Map.of());
        set.require(ProjectSubject.SECRETS, ProjectAction.CREATE);

        assertThat(send(true, "createSecret")).isEqualTo(BODY);
    }

    @Test
    void anEndpointDeclaringOneCheckButRunningAnotherFailsInStrictMode() throws Exception {
        project(Rule.allow("secrets", "edit")).require(ProjectSubject.SECRETS, ProjectAction.EDIT);

        assertThatThrownBy(() -> send(true, "createSecret"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessageContaining("Endpoints.createSecret declares [PROJECT secrets [create]]")
                .hasMessageContaining("PROJECT secrets edit");
    }

    @Test
    void aMismatchIsOnlyLoggedOutsideStrictModeAndTheAnswerIsUnchanged() throws Exception {
        project(Rule.allow("secrets", "edit")).require(ProjectSubject.SECRETS, ProjectAction.EDIT);

        assertThat(send(false, "createSecret")).isEqualTo(BODY);
    }

    @Test
    void theSameSubjectAndActionInTheOtherScopeIsAMismatch() throws Exception {
        org(Rule.allow("member", "read")).require(OrgSubject.MEMBER, OrgAction.READ);

        assertThat(send(true, "listMembers")).isEqualTo(BODY);
        RequestContextHolder.setRequestAttributes(
                new ServletRequestAttributes(new MockHttpServletRequest(), new MockHttpServletResponse()));
        project(Rule.allow("member", "read")).require(ProjectSubject.MEMBER, ProjectAction.READ);
        assertThatThrownBy(() -> send(true, "listMembers"))
                .hasMessageContaining("declares [ORG member [read]]")
                .hasMessageContaining("PROJECT member read");
    }

    @Test
    void noCheckAtAllIsRefusedInEveryMode() {
        for (boolean strict : new boolean[] {true, false}) {
            assertThatThrownBy(() -> send(strict, "createSecret"))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(500))
                    .hasMessage("Something went wrong");
        }
    }

    @Test
    void aMembershipDeclarationNeedsTheMembershipCheck() throws Exception {
        project().requireMembership();
        assertThat(send(true, "readProject")).isEqualTo(BODY);

        RequestContextHolder.setRequestAttributes(
                new ServletRequestAttributes(new MockHttpServletRequest(), new MockHttpServletResponse()));
        project(Rule.allow("secrets", "create")).require(ProjectSubject.SECRETS, ProjectAction.CREATE);
        assertThatThrownBy(() -> send(true, "readProject")).hasMessageContaining("declares [PROJECT membership]");
    }

    @Test
    void errorAnswersPassUntouched() throws Exception {
        response.setStatus(403);

        assertThat(send(true, "createSecret")).isEqualTo(BODY);
    }

    @Test
    void undeclaredHandlersAreNotTheGuardsBusiness() throws Exception {
        PermissionGuard guard = new PermissionGuard(new AccessProperties(true));

        assertThat(guard.supports(new MethodParameter(Endpoints.class.getMethod("undeclared"), -1), null))
                .isFalse();
    }

    @Test
    void aTypedCheckOutsideTheVocabularyIsRefusedBeforeItIsAnswered() {
        PermissionSet set = project(Rule.allow(Rule.ALL, Rule.MANAGE));

        assertThatThrownBy(() -> set.can(ProjectSubject.WORKSPACE, ProjectAction.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'read' is not an action of the PROJECT subject 'workspace'");
        assertThatThrownBy(() -> set.can(OrgSubject.MEMBER, OrgAction.READ)).isInstanceOf(IllegalStateException.class);
    }
}
