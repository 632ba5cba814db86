package dev.twofactor.spring.security;

import static dev.twofactor.spring.security.RequirementMaxAgeFixture.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spring.security.RequirementMaxAgeFixture.Answer;
import dev.twofactor.spring.security.RequirementMaxAgeFixture.Browser;
import dev.twofactor.spring.security.RequirementMaxAgeFixture.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * {@code requirementMaxAge} under many requests at once on one session ({@link RequirementMaxAgeTest} is the rest):
 * what was read within the bound serves every thread without a store call, and no request started past the bound
 * gets through. The nodes and browsers are {@link RequirementMaxAgeFixture}'s.
 */
class RequirementMaxAgeConcurrencyTest {

    private final RequirementMaxAgeFixture f = new RequirementMaxAgeFixture();
    private final CountDownLatch pastBoundLatch = new CountDownLatch(1);

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void enabledElsewhereWhenManyRequestsRunConcurrentlyThenEveryRequestAfterTheBoundIsRefused() throws Exception {
        Node node = f.node(BOUND);
        Browser thief = f.browser("carol", f.password());
        Instant read = f.clock.instant();
        assertThat(node.get(thief)).isEqualTo(Answer.GRANTED);
        f.storeCalls.set(0);
        AtomicBoolean pastBound = new AtomicBoolean();
        AtomicInteger passedAfterBound = new AtomicInteger();
        AtomicInteger refusedAfterBound = new AtomicInteger();
        AtomicInteger passedBefore = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        CountDownLatch halfway = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int callsBeforeBound;
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                requests.add(pool.submit(() -> {
                    started.countDown();
                    for (int i = 0; i < 2_000; i++) {
                        if (i == 1_000) {
                            halfway.countDown();
                            awaitQuietly(pastBoundLatch);
                        }
                        boolean after = pastBound.get();   // read before the request: it starts past the bound
                        Answer answer = node.get(thief);
                        if (after) {
                            (answer == Answer.CHALLENGE ? refusedAfterBound : passedAfterBound).incrementAndGet();
                        } else if (answer == Answer.GRANTED) {
                            passedBefore.incrementAndGet();
                        }
                    }
                }));
            }
            started.await();
            f.enrol(f.nodeB, "carol");
            halfway.await(60, TimeUnit.SECONDS);
            callsBeforeBound = f.storeCalls.get();
            f.clock.set(read.plus(BOUND));
            pastBound.set(true);
            pastBoundLatch.countDown();
            for (Future<?> request : requests) {
                request.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pastBoundLatch.countDown();
            pool.shutdownNow();
        }

        // 4,000 requests within the bound: no read (the enable elsewhere is node B's own calls, not counted).
        assertThat(callsBeforeBound).isZero();
        assertThat(passedBefore.get()).isEqualTo(4_000);
        assertThat(passedAfterBound.get()).isZero();
        assertThat(refusedAfterBound.get()).isEqualTo(4_000);
        assertThat(node.get(thief)).isEqualTo(Answer.CHALLENGE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
