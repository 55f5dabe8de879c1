package dev.crmsync.billing;

/** The key generation one attempt has reached for its record or action; starts at the request's. */
final class KeyGeneration {
    private int value;

    KeyGeneration(int start) {
        this.value = start;
    }

    int current() {
        return value;
    }

    void advance() {
        value++;
    }
}
