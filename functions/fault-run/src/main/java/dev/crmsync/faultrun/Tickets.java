package dev.crmsync.faultrun;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The crashes and freezes the run has handed an integration and its instances have not yet
 * suffered: the first instance to reach the point takes the ticket ({@link Mishap}).
 */
final class Tickets {
    /** Where a freeze strikes. */
    enum FreezePoint {
        BEFORE_CLAIM,
        BEFORE_COMMIT
    }

    private int crashes; // guarded by this
    private final Deque<FreezePoint> freezes = new ArrayDeque<>(); // guarded by this
    private int freezesTaken; // guarded by this

    synchronized void addCrash() {
        crashes++;
    }

    synchronized void addFreeze(FreezePoint point) {
        freezes.add(point);
    }

    synchronized boolean takeCrash() {
        if (crashes == 0) {
            return false;
        }
        crashes--;
        return true;
    }

    synchronized boolean takeFreeze(FreezePoint point) {
        if (freezes.peek() != point) {
            return false;
        }
        freezes.poll();
        freezesTaken++;
        return true;
    }

    /** How many freezes struck. */
    synchronized int freezesTaken() {
        return freezesTaken;
    }
}
