/**
 * twofactor core: the TOTP engine, enrolment, recovery codes, backoff, policy, app passwords ({@code dev.twofactor})
 * and the storage SPI ({@code dev.twofactor.spi}). Everything else is internal and not exported.
 */
// ZXing's core jar has no module descriptor, only an Automatic-Module-Name: javac's "requires-automatic" lint would
// say so on every build, and nothing here can change it.
@SuppressWarnings("requires-automatic")
module dev.twofactor {
    requires org.apache.commons.codec;
    requires com.google.zxing;
    requires java.desktop;
    requires java.sql;
    requires org.slf4j;

    exports dev.twofactor;
    exports dev.twofactor.spi;
}
