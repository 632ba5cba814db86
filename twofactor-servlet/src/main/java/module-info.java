/**
 * twofactor for Jakarta Servlet 6 applications: a filter that enforces the sign-in challenge, the organisation
 * policy, step-up and the brute-force backoff, and the helpers a host calls from its own sign-in pages
 * ({@code dev.twofactor.servlet}). Only that package is exported.
 */
module dev.twofactor.servlet {
    requires transitive dev.twofactor;
    requires transitive jakarta.servlet;
    requires org.slf4j;

    exports dev.twofactor.servlet;
}
