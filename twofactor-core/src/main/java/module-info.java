/**
 * twofactor core: the TOTP engine, enrolment, recovery codes, backoff, policy, app passwords ({@code dev.twofactor})
 * and the storage SPI ({@code dev.twofactor.spi}). Everything else is internal and not exported,
 * except the web integrations' shared helpers ({@code dev.twofactor.internal.web}), to those two modules only.
 */
// ZXing's core jar has no module descriptor, only an Automatic-Module-Name: javac's "requires-automatic" lint would
// say so on every build, and nothing here can change it. The modules the web helpers are exported to depend on this
// one, so javac never sees them here: its "module" lint would say "module not found" for each.
@SuppressWarnings({"requires-automatic", "module"})
module dev.twofactor {
    requires org.apache.commons.codec;
    requires com.google.zxing;
    requires java.desktop;
    requires java.sql;
    requires org.slf4j;

    exports dev.twofactor;
    exports dev.twofactor.spi;
    // The web integrations' shared helpers (requirement facts, JSON quoting): to them only, never API.
    exports dev.twofactor.internal.web to dev.twofactor.servlet, dev.twofactor.spring.security;
}
