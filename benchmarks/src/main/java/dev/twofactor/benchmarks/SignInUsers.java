package dev.twofactor.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import dev.twofactor.CodeAccepted;
import dev.twofactor.Outcome;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.spi.EncryptedSecret;
import dev.twofactor.spi.PendingEnrolment;
import dev.twofactor.spi.TwoFactorStore;

/**
 * Users with two-factor enabled, written into a store through the storage SPI exactly as a confirmed enrolment leaves
 * them (secret sealed by the service's cipher for that user, last used step just before the benchmark's first step),
 * without the recovery codes an enrolment would also hash: sign-in verification never reads them, and hashing 8 codes
 * per user would make setting up thousands of users take minutes.
 *
 * <p>Replay protection accepts a code at most once per user and step, so every call must present a (user, step)
 * pair never used before. {@link Driver} walks one thread's share of the users round robin and moves that thread's
 * {@link ThreadClock} one step forward each time it wraps around, so each call is an accepted current-step code.
 */
final class SignInUsers {

    static final long PERIOD_MILLIS = 30_000;

    final String[] userIds;
    final TotpSecret[] secrets;
    final long firstStep;
    final ThreadClock clock;

    private SignInUsers(String[] userIds, TotpSecret[] secrets, long firstStep) {
        this.userIds = userIds;
        this.secrets = secrets;
        this.firstStep = firstStep;
        this.clock = new ThreadClock(firstStep * PERIOD_MILLIS);
    }

    /**
     * Seeds {@code count} enabled users.
     *
     * @param firstStep the time step of the first verification; each user's last used step is the one before
     */
    static SignInUsers seed(TwoFactorStore store, SecretCipher cipher, String idPrefix, int count, long firstStep) {
        String[] userIds = new String[count];
        TotpSecret[] secrets = new TotpSecret[count];
        SplittableRandom random = new SplittableRandom(7_013L);
        Instant enabledAt = Instant.ofEpochMilli((firstStep - 1) * PERIOD_MILLIS);
        for (int i = 0; i < count; i++) {
            String userId = idPrefix + i;
            byte[] key = new byte[20];
            random.nextBytes(key);
            userIds[i] = userId;
            secrets[i] = TotpSecret.ofBytes(key);
            EncryptedSecret sealed = cipher.seal(userId, key);
            String pendingId = "enrolment-" + i;
            store.savePending(userId, new PendingEnrolment(pendingId, sealed, enabledAt,
                    enabledAt.plus(Duration.ofMinutes(10)), PendingEnrolment.UNCONFIRMED));
            if (!store.activatePending(userId, pendingId, firstStep - 1, enabledAt)) {
                throw new IllegalStateException("Could not enable benchmark user " + userId);
            }
        }
        return new SignInUsers(userIds, secrets, firstStep);
    }

    /**
     * The service every sign-in benchmark measures over these users: their store and cipher, their clock, and no
     * listener (events are measured on their own).
     */
    TwoFactorService service(TwoFactorStore store, SecretCipher cipher) {
        return TwoFactorService.builder()
                .issuer("Benchmarks")
                .store(store)
                .secretCipher(cipher)
                .clock(clock)
                .listener(TwoFactorListener.NONE)
                .build();
    }

    /**
     * Users already in a store (seeded in bulk by {@link BulkUsers}), with their last used step just before
     * {@code firstStep}.
     */
    static SignInUsers of(String[] userIds, TotpSecret[] secrets, long firstStep) {
        return new SignInUsers(userIds.clone(), secrets.clone(), firstStep);
    }

    /**
     * One thread's walk through users {@code from .. from + count - 1}: user {@code i % count} at step
     * {@code firstStep + i / count} for the {@code i}-th call. Codes are computed ahead, outside the measurement, by
     * {@link #prepare(int)}; should a measurement outrun the prepared batch, the code is computed in the call and
     * counted and reported by {@link #checkAllAccepted()}. Not thread-safe: one per benchmark thread.
     */
    final class Driver {
        private final int from;
        private final int count;
        private final Totp totp = Totp.defaults();
        private final CodeText code = new CodeText();
        private long cursor;
        private long batchStart;
        private int batchLength;
        private int[] batch = new int[0];
        private long lastPrepared;
        private long computedInCall;
        private long reportedComputedInCall;
        private long notAccepted;

