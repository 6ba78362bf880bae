package dev.mmcheck.checker.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FingerprintCacheTest {

    @Test
    void answersWhatWasPutUntilCleared() {
        FingerprintCache c = new FingerprintCache();
        assertEquals(0, c.get(0));
        c.put(0, 11);
        c.put(123_456_789, -5);
        assertEquals(11, c.get(0));
        assertEquals(-5, c.get(123_456_789));
        assertEquals(0, c.get(1));
        c.clear();
        assertEquals(0, c.get(0));
        assertEquals(0, c.get(123_456_789));
    }

    @Test
    void aSlotThatSharesAnEntryEvictsTheOther() {
        FingerprintCache c = new FingerprintCache();
        int a = 7;
        int b = -1;
        // Find another slot mapped to the same entry: it must replace a, never answer for it.
        for (int s = 8; b < 0; s++) {
            c.put(a, 1);
            c.put(s, 2);
            if (c.get(a) == 0) {
                b = s;
            }
        }
        assertEquals(2, c.get(b));
        assertEquals(0, c.get(a));
    }
}
