package dev.twofactor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ConstantTimeTest {

    @Property(tries = 500)
    void equalIsOneExactlyForEqualValues(@ForAll int a, @ForAll int b) {
        assertThat(ConstantTime.equal(a, b)).isEqualTo(a == b ? 1 : 0);
        assertThat(ConstantTime.equal(a, a)).isEqualTo(1);
        assertThat(ConstantTime.equal(a, a ^ Integer.MIN_VALUE)).isZero();
    }

    @Property(tries = 500)
    void selectPicksByTheBit(@ForAll int a, @ForAll int b) {
        assertThat(ConstantTime.select(1, a, b)).isEqualTo(a);
        assertThat(ConstantTime.select(0, a, b)).isEqualTo(b);
    }

    @Property(tries = 200)
    void equalsComparesArrays(@ForAll byte[] a, @ForAll byte[] b) {
        assertThat(ConstantTime.equals(a, b)).isEqualTo(Arrays.equals(a, b));
        assertThat(ConstantTime.equals(a, a.clone())).isTrue();
    }
}
