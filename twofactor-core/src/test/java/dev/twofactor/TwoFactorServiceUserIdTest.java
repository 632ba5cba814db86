package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.spi.TwoFactorStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11, finding 2 (core side): every entry point validates an outside user id once, before any store work, with
 * the one public rule {@link UserContext#isValidUserId}; {@code verifyAppPassword} answers instead of throwing.
 */
class TwoFactorServiceUserIdTest {

    private final AtomicInteger storeCalls = new AtomicInteger();
    private final CountingHasher hasher = new CountingHasher();
    private final TwoFactorService service;

    TwoFactorServiceUserIdTest() {
        InMemoryTwoFactorStore real = new InMemoryTwoFactorStore();
        TwoFactorStore counted = (TwoFactorStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TwoFactorStore.class}, (proxy, method, args) -> {
                    storeCalls.incrementAndGet();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        service = TwoFactorService.builder().issuer("Ids").store(counted).hasher(hasher)
                .secretCipher(SecretCipher.aesGcm(Fixture.ring()))
                .passwordVerifier((userId, password) -> PasswordVerifier.Verdict.MATCH).build();
    }

    static List<String> malformedIds() {
        return List.of("", "   ", "u".repeat(UserContext.MAX_USER_ID_LENGTH + 1), "nul\u0000inside", "line\nbreak",
                "tab\there", "\u007f", "lone\ud800surrogate", "\udc00x");
    }

    @ParameterizedTest
    @MethodSource("malformedIds")
    void everyEntryPointWhenUserIdMalformedThenIllegalArgumentBeforeAnyStoreWork(String id) {
        List<Consumer<String>> entryPoints = List.of(
                service::status,
                user -> service.startEnrolment(user, "account"),
                user -> service.changeAuthenticator(user, "account"),
                service::cancelEnrolment,
                user -> service.confirmEnrolment(user, "123456"),
                user -> service.acknowledgeRecoveryCodes(user, "token"),
                user -> service.pendingEnrolment(user, "account"),
                user -> service.stepUpWithRecoveryCode(user, "AAAA-AAAA"),
                user -> service.disableAfterStepUp(user, Instant.EPOCH),
                user -> service.disable(user, "pw".toCharArray()),
                user -> service.verifyCode(user, "123456"),
                user -> service.redeemRecoveryCode(user, "AAAA-AAAA"),
                service::regenerateRecoveryCodes,
                user -> service.stepUpWithPassword(user, "pw".toCharArray()),
                user -> service.stepUpWithCode(user, "123456"),
                user -> service.adminUnenrol(user, "123456", "target"),
                user -> service.adminUnenrol("admin", "123456", user),
                user -> service.adminResetBackoff(user, "123456", "target"),
                user -> service.createAppPassword(user, "name", AppPasswordScope.FULL),
                service::appPasswords,
                user -> service.revokeAppPassword(user, "id"),
                user -> service.requirementFor(UserContext.of(user, false)),
                user -> service.setPolicy(user, EnforcementLevel.NONE, java.time.Duration.ZERO));
        for (Consumer<String> entryPoint : entryPoints) {
            assertThatThrownBy(() -> entryPoint.accept(id)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(id.isBlank() ? "\u0000never" : id);
        }
        assertThat(storeCalls).as("store calls").hasValue(0);
    }

    @ParameterizedTest
    @MethodSource("malformedIds")
    void verifyAppPasswordWhenUserIdMalformedThenRejectedAfterOneHashWithoutStoreWork(String id) {
        Outcome<AppPasswordGrant> outcome = service.verifyAppPassword(id, "1234 5678 9012 3456 7890");

        assertThat(outcome).isEqualTo(Outcome.rejected(Reason.WRONG_APP_PASSWORD));
        assertThat(hasher.matches).as("the dummy hash, as for any other attempt").hasValue(1);
        assertThat(storeCalls).hasValue(0);
    }

    @Test
    void isValidUserIdAcceptsOrdinaryIdsUpToTheLimit() {
        assertThat(UserContext.isValidUserId("alice@example.com")).isTrue();
        assertThat(UserContext.isValidUserId("\u30e6\u30fc\u30b6\u30fc")).isTrue();
        assertThat(UserContext.isValidUserId("u".repeat(UserContext.MAX_USER_ID_LENGTH))).isTrue();
        assertThat(UserContext.isValidUserId(null)).isFalse();
        assertThat(malformedIds()).noneMatch(UserContext::isValidUserId);
    }
}
