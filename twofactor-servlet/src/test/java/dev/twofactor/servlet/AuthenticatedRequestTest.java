package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the application sees of the user through the filter's request: the signed-in user (or the app password's
 * owner) with the roles the container gives, and nobody, with no role at all, while the session is half-open, even
 * though the host's own authentication (the container here) already knows the user and their roles.
 */
class AuthenticatedRequestTest {

    /** A container request whose own authentication says: user "host-user", form login, role "admin". */
    private static HttpServletRequest container() {
        Principal hostUser = () -> "host-user";
        Set<String> roles = Set.of("admin");
        return (HttpServletRequest) Proxy.newProxyInstance(AuthenticatedRequestTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteUser" -> hostUser.getName();
                    case "getUserPrincipal" -> hostUser;
                    case "getAuthType" -> HttpServletRequest.FORM_AUTH;
                    case "isUserInRole" -> roles.contains((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void signedInSessionNamesItsUserKeepsTheContainersRolesAndSaysHowItWasAuthenticated() {
        HttpServletRequest request = AuthenticatedRequest.signedIn(container(), "alice");

        assertThat(request.getRemoteUser()).isEqualTo("alice");
        assertThat(request.getUserPrincipal().getName()).isEqualTo("alice");
        assertThat(request.getAuthType()).isEqualTo(AuthenticatedRequest.SESSION_AUTH_TYPE).isEqualTo("TWO_FACTOR");
        assertThat(request.isUserInRole("admin")).isTrue();
        assertThat(request.isUserInRole("auditor")).isFalse();
    }

    @Test
    void appPasswordRequestNamesTheOwnerAsBasicAuthentication() {
        HttpServletRequest request = AuthenticatedRequest.appPassword(container(), "bob");

        assertThat(request.getRemoteUser()).isEqualTo("bob");
        assertThat(request.getUserPrincipal().getName()).isEqualTo("bob");
        assertThat(request.getAuthType()).isEqualTo(HttpServletRequest.BASIC_AUTH);
        assertThat(request.isUserInRole("admin")).isTrue();
        assertThat(request.isUserInRole("auditor")).isFalse();
    }

    @Test
    void halfOpenSessionIsNobodyWithNoRoleWhateverTheContainerKnows() {
        HttpServletRequest request = AuthenticatedRequest.nobody(container());

        assertThat(request.getRemoteUser()).isNull();
        assertThat(request.getUserPrincipal()).isNull();
        assertThat(request.getAuthType()).isNull();
        assertThat(request.isUserInRole("admin")).as("the container's role, before the challenge").isFalse();
        assertThat(request.isUserInRole("auditor")).isFalse();
    }
}
