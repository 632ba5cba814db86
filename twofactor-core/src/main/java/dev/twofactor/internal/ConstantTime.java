package dev.twofactor.internal;

import java.security.MessageDigest;

/**
 * The one place for comparisons whose timing must not depend on secret data.
 *
 * <p>An ordinary comparison ({@code Arrays.equals}, {@code ==} followed by a branch) returns as soon as it finds a
 * difference, so its running time tells an attacker how much of a guess was right; repeated measurement can then
 * recover a secret or a valid code piece by piece. The helpers here do the same work whatever the data and return
 * their result as a value, leaving the caller to branch only once all secret-derived work is done.
 */
public final class ConstantTime {

    private ConstantTime() {
    }

    /**
     * Compares two byte arrays in time that depends only on their lengths.
     *
     * @param a the first array, may be {@code null}
     * @param b the second array, may be {@code null}
     * @return whether both have the same length and contents
     */
    public static boolean equals(byte[] a, byte[] b) {
        // The JDK's isEqual has been constant time for equal lengths since 6u17; it is the reviewed primitive.
        return MessageDigest.isEqual(a, b);
    }

    /**
     * Returns {@code 1} when {@code a == b} and {@code 0} otherwise, without a branch.
     *
     * @param a a value
     * @param b another value
     * @return {@code 1} or {@code 0}
     */
    public static int equal(int a, int b) {
        int difference = a ^ b;
        // (d | -d) has its sign bit set exactly when d != 0, including d == Integer.MIN_VALUE.
        return ((difference | -difference) >>> 31) ^ 1;
    }

    /**
     * Returns {@code ifOne} when {@code bit} is {@code 1} and {@code ifZero} when it is {@code 0}, without a branch.
     *
     * @param bit    {@code 0} or {@code 1}; any other value gives an unspecified mix
     * @param ifOne  the value chosen by {@code 1}
     * @param ifZero the value chosen by {@code 0}
     * @return the chosen value
     */
    public static int select(int bit, int ifOne, int ifZero) {
        int mask = -bit;
        return (ifOne & mask) | (ifZero & ~mask);
    }
}
