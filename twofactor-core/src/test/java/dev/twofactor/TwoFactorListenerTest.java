package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoFactorListenerTest {

    @Test
    void andThenWhenFirstThrowsThenSecondStillReceivesTheEventAndTheFailureIsRethrown() {
        List<String> seen = new ArrayList<>();
        TwoFactorListener failing = event -> {
            seen.add("first");
            throw new IllegalStateException("listener failed");
        };
        TwoFactorListener chained = failing.andThen(event -> seen.add("second"));
        TwoFactorService service = TwoFactorService.builder()
                .issuer("Test")
                .store(new InMemoryTwoFactorStore())
                .secretCipher(SecretCipher.plaintext())
                .listener(chained)
                .build();

        String log = LogCapture.during(() -> service.startEnrolment("alice", "alice@example.com"));

        assertThat(seen).containsExactly("first", "second");
        assertThat(log).contains("listener failed");
        assertThatThrownBy(() -> chained.onEvent(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void auditLogIsTheSlf4jAuditLogger() {
        assertThat(TwoFactorListener.auditLog()).isInstanceOf(dev.twofactor.internal.AuditLog.class);
    }
}
