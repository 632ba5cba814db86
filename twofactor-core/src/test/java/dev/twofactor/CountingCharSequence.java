package dev.twofactor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Input that counts how many of its characters are read: proves, without timing, that overlong input is refused
 * after a bounded amount of work (its length is looked at, not its content).
 */
final class CountingCharSequence implements CharSequence {

    private final String text;
    private final AtomicLong reads = new AtomicLong();

    CountingCharSequence(String text) {
        this.text = text;
    }

    long reads() {
        return reads.get();
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        reads.incrementAndGet();
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        reads.addAndGet(end - start);
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        reads.addAndGet(text.length());
        return text;
    }
}
