/**
 * twofactor core: the TOTP engine, enrolment, recovery codes, backoff and the storage SPI.
 */
module dev.twofactor {
    requires org.apache.commons.codec;
    requires com.google.zxing;
    requires java.desktop;
    requires org.slf4j;

    exports dev.twofactor;
}
