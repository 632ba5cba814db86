package dev.twofactor.servlet;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * The signed-in session's side of enrolment and disabling, behind {@link TwoFactorSignIn}'s public methods (their
 * javadoc is the contract): the step-up rule before an enrolment starts, the pending enrolment offered again, the
 * session counted as verified once the new authenticator was proved in it (under a new session id), and no longer
 * once disabled. Thread-safe: one instance per {@link TwoFactorSignIn}.
 */
final class EnrolmentInSession {

    private final TwoFactorWebConfig config;
    private final TwoFactorService service;
    private final TwoFactorSignIn signIn;

    EnrolmentInSession(TwoFactorWebConfig config, TwoFactorSignIn signIn) {
        this.config = config;
        this.service = config.service();
        this.signIn = signIn;
    }

    /** {@link TwoFactorSignIn#startEnrolment}, or with {@code change} {@link TwoFactorSignIn#changeAuthenticator}. */
    EnrolmentStart start(HttpServletRequest request, String accountName, boolean change) {
        SessionState state = SessionState.requireSignedIn(request);
        if (state.enrolmentStarted()
                && (service.status(state.userId()).state() == TwoFactorState.ENABLED) == change) {
            Optional<Enrolment> again = pendingEnrolment(request, accountName);
            if (again.isPresent()) {
                // A grant the filter took is spent on this.
                request.removeAttribute(TwoFactorSignIn.ONE_TIME_STEP_UP_ATTRIBUTE);
                return new EnrolmentStart.Started(again.get());
            }
        }
        if (config.stepUpBeforeEnrolment() && signIn.authorisingStepUp(request, state) == null) {
            return new EnrolmentStart.StepUpRequired();
        }
        Outcome<Enrolment> outcome = change ? service.changeAuthenticator(state.userId(), accountName)
                : service.startEnrolment(state.userId(), accountName);
        if (outcome instanceof Outcome.Success<Enrolment> success) {
            // Remembered (a flag, never the secret) for TwoFactorWebConfig#cancelPendingEnrolmentOnLeave.
            SessionState.change(request, state.userId(), current -> current.withEnrolmentStarted(true));
            return new EnrolmentStart.Started(success.value());
        }
        return new EnrolmentStart.Refused(outcome);
    }

    /** {@link TwoFactorSignIn#pendingEnrolment}. */
    Optional<Enrolment> pendingEnrolment(HttpServletRequest request, String accountName) {
        SessionState state = SessionState.requireSignedIn(request);
        if (!state.enrolmentStarted()) {
            return Optional.empty();
        }
        Outcome<Enrolment> pending = service.pendingEnrolment(state.userId(), accountName);
        return pending instanceof Outcome.Success<Enrolment> success ? Optional.of(success.value())
                : Optional.empty();
    }

    /** {@link TwoFactorSignIn#confirmEnrolment}. */
    Outcome<Confirmation> confirm(HttpServletRequest request, CharSequence code) {
        SessionState state = SessionState.requireSignedIn(request);
        Outcome<Confirmation> outcome = service.confirmEnrolment(state.userId(), code);
        if (outcome instanceof Outcome.Success<Confirmation> success) {
            if (success.value().state() == TwoFactorState.ENABLED) {
                markVerified(request, state.userId());
            } else {
                SessionState.change(request, state.userId(),
                        current -> current.withAwaitingAcknowledgement(true).withEnrolmentStarted(false));
            }
        }
        return outcome;
    }

    /** {@link TwoFactorSignIn#acknowledgeRecoveryCodes}. */
    Outcome<TwoFactorStatus> acknowledgeRecoveryCodes(HttpServletRequest request, String acknowledgementToken) {
        SessionState state = SessionState.requireSignedIn(request);
        Outcome<TwoFactorStatus> outcome = service.acknowledgeRecoveryCodes(state.userId(), acknowledgementToken);
        if (outcome.succeeded() && state.awaitingAcknowledgement()) {
            markVerified(request, state.userId());
        }
        return outcome;
    }

    /** {@link TwoFactorSignIn#disable(HttpServletRequest, char[])}. */
    Outcome<TwoFactorStatus> disable(HttpServletRequest request, char[] password) {
        SessionState state = SessionState.requireSignedIn(request);
        return disabled(request, state, service.disable(state.userId(), password));
    }

    /** {@link TwoFactorSignIn#disable(HttpServletRequest)}. */
    Outcome<TwoFactorStatus> disableAfterStepUp(HttpServletRequest request) {
        SessionState state = SessionState.requireSignedIn(request);
        Instant stepUp = signIn.authorisingStepUp(request, state);
        return disabled(request, state, service.disableAfterStepUp(state.userId(), stepUp)); // null: refused
    }

    private static Outcome<TwoFactorStatus> disabled(HttpServletRequest request, SessionState state,
                                                     Outcome<TwoFactorStatus> outcome) {
        if (outcome.succeeded()) {
            SessionState.change(request, state.userId(), SessionState::withoutSecondFactor);
        }
        return outcome;
    }

    private void markVerified(HttpServletRequest request, String userId) {
        SessionState.changeSessionId(request);
        Instant now = service.clock().instant();
        SessionState.change(request, userId, current -> current.verified(now));
    }
}