        Driver(int from, int count) {
            this.from = from;
            this.count = count;
        }

        /**
         * Computes the codes of the next calls: twice as many as the previous measurement made, at least
         * {@code minimum}.
         */
        void prepare(int minimum) {
            long done = cursor - lastPrepared;
            lastPrepared = cursor;
            int size = (int) Math.min(1 << 22, Math.max(minimum, 2 * done + 1024));
            if (batch.length < size) {
                batch = new int[size];
            }
            batchStart = cursor;
            batchLength = size;
            for (int j = 0; j < size; j++) {
                long call = cursor + j;
                batch[j] = codeOf((int) (call % count), firstStep + call / count);
            }
        }

        private int codeOf(int user, long step) {
            return Integer.parseInt(totp.generate(secrets[from + user], step));
        }

        /** Moves to the next call: sets this thread's clock and {@link #code()}, returns the user id. */
        String next() {
            long call = cursor++;
            int user = (int) (call % count);
            long step = firstStep + call / count;
            clock.set(step * PERIOD_MILLIS + PERIOD_MILLIS / 2);
            long k = call - batchStart;
            int value;
            if (k < batchLength) {
                value = batch[(int) k];
            } else {
                value = codeOf(user, step);
                computedInCall++;
            }
            code.set(value);
            return userIds[from + user];
        }

        CharSequence code() {
            return code;
        }

        /** The time step of the current call (the one {@link #next()} moved to). */
        long step() {
            return firstStep + (cursor - 1) / count;
        }

        /**
         * This driver's calls as {@link TimedRounds} and {@link CheckPairedRounds} time them: the codes of at least
         * {@code minimum} calls prepared before each round, {@code call} in it, every call checked after it.
         */
        TimedRounds.Caller caller(int minimum, Callable<?> call) {
            return new TimedRounds.Caller() {
                @Override
                public void prepare() {
                    Driver.this.prepare(minimum);
                }

                @Override
                public void call() throws Exception {
                    call.call();
                }

                @Override
                public void check() {
                    checkAllAccepted();
                }
            };
        }

        /** One sign-in on {@code service}: the next user and step, the code presented, the outcome recorded. */
        Outcome<CodeAccepted> signIn(TwoFactorService service) {
            String userId = next();
            Outcome<CodeAccepted> outcome = service.verifyCode(userId, code());
            record(outcome);
            return outcome;
        }

        void record(Outcome<CodeAccepted> outcome) {
            record(outcome instanceof Outcome.Success);
        }

        void record(boolean accepted) {
            if (!accepted) {
                notAccepted++;
            }
        }

        /**
         * Fails the run if any call was not accepted (the benchmark would then measure a rejection path), and says so
         * if codes had to be computed inside the measurement, which makes the figure pessimistic.
         */
        void checkAllAccepted() {
            if (notAccepted != 0) {
                throw new IllegalStateException(notAccepted + " sign-in verifications were not accepted");
            }
            if (computedInCall != reportedComputedInCall) {
                System.out.println("(note: " + (computedInCall - reportedComputedInCall)
                        + " codes were computed inside this iteration: it outran the prepared batch)");
                reportedComputedInCall = computedInCall;
            }
        }
    }

    /** A reusable six-digit code, so that presenting a code allocates nothing. */
    static final class CodeText implements CharSequence {
        private final char[] digits = new char[6];

        void set(int value) {
            int v = value;
            for (int i = 5; i >= 0; i--) {
                digits[i] = (char) ('0' + v % 10);
                v /= 10;
            }
        }

        @Override
        public int length() {
            return 6;
        }

        @Override
        public char charAt(int index) {
            return digits[index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(digits, start, end - start);
        }

        @Override
        public String toString() {
            return new String(digits);
        }
    }
}
