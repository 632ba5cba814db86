package dev.twofactor;

import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.spi.contract.TwoFactorStoreContract;

/** The store contract kit on {@link InMemoryTwoFactorStore}. */
class InMemoryTwoFactorStoreContractTest extends TwoFactorStoreContract {

    @Override
    protected TwoFactorStore createStore() {
        return new InMemoryTwoFactorStore();
    }
}
