package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link CodeCheck#acceptedDetails}, the details of the event that reports an accepted code: for every check and every
 * drift (the whole widest window, made once, and a drift beyond it) exactly that check's name and that drift, so that
 * an event of a step-up or an administrator's code, or of a code far from the current step, never names another
 * check's or another drift's. The service tests see only a few of these pairs.
 */
class CodeCheckAcceptedDetailsTest {

    @ParameterizedTest
    @EnumSource(Check.class)
    void everyCheckAndDriftGetsItsOwnNameAndDrift(Check check) {
        for (int drift = -Totp.MAX_WINDOW - 2; drift <= Totp.MAX_WINDOW + 2; drift++) {
            assertThat(CodeCheck.acceptedDetails(check, drift)).as("%s, drift %d", check, drift)
                    .isEqualTo(Map.of("check", check.name(), "drift", Integer.toString(drift)));
        }
    }
}
