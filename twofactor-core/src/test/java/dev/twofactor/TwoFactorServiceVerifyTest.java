package dev.twofactor;

import static dev.twofactor.Fixture.reason;
import static dev.twofactor.Fixture.success;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TwoFactorServiceVerifyTest {

    private final Fixture f = new Fixture();

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1})
    void verifyWhenCodeWithinOneStepOfNowThenAcceptedWithItsDrift(int drift) {
        Fixture.Enabled alice = f.enable("alice");
        // One step on (the step before is then unused) and mid-step, so the edges are the step boundaries.
        f.clock.advance(Duration.ofSeconds(45));

        CodeAccepted accepted = success(f.service.verifyCode("alice", f.code(alice.secret(), drift)));

        assertThat(accepted.drift()).isEqualTo(drift);
        assertThat(accepted.timeStep()).isEqualTo(f.step() + drift);
        assertThat(f.events.last(TwoFactorEventType.VERIFIED).details())
                .containsEntry("drift", Integer.toString(drift));
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, 2})
    void verifyWhenCodeTwoStepsAwayThenWrongCode(int drift) {
        Fixture.Enabled alice = f.enable("alice");
        f.clock.advance(Duration.ofSeconds(90));

        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret(), drift)))).isEqualTo(Reason.WRONG_CODE);
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void verifyWhenCodeReplayedThenRejectedAndCounted() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());
        assertThat(f.service.verifyCode("alice", code).succeeded()).isTrue();

        Outcome<CodeAccepted> replay = f.service.verifyCode("alice", code);

        assertThat(reason(replay)).isEqualTo(Reason.CODE_ALREADY_USED);
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void verifyWhenSameCodeReplayedInTheNextStepThenStillRejected() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());
        assertThat(f.service.verifyCode("alice", code).succeeded()).isTrue();
        f.clock.advance(Duration.ofSeconds(30)); // the code is now the previous step's: inside the window

        assertThat(reason(f.service.verifyCode("alice", code))).isEqualTo(Reason.CODE_ALREADY_USED);
    }

    @Test
    void verifyWhenPreviousStepCodeAfterCurrentStepWasUsedThenRejected() {
        Fixture.Enabled alice = f.enable("alice");
        assertThat(f.service.verifyCode("alice", f.code(alice.secret(), 0)).succeeded()).isTrue();

        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret(), -1))))
                .isEqualTo(Reason.CODE_ALREADY_USED);
    }

    @Test
    void verifyWhenNextStepCodeWasUsedThenCurrentStepCodeRejected() {
        Fixture.Enabled alice = f.enable("alice");
        assertThat(f.service.verifyCode("alice", f.code(alice.secret(), 1)).succeeded()).isTrue();

        assertThat(reason(f.service.verifyCode("alice", f.code(alice.secret(), 0))))
                .isEqualTo(Reason.CODE_ALREADY_USED);
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(f.service.verifyCode("alice", f.code(alice.secret(), 0)).succeeded()).isTrue();
    }

    @Test
    void verifyWhenLaterCodeThenAcceptedAndLastUsedStepAdvances() {
        Fixture.Enabled alice = f.enable("alice");
        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();
        f.clock.advance(Duration.ofSeconds(30));

        CodeAccepted accepted = success(f.service.verifyCode("alice", f.code(alice.secret())));

        assertThat(f.store.findCredential("alice").orElseThrow().lastUsedStep()).isEqualTo(accepted.timeStep());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345a", "+12345", "1234567", "12345", "", "１２３４５６", "١٢٣٤٥٦", "12-345"})
    void verifyWhenMalformedThenMalformedCodeAndCounted(String input) {
        f.enable("alice");

        assertThat(reason(f.service.verifyCode("alice", input))).isEqualTo(Reason.MALFORMED_CODE);
        assertThat(f.backoff("alice").failures()).isEqualTo(1);
    }

    @Test
    void verifyWhenOverlongInputThenMalformed() {
        f.enable("alice");

        assertThat(reason(f.service.verifyCode("alice", "1".repeat(100_000)))).isEqualTo(Reason.MALFORMED_CODE);
    }

    @Test
    void verifyWhenCodeHasSpacesThenAccepted() {
        Fixture.Enabled alice = f.enable("alice");
        String code = f.code(alice.secret());

        assertThat(f.service.verifyCode("alice", code.substring(0, 3) + " " + code.substring(3)).succeeded()).isTrue();
    }

    @Test
    void verifyWhenNotEnabledThenNotEnabledAndNothingCounted() {
        assertThat(reason(f.service.verifyCode("alice", "123456"))).isEqualTo(Reason.NOT_ENABLED);
        Enrolment pending = success(f.service.startEnrolment("alice", "alice@example.com"));
        assertThat(reason(f.service.verifyCode("alice", f.code(pending.secret())))).isEqualTo(Reason.NOT_ENABLED);
        assertThat(f.backoff("alice").failures()).isZero();
    }

    @Test
    void verifyUsesTheServiceClockNotTheEngineClock() {
        // The default engine carries the system clock; the service must replace it with its own.
        Fixture.Enabled alice = f.enable("alice");
        f.clock.advance(Duration.ofDays(400));

        assertThat(f.service.verifyCode("alice", f.code(alice.secret())).succeeded()).isTrue();
    }

    @Test
    void verifyWithEightDigitEngineThenEightDigitCodesWork() {
        Fixture eight = new Fixture(b -> b.totp(Totp.builder().digits(8).build()));
        Enrolment enrolment = success(eight.service.startEnrolment("alice", "alice@example.com"));
        Totp phone = Totp.builder().digits(8).build();
        assertThat(enrolment.keyUri().digits()).isEqualTo(8);

        String code = phone.generate(enrolment.secret(), eight.step());
        assertThat(eight.service.confirmEnrolment("alice", code).succeeded()).isTrue();
    }
}
