package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.testing.GcmReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which AES-GCM open twofactor takes in a JVM as an application starts it, on the class path and on the module path,
 * with and without {@code --add-opens java.base/com.sun.crypto.provider}: each case is a JVM of its own running
 * {@link GcmReport}, whose log (logger {@code dev.twofactor.jdkGcm} at DEBUG) names the path.
 */
class JdkGcmPathTest {

    private static final String DEBUG = "-Dorg.slf4j.simpleLogger.log.dev.twofactor.jdkGcm=debug";
    private static final String FAST = "DEBUG dev.twofactor.jdkGcm - AES-GCM opens on the JDK's AES and GHASH "
            + "primitives, per-key state kept per thread";
    private static final String VIA_CIPHER = "INFO dev.twofactor.jdkGcm - AES-GCM opens through Cipher: ";
    private static final List<String> REPORT = List.of("opened 000102030405060708090a0b0c0d0e0f10111213",
            "tampered Secret sealed with key 'k1' does not authenticate (tampered, or sealed for another user)");

    @Test
    void classPathWithoutAddOpensThenCipherWithTheReasonLoggedOnce() throws Exception {
        MidstatePathTest.Run run = MidstatePathTest.run(List.of(DEBUG, "-cp", IsolatedCore.classPathArgument()),
                GcmReport.class);

        assertThat(run.report()).isEqualTo(REPORT);
        assertThat(run.log()).containsExactly(VIA_CIPHER + "java.base does not open com.sun.crypto.provider to "
                + "twofactor on the class path (--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED)");
    }

    @Test
    void classPathWithAddOpensThenTheJdksPrimitives() throws Exception {
        MidstatePathTest.Run run = MidstatePathTest.run(List.of(DEBUG, "--add-opens",
                "java.base/com.sun.crypto.provider=ALL-UNNAMED", "-cp", IsolatedCore.classPathArgument()),
                GcmReport.class);

        assertThat(run.report()).isEqualTo(REPORT);
        assertThat(run.log()).containsExactly(FAST);
    }

    @Test
    void modulePathWithoutAddOpensThenCipherNamingTheModuleToOpen() throws Exception {
        List<String> arguments = new ArrayList<>(List.of(DEBUG));
        arguments.addAll(MidstatePathTest.modulePath());
        MidstatePathTest.Run run = MidstatePathTest.run(arguments, GcmReport.class);

        assertThat(run.report()).isEqualTo(REPORT);
        assertThat(run.log()).containsExactly(VIA_CIPHER + "java.base does not open com.sun.crypto.provider to "
                + "dev.twofactor (--add-opens java.base/com.sun.crypto.provider=dev.twofactor)");
    }

    @Test
    void modulePathWithAddOpensToTheModuleThenTheJdksPrimitives() throws Exception {
        List<String> arguments = new ArrayList<>(List.of(DEBUG, "--add-opens",
                "java.base/com.sun.crypto.provider=dev.twofactor"));
        arguments.addAll(MidstatePathTest.modulePath());
        MidstatePathTest.Run run = MidstatePathTest.run(arguments, GcmReport.class);

        assertThat(run.report()).isEqualTo(REPORT);
        assertThat(run.log()).containsExactly(FAST);
    }
}
