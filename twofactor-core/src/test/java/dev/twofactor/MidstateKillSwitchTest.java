package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The kill switch {@code -Ddev.twofactor.midstates=false}, read when twofactor's classes initialise: here in a class
 * loader of their own, as a freshly deployed application would load them, in this JVM, which opens
 * {@code sun.security.provider} (see core's pom) so that the path would otherwise be on.
 */
class MidstateKillSwitchTest {

    private static final String PROPERTY = "dev.twofactor.midstates";
    private static final String REASON = "disabled by -Ddev.twofactor.midstates=false";

    @Test
    void killSwitchWhenFalseThenHmacRunsOverMessageDigestWithTheSameCodesAndTheReasonIsLoggedOnce() throws Exception {
        Random random = new Random(12L);
        byte[] key = new byte[20];
        random.nextBytes(key);
        long[] steps = {0L, 1L, 59_638_112L, Long.MAX_VALUE / 30};
        // twofactor as this test runs it decides before the switch is set, so that it computes the expected codes
        // on the midstate path.
        boolean midstatesHere = TotpAlgorithm.SHA1.midstateHmac();
        String previous = System.setProperty(PROPERTY, "false");
        try (IsolatedCore core = IsolatedCore.load()) {
            AtomicReference<String> otherThread = new AtomicReference<>();
            String log = LogCapture.during(() -> {
                for (String algorithm : List.of("SHA1", "SHA256", "SHA512")) {
                    assertThat(core.midstateHmac(algorithm)).as(algorithm).isFalse();
                    for (long step : steps) {
                        Totp here = Totp.builder().algorithm(TotpAlgorithm.valueOf(algorithm)).build();
                        assertThat(core.generate(algorithm, key, step)).as("%s at step %d", algorithm, step)
                                .isEqualTo(here.generate(TotpSecret.ofBytes(key), step));
                    }
                }
                assertThat(core.midstateUnavailableReason("SHA1")).hasValue(REASON);
                assertThat(core.midstateUnavailableReason("SHA256")).hasValue(REASON);
                // SHA-512 never has the path; the switch still comes first.
                assertThat(core.midstateUnavailableReason("SHA512")).hasValue(REASON);
                Thread thread = new Thread(() -> otherThread.set(core.midstateUnavailableReason("SHA1").orElse("")));
                thread.start();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            assertThat(otherThread.get()).isEqualTo(REASON);
            List<String> lines = Arrays.stream(log.split("\\R")).filter(line -> line.contains(REASON)).toList();
            assertThat(lines).as(log).containsExactly(
                    "INFO dev.twofactor.midstates - HMAC runs over MessageDigest, without per-key midstates: "
                            + REASON);
        } finally {
            restore(previous);
        }
        // The switch is read once per class loader, when its classes initialise: this one's is unaffected.
        if (Boolean.getBoolean("twofactor.test.expectMidstates")) {
            assertThat(midstatesHere).isTrue();
        }
        assertThat(TotpAlgorithm.SHA1.midstateHmac()).isEqualTo(midstatesHere);
    }

    @Test
    void killSwitchWhenTrueOrUnsetThenPathIsOnWhereThePackageIsOpen() throws Exception {
        for (String value : new String[] {null, "true", " TRUE "}) {
            String previous = value == null ? System.clearProperty(PROPERTY) : System.setProperty(PROPERTY, value);
            try (IsolatedCore core = IsolatedCore.load()) {
                boolean open = Object.class.getModule()
                        .isOpen("sun.security.provider", core.loader().getUnnamedModule());
                String log = LogCapture.during(() -> {
                    assertThat(core.midstateHmac("SHA1")).as("value %s", value).isEqualTo(open);
                    assertThat(core.midstateUnavailableReason("SHA1").isEmpty()).isEqualTo(open);
                });
                if (open) {
                    assertThat(log).doesNotContain("dev.twofactor.midstates");
                }
            } finally {
                restore(previous);
            }
        }
    }

    @Test
    void killSwitchWhenMisspeltThenPathIsOffAndTheValueIsShown() throws Exception {
        String previous = System.setProperty(PROPERTY, "off");
        try (IsolatedCore core = IsolatedCore.load()) {
            LogCapture.during(() -> {
                assertThat(core.midstateHmac("SHA256")).isFalse();
                assertThat(core.midstateUnavailableReason("SHA256")).hasValue("disabled by -D" + PROPERTY + "=off");
            });
        } finally {
            restore(previous);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, previous);
        }
    }
}
